"""FCN (Long, Shelhamer & Darrell, 2015, "Fully Convolutional Networks for Semantic Segmentation",
arXiv:1411.4038), primer §11.

The primer's recipe: take a CNN, drop its global pooling and fully connected layer, turn the last feature maps
into one score map per class with a 1×1 convolution, and bring them back to the input's size with a transposed
convolution initialised as bilinear upsampling. The backbone here is this app's own ResNet
(``playground/models/resnet.py``, total stride 16). Like FCN-8s, scores from two earlier stages are added on the
way up (skip connections), so thin digit strokes survive the upsampling.
"""

from __future__ import annotations

from collections import OrderedDict

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from .resnet import ResNet


def bilinear_kernel(in_channels: int, out_channels: int, kernel_size: int) -> Tensor:
    """d2l's bilinear-interpolation kernel (in_channels, out_channels, k, k) for ``nn.ConvTranspose2d``: channel
    c maps to channel c only, with weights that fall off linearly from the kernel's centre."""
    factor = (kernel_size + 1) // 2
    center = factor - 1 if kernel_size % 2 == 1 else factor - 0.5
    og = (torch.arange(kernel_size).reshape(-1, 1), torch.arange(kernel_size).reshape(1, -1))
    filt = (1 - torch.abs(og[0] - center) / factor) * (1 - torch.abs(og[1] - center) / factor)  # (k, k)
    weight = torch.zeros((in_channels, out_channels, kernel_size, kernel_size))
    channels = torch.arange(min(in_channels, out_channels))
    weight[channels, channels, :, :] = filt
    return weight


def bilinear_upsampling(channels: int, factor: int) -> nn.ConvTranspose2d:
    """A transposed convolution that starts as ×``factor`` bilinear upsampling (kernel 2f, stride f, padding
    f/2: output = input × f), and can learn from there."""
    up = nn.ConvTranspose2d(channels, channels, kernel_size=2 * factor, stride=factor, padding=factor // 2,
                            bias=False)
    with torch.no_grad():
        up.weight.copy_(bilinear_kernel(channels, channels, 2 * factor))
    return up


class FCN(nn.Module):
    """ResNet stages → 1×1 convolutions to ``num_classes`` score maps → bilinear-initialised transposed
    convolutions back to the input size, adding the scores of stages 3 and 2 on the way (FCN-8s style).

    On a 64×64 scene: layer2 (32, 16, 16), layer3 (64, 8, 8), layer4 (128, 4, 4); scores (11, 4, 4) → ×2 + layer3's
    → ×2 + layer2's → ×4 → (11, 64, 64). Any input size works: it is padded to a multiple of 16 and cropped back.
    """

    stride = 16  # the backbone's total stride

    def __init__(self, num_classes: int = 11, in_channels: int = 3, channels: tuple[int, ...] = (16, 32, 64, 128)):
        super().__init__()
        self.model_args = {"num_classes": num_classes, "in_channels": in_channels, "channels": channels}
        self.backbone = ResNet(in_channels=in_channels, channels=channels).features  # stem, layer1 … layer4
        self.score = nn.ModuleDict(OrderedDict(
            layer2=nn.Conv2d(channels[1], num_classes, kernel_size=1),  # output(11, 16, 16)
            layer3=nn.Conv2d(channels[2], num_classes, kernel_size=1),  # output(11, 8, 8)
            layer4=nn.Conv2d(channels[3], num_classes, kernel_size=1),  # output(11, 4, 4): the coarse score map
        ))
        self.up4 = bilinear_upsampling(num_classes, 2)  # output(11, 8, 8)
        self.up3 = bilinear_upsampling(num_classes, 2)  # output(11, 16, 16)
        self.up_final = bilinear_upsampling(num_classes, 4)  # output(11, 64, 64)

    def stages(self, x: Tensor) -> dict[str, Tensor]:
        """The backbone's outputs by stage name (x padded to a multiple of the stride)."""
        out = {}
        for name, stage in self.backbone.named_children():
            x = stage(x)
            out[name] = x
        return out

    def forward(self, x: Tensor) -> Tensor:
        height, width = x.shape[-2:]
        pad_h, pad_w = (-height) % self.stride, (-width) % self.stride
        x = F.pad(x, (0, pad_w, 0, pad_h))  # zeros: the mean colour in normalised space
        stage = self.stages(x)
        coarse = self.score["layer4"](stage["layer4"])
        scores = self.up4(coarse) + self.score["layer3"](stage["layer3"])
        scores = self.up3(scores) + self.score["layer2"](stage["layer2"])
        return self.up_final(scores)[..., :height, :width]  # (N, classes, H, W): per-pixel class scores
