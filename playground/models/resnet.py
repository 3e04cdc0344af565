"""ResNet (He et al., 2016, "Deep Residual Learning for Image Recognition", arXiv:1512.03385), primer §7."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

from torch import Tensor, nn


class Residual(nn.Module):
    """The primer's residual block: two 3×3 conv + batch-norm layers, with the input added before the last ReLU.

    With ``use_1x1conv`` a 1×1 convolution (``conv3``) reshapes the input when the channels or the stride change.
    """

    def __init__(self, input_channels: int, num_channels: int, use_1x1conv: bool = False, strides: int = 1):
        super().__init__()
        self.conv1 = nn.Conv2d(input_channels, num_channels, kernel_size=3, padding=1, stride=strides)
        self.conv2 = nn.Conv2d(num_channels, num_channels, kernel_size=3, padding=1)
        if use_1x1conv:
            self.conv3 = nn.Conv2d(input_channels, num_channels, kernel_size=1, stride=strides)
        else:
            self.conv3 = None
        self.bn1 = nn.BatchNorm2d(num_channels)
        self.bn2 = nn.BatchNorm2d(num_channels)
        self.relu1 = nn.ReLU()
        self.relu2 = nn.ReLU()

    def forward(self, x: Tensor) -> Tensor:
        y = self.relu1(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        if self.conv3 is not None:
            x = self.conv3(x)
        y = y + x  # not ``y += x``: a hook that kept bn2's output must not see it change
        return self.relu2(y)


def resnet_block(input_channels: int, num_channels: int, num_residuals: int,
                 first_block: bool = False) -> nn.Sequential:
    """d2l's stage of ``num_residuals`` blocks; every stage but the first starts by halving the size."""
    blocks = []
    for i in range(num_residuals):
        if i == 0 and not first_block:
            blocks.append(Residual(input_channels, num_channels, use_1x1conv=True, strides=2))
        else:
            blocks.append(Residual(num_channels, num_channels))
    return nn.Sequential(*blocks)


class ResNet(nn.Module):
    """ResNet (He et al., 2016, "Deep Residual Learning for Image Recognition", arXiv:1512.03385), primer §7.

    ResNet-18's layout (a stem, four stages of two ``Residual`` blocks, global average pooling, one fully
    connected layer: 1 + 16 + 1 = 18 layers) with a 3×3 stem convolution for 32-pixel inputs and 16, 32, 64, 128
    channels instead of 64 … 512.
    """

    def __init__(self, num_classes: int = 10, in_channels: int = 3, channels: Sequence[int] = (16, 32, 64, 128),
                 num_residuals: Sequence[int] = (2, 2, 2, 2)):
        super().__init__()
        self.model_args = {"num_classes": num_classes, "in_channels": in_channels, "channels": channels,
                           "num_residuals": num_residuals}
        stages = OrderedDict(
            stem=nn.Sequential(OrderedDict(  # the paper's 7×7/2 conv + 3×3/2 max-pool, for 32 px
                conv=nn.Conv2d(in_channels, channels[0], kernel_size=3, padding=1),  # output(16, 32, 32)
                bn=nn.BatchNorm2d(channels[0]),
                relu=nn.ReLU(),
                pool=nn.MaxPool2d(kernel_size=3, stride=2, padding=1),  # output(16, 16, 16)
            )),
        )
        input_channels = channels[0]
        for index, (num_channels, count) in enumerate(zip(channels, num_residuals), start=1):
            stages[f"layer{index}"] = resnet_block(input_channels, num_channels, count, first_block=index == 1)
            input_channels = num_channels
        # layer1 (16, 16, 16) → layer2 (32, 8, 8) → layer3 (64, 4, 4) → layer4 (128, 2, 2)
        self.features = nn.Sequential(stages)
        self.classifier = nn.Sequential(OrderedDict(
            avgpool=nn.AdaptiveAvgPool2d(1),  # global average pooling: output(128, 1, 1)
            flatten=nn.Flatten(),  # output(128)
            fc=nn.Linear(input_channels, num_classes),  # output(10)
        ))

    def forward(self, x: Tensor) -> Tensor:
        return self.classifier(self.features(x))
