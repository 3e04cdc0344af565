"""AlexNet (Krizhevsky et al., 2012, "ImageNet Classification with Deep Convolutional Neural Networks"), primer §4."""

from __future__ import annotations

from collections import OrderedDict

from torch import Tensor, nn

from ._init import he_init_


class AlexNet(nn.Module):
    """AlexNet (Krizhevsky et al., 2012, NeurIPS, no arXiv version), primer §4, shrunk for 32×32 inputs.

    The same eight layers as the paper (five convolutions, two hidden fully connected layers with dropout,
    one output layer) and its overlapping 3×3/stride-2 max-pooling, but with 3×3/5×5 kernels and stride 1
    instead of 11×11/stride 4, and far fewer channels: a 32-pixel digit has no room for a 224-pixel stem.
    """

    def __init__(self, num_classes: int = 10, in_channels: int = 3, width: int = 32, hidden: int = 256,
                 dropout: float = 0.5):
        super().__init__()
        self.model_args = {"num_classes": num_classes, "in_channels": in_channels, "width": width, "hidden": hidden,
                           "dropout": dropout}
        c1, c2, c3 = width, 2 * width, 3 * width  # 32, 64, 96 for the paper's 96, 256, 384
        self.features = nn.Sequential(OrderedDict(
            conv1=nn.Conv2d(in_channels, c1, kernel_size=3, padding=1),  # input(3, 32, 32) output(32, 32, 32)
            relu1=nn.ReLU(),
            pool1=nn.MaxPool2d(kernel_size=3, stride=2),  # output(32, 15, 15)
            conv2=nn.Conv2d(c1, c2, kernel_size=5, padding=2),  # output(64, 15, 15)
            relu2=nn.ReLU(),
            pool2=nn.MaxPool2d(kernel_size=3, stride=2),  # output(64, 7, 7)
            conv3=nn.Conv2d(c2, c3, kernel_size=3, padding=1),  # output(96, 7, 7)
            relu3=nn.ReLU(),
            conv4=nn.Conv2d(c3, c3, kernel_size=3, padding=1),  # output(96, 7, 7)
            relu4=nn.ReLU(),
            conv5=nn.Conv2d(c3, c2, kernel_size=3, padding=1),  # output(64, 7, 7)
            relu5=nn.ReLU(),
            pool3=nn.MaxPool2d(kernel_size=3, stride=2),  # output(64, 3, 3)
        ))
        self.classifier = nn.Sequential(OrderedDict(
            flatten=nn.Flatten(),  # output(64*3*3)
            dropout1=nn.Dropout(dropout),
            fc1=nn.Linear(c2 * 3 * 3, hidden),  # output(256); the paper's 4096
            relu6=nn.ReLU(),
            dropout2=nn.Dropout(dropout),
            fc2=nn.Linear(hidden, hidden),  # output(256)
            relu7=nn.ReLU(),
            fc3=nn.Linear(hidden, num_classes),  # output(10)
        ))

        he_init_(self)  # no batch norm here: see _init.py

    def forward(self, x: Tensor) -> Tensor:
        return self.classifier(self.features(x))
