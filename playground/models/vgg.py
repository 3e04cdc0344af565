"""VGG (Simonyan & Zisserman, 2014, "Very Deep Convolutional Networks for Large-Scale Image Recognition"), primer §5."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

from torch import Tensor, nn

from ._init import he_init_

# (number of convolutions, output channels) per block: VGG-11's layout with a quarter of its channels
# (64, 128, 256, 512, 512 → 16, 32, 64, 128, 128), as d2l shrinks it for small images.
VGG11_SMALL = ((1, 16), (1, 32), (2, 64), (2, 128), (2, 128))


def vgg_block(num_convs: int, in_channels: int, out_channels: int) -> nn.Sequential:
    """The primer's VGG block: ``num_convs`` 3×3 convolutions (padding 1 keeps the size), then a 2×2 max-pool."""
    layers = []
    for _ in range(num_convs):
        layers.append(nn.Conv2d(in_channels, out_channels, kernel_size=3, padding=1))
        layers.append(nn.ReLU())
        in_channels = out_channels
    layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
    return nn.Sequential(*layers)


class VGG(nn.Module):
    """VGG (Simonyan & Zisserman, 2014, "Very Deep Convolutional Networks …", arXiv:1409.1556), primer §5.

    Five ``vgg_block``s halve 32×32 down to 1×1, so the classifier sees one pixel of 128 channels; the three
    fully connected layers with dropout are the paper's, 256 wide instead of 4096.
    """

    def __init__(self, num_classes: int = 10, in_channels: int = 3,
                 conv_arch: Sequence[tuple[int, int]] = VGG11_SMALL, hidden: int = 256, dropout: float = 0.5,
                 image_size: int = 32):
        super().__init__()
        self.model_args = {"num_classes": num_classes, "in_channels": in_channels, "conv_arch": conv_arch,
                           "hidden": hidden, "dropout": dropout, "image_size": image_size}
        blocks = OrderedDict()
        for index, (num_convs, out_channels) in enumerate(conv_arch, start=1):
            blocks[f"block{index}"] = vgg_block(num_convs, in_channels, out_channels)
            in_channels = out_channels
        # block1 (16, 16, 16) → block2 (32, 8, 8) → block3 (64, 4, 4) → block4 (128, 2, 2) → block5 (128, 1, 1)
        self.features = nn.Sequential(blocks)
        side = image_size // 2 ** len(conv_arch)  # every block halves the side: 32 // 2**5 = 1
        self.classifier = nn.Sequential(OrderedDict(
            flatten=nn.Flatten(),  # output(128*1*1)
            fc1=nn.Linear(in_channels * side * side, hidden),  # output(256)
            relu1=nn.ReLU(),
            dropout1=nn.Dropout(dropout),
            fc2=nn.Linear(hidden, hidden),  # output(256)
            relu2=nn.ReLU(),
            dropout2=nn.Dropout(dropout),
            fc3=nn.Linear(hidden, num_classes),  # output(10)
        ))

        he_init_(self)  # no batch norm here: see _init.py

    def forward(self, x: Tensor) -> Tensor:
        return self.classifier(self.features(x))
