"""LeNet (LeCun et al., 1998, "Gradient-based learning applied to document recognition"), primer §2–§3."""

from __future__ import annotations

from collections import OrderedDict

from torch import Tensor, nn


class LeNet(nn.Module):
    """The primer's LeNet: two 5×5 convolutions with max-pooling, then three fully connected layers.

    Same layers and sizes as the primer's code (``conv1 = nn.Conv2d(3, 16, 5)`` … ``fc3 = nn.Linear(84, 10)``),
    written as ``features`` and ``classifier`` stages with ReLU as modules so every layer can be listed.
    """

    def __init__(self, num_classes: int = 10, in_channels: int = 3):
        super().__init__()
        self.model_args = {"num_classes": num_classes, "in_channels": in_channels}
        self.features = nn.Sequential(OrderedDict(
            conv1=nn.Conv2d(in_channels, 16, 5),  # input(3, 32, 32) output(16, 28, 28)
            relu1=nn.ReLU(),
            pool1=nn.MaxPool2d(2, 2),  # output(16, 14, 14)
            conv2=nn.Conv2d(16, 32, 5),  # output(32, 10, 10)
            relu2=nn.ReLU(),
            pool2=nn.MaxPool2d(2, 2),  # output(32, 5, 5)
        ))
        self.classifier = nn.Sequential(OrderedDict(
            flatten=nn.Flatten(),  # output(32*5*5)
            fc1=nn.Linear(32 * 5 * 5, 120),  # output(120)
            relu3=nn.ReLU(),
            fc2=nn.Linear(120, 84),  # output(84)
            relu4=nn.ReLU(),
            fc3=nn.Linear(84, num_classes),  # output(10)
        ))

    def forward(self, x: Tensor) -> Tensor:
        return self.classifier(self.features(x))
