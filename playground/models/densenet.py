"""DenseNet (Huang et al., 2017, "Densely Connected Convolutional Networks", arXiv:1608.06993), primer §9."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

import torch
from torch import Tensor, nn


class DenseLayer(nn.Module):
    """Batch norm, ReLU, 3×3 convolution: ``growth_rate`` new channels computed from all the channels so far."""

    def __init__(self, in_channels: int, growth_rate: int):
        super().__init__()
        self.bn = nn.BatchNorm2d(in_channels)
        self.relu = nn.ReLU()
        self.conv = nn.Conv2d(in_channels, growth_rate, kernel_size=3, padding=1)

    def forward(self, x: Tensor) -> Tensor:
        return self.conv(self.relu(self.bn(x)))


class DenseBlock(nn.Module):
    """``num_layers`` dense layers; each one's output is concatenated to its input, so the channels grow."""

    def __init__(self, num_layers: int, in_channels: int, growth_rate: int):
        super().__init__()
        self.layers = nn.ModuleList(DenseLayer(in_channels + i * growth_rate, growth_rate) for i in range(num_layers))
        self.out_channels = in_channels + num_layers * growth_rate

    def forward(self, x: Tensor) -> Tensor:
        for layer in self.layers:
            x = torch.cat((x, layer(x)), dim=1)  # concatenate each layer's input and output on the channels
        return x


class TransitionLayer(nn.Sequential):
    """Between dense blocks: batch norm, ReLU, a 1×1 convolution to fewer channels, 2×2 average pooling."""

    def __init__(self, in_channels: int, out_channels: int):
        super().__init__(OrderedDict(
            bn=nn.BatchNorm2d(in_channels),
            relu=nn.ReLU(),
            conv=nn.Conv2d(in_channels, out_channels, kernel_size=1),
            pool=nn.AvgPool2d(kernel_size=2, stride=2),
        ))


class DenseNet(nn.Module):
    """DenseNet (Huang et al., 2017, "Densely Connected Convolutional Networks", arXiv:1608.06993), primer §9.

    A stem, three dense blocks (as the paper's networks for 32-pixel CIFAR images) with transition layers halving
    the channels and the size between them, a last batch norm + ReLU, global average pooling.
    """

    def __init__(self, num_classes: int = 10, in_channels: int = 3, stem_channels: int = 24, growth_rate: int = 12,
                 num_layers: Sequence[int] = (4, 4, 4)):
        super().__init__()
        self.model_args = {"num_classes": num_classes, "in_channels": in_channels, "stem_channels": stem_channels,
                           "growth_rate": growth_rate, "num_layers": num_layers}
        stages = OrderedDict(
            stem=nn.Sequential(OrderedDict(  # the paper's 7×7/2 conv + 3×3/2 max-pool, for 32 px
                conv=nn.Conv2d(in_channels, stem_channels, kernel_size=3, padding=1),  # output(24, 32, 32)
                bn=nn.BatchNorm2d(stem_channels),
                relu=nn.ReLU(),
                pool=nn.MaxPool2d(kernel_size=3, stride=2, padding=1),  # output(24, 16, 16)
            )),
        )
        channels = stem_channels
        for index, count in enumerate(num_layers, start=1):
            block = DenseBlock(count, channels, growth_rate)
            stages[f"dense{index}"] = block
            channels = block.out_channels
            if index < len(num_layers):
                stages[f"transition{index}"] = TransitionLayer(channels, channels // 2)
                channels //= 2
        # dense1 (72, 16, 16) → transition1 (36, 8, 8) → dense2 (84, 8, 8) → transition2 (42, 4, 4)
        # → dense3 (90, 4, 4)
        stages["norm"] = nn.Sequential(OrderedDict(bn=nn.BatchNorm2d(channels), relu=nn.ReLU()))
        self.features = nn.Sequential(stages)
        self.classifier = nn.Sequential(OrderedDict(
            avgpool=nn.AdaptiveAvgPool2d(1),  # global average pooling: output(90, 1, 1)
            flatten=nn.Flatten(),  # output(90)
            fc=nn.Linear(channels, num_classes),  # output(10)
        ))

    def forward(self, x: Tensor) -> Tensor:
        return self.classifier(self.features(x))
