"""GoogLeNet (Szegedy et al., 2014, "Going Deeper with Convolutions", arXiv:1409.4842), primer §6."""

from __future__ import annotations

from collections import OrderedDict

import torch
from torch import Tensor, nn

from ._init import he_init_


class Inception(nn.Module):
    """The Inception block: four parallel paths whose outputs are concatenated on the channel dimension.

    ``c1`` … ``c4`` are the output channels of each path as in d2l: path 1 a 1×1 convolution; path 2 a 1×1
    convolution down to ``c2[0]`` then a 3×3 to ``c2[1]``; path 3 a 1×1 down to ``c3[0]`` then a 5×5 to
    ``c3[1]``; path 4 a 3×3 max-pool then a 1×1 convolution. Every path keeps the height and width.
    """

    def __init__(self, in_channels: int, c1: int, c2: tuple[int, int], c3: tuple[int, int], c4: int):
        super().__init__()
        self.p1 = nn.Sequential(OrderedDict(
            conv1x1=nn.Conv2d(in_channels, c1, kernel_size=1),
            relu=nn.ReLU(),
        ))
        self.p2 = nn.Sequential(OrderedDict(
            conv1x1=nn.Conv2d(in_channels, c2[0], kernel_size=1),
            relu1=nn.ReLU(),
            conv3x3=nn.Conv2d(c2[0], c2[1], kernel_size=3, padding=1),
            relu2=nn.ReLU(),
        ))
        self.p3 = nn.Sequential(OrderedDict(
            conv1x1=nn.Conv2d(in_channels, c3[0], kernel_size=1),
            relu1=nn.ReLU(),
            conv5x5=nn.Conv2d(c3[0], c3[1], kernel_size=5, padding=2),
            relu2=nn.ReLU(),
        ))
        self.p4 = nn.Sequential(OrderedDict(
            pool=nn.MaxPool2d(kernel_size=3, stride=1, padding=1),
            conv1x1=nn.Conv2d(in_channels, c4, kernel_size=1),
            relu=nn.ReLU(),
        ))
        self.out_channels = c1 + c2[1] + c3[1] + c4

    def forward(self, x: Tensor) -> Tensor:
        # concatenate the four paths' outputs on the channel dimension
        return torch.cat((self.p1(x), self.p2(x), self.p3(x), self.p4(x)), dim=1)


class GoogLeNet(nn.Module):
    """GoogLeNet (Szegedy et al., 2014, "Going Deeper with Convolutions", arXiv:1409.4842), primer §6.

    A small stem, five of the paper's nine Inception blocks (3a, 3b, 4a, 4b, 5a) with max-pooling between
    them, and global average pooling instead of big fully connected layers. The channel numbers are the
    paper's divided by 4 (inception3a: 64, (96, 128), (16, 32), 32 → 16, (24, 32), (4, 8), 8).
    """

    def __init__(self, num_classes: int = 10, in_channels: int = 3, dropout: float = 0.4):
        super().__init__()
        self.model_args = {"num_classes": num_classes, "in_channels": in_channels, "dropout": dropout}
        self.features = nn.Sequential(OrderedDict(
            stem=nn.Sequential(OrderedDict(  # the paper's 7×7/2 conv, pool, 1×1 and 3×3 conv, pool, for 32 px
                conv1=nn.Conv2d(in_channels, 32, kernel_size=3, padding=1),  # output(32, 32, 32)
                relu1=nn.ReLU(),
                pool1=nn.MaxPool2d(kernel_size=3, stride=2, padding=1),  # output(32, 16, 16)
                conv2=nn.Conv2d(32, 32, kernel_size=1),  # output(32, 16, 16)
                relu2=nn.ReLU(),
                conv3=nn.Conv2d(32, 48, kernel_size=3, padding=1),  # output(48, 16, 16)
                relu3=nn.ReLU(),
            )),
            inception3a=Inception(48, 16, (24, 32), (4, 8), 8),  # output(64, 16, 16)
            inception3b=Inception(64, 32, (32, 48), (8, 24), 16),  # output(120, 16, 16)
            pool3=nn.MaxPool2d(kernel_size=3, stride=2, padding=1),  # output(120, 8, 8)
            inception4a=Inception(120, 48, (24, 52), (4, 12), 16),  # output(128, 8, 8)
            inception4b=Inception(128, 40, (28, 56), (6, 16), 16),  # output(128, 8, 8)
            pool4=nn.MaxPool2d(kernel_size=3, stride=2, padding=1),  # output(128, 4, 4)
            inception5a=Inception(128, 64, (40, 80), (8, 32), 32),  # output(208, 4, 4)
        ))
        self.classifier = nn.Sequential(OrderedDict(
            avgpool=nn.AdaptiveAvgPool2d(1),  # global average pooling: output(208, 1, 1)
            flatten=nn.Flatten(),  # output(208)
            dropout=nn.Dropout(dropout),
            fc=nn.Linear(208, num_classes),  # output(10)
        ))

        he_init_(self)  # no batch norm here: see _init.py

    def forward(self, x: Tensor) -> Tensor:
        return self.classifier(self.features(x))
