"""MobileNet v1 and v2, primer §8: depthwise separable convolutions, then inverted residuals with linear bottlenecks.

v1: Howard et al., 2017, "MobileNets: Efficient Convolutional Neural Networks for Mobile Vision Applications",
arXiv:1704.04861. v2: Sandler et al., 2018, "MobileNetV2: Inverted Residuals and Linear Bottlenecks", arXiv:1801.04381.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

from torch import Tensor, nn

# MobileNet v1: (output channels, stride) of each depthwise separable convolution. The paper's table with half
# its channels and without its last two 2×2/1×1 rows: a 32-pixel image is 4×4 after three stride-2 rows.
V1_SMALL = ((32, 1), (64, 2), (64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (256, 1))

# MobileNet v2: t expansion factor, c output channels, n repeats, s stride of the first repeat. The paper's
# first five rows with half the channels; the first stride-2 row runs at stride 1 for 32-pixel images.
V2_SMALL = (
    # t, c, n, s
    (1, 8, 1, 1),  # (8, 32, 32)
    (6, 12, 2, 2),  # (12, 16, 16)
    (6, 16, 3, 2),  # (16, 8, 8)
    (6, 32, 2, 2),  # (32, 4, 4)
    (6, 48, 2, 1),  # (48, 4, 4)
)


class DepthwiseSeparable(nn.Module):
    """MobileNet v1's block: a 3×3 depthwise convolution (one filter per channel), then a 1×1 pointwise one."""

    def __init__(self, in_channels: int, out_channels: int, stride: int = 1):
        super().__init__()
        self.depthwise = nn.Conv2d(in_channels, in_channels, kernel_size=3, stride=stride, padding=1,
                                   groups=in_channels, bias=False)  # groups=in_channels: each channel on its own
        self.bn1 = nn.BatchNorm2d(in_channels)
        self.relu1 = nn.ReLU()
        self.pointwise = nn.Conv2d(in_channels, out_channels, kernel_size=1, bias=False)  # mixes the channels
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.relu2 = nn.ReLU()

    def forward(self, x: Tensor) -> Tensor:
        x = self.relu1(self.bn1(self.depthwise(x)))
        return self.relu2(self.bn2(self.pointwise(x)))


class MobileNetV1(nn.Module):
    """MobileNet v1 (Howard et al., 2017, "MobileNets …", arXiv:1704.04861), primer §8.

    A VGG-like stack where every convolution after the first is a ``DepthwiseSeparable`` one; ``V1_SMALL`` lists them.
    """

    def __init__(self, num_classes: int = 10, in_channels: int = 3, stem_channels: int = 16,
                 cfg: Sequence[tuple[int, int]] = V1_SMALL):
        super().__init__()
        self.model_args = {"num_classes": num_classes, "in_channels": in_channels, "stem_channels": stem_channels,
                           "cfg": cfg}
        stages = OrderedDict(
            stem=nn.Sequential(OrderedDict(  # the paper's first layer is an ordinary conv (stride 2 at 224 px)
                conv=nn.Conv2d(in_channels, stem_channels, kernel_size=3, padding=1, bias=False),  # (16, 32, 32)
                bn=nn.BatchNorm2d(stem_channels),
                relu=nn.ReLU(),
            )),
        )
        channels = stem_channels
        for index, (out_channels, stride) in enumerate(cfg, start=1):
            stages[f"block{index}"] = DepthwiseSeparable(channels, out_channels, stride)
            channels = out_channels
        # block1 (32, 32, 32) → block2 (64, 16, 16) → block4 (128, 8, 8) → block6 … block8 (256, 4, 4)
        self.features = nn.Sequential(stages)
        self.classifier = nn.Sequential(OrderedDict(
            avgpool=nn.AdaptiveAvgPool2d(1),  # output(256, 1, 1)
            flatten=nn.Flatten(),  # output(256)
            fc=nn.Linear(channels, num_classes),  # output(10)
        ))

    def forward(self, x: Tensor) -> Tensor:
        return self.classifier(self.features(x))


class InvertedResidual(nn.Module):
    """MobileNet v2's block: 1×1 expand + ReLU6, 3×3 depthwise + ReLU6, 1×1 linear projection with no activation.

    The projection back to few channels is the *linear bottleneck*: a ReLU there would throw information away.
    The input is added to the output (the inverted residual) when the stride is 1 and the channels match.
    """

    def __init__(self, in_channels: int, out_channels: int, stride: int, expand_ratio: int):
        super().__init__()
        hidden = in_channels * expand_ratio
        layers = OrderedDict()
        if expand_ratio != 1:  # with t = 1 there is nothing to expand
            layers["expand"] = nn.Conv2d(in_channels, hidden, kernel_size=1, bias=False)
            layers["bn1"] = nn.BatchNorm2d(hidden)
            layers["relu1"] = nn.ReLU6()
        layers["depthwise"] = nn.Conv2d(hidden, hidden, kernel_size=3, stride=stride, padding=1, groups=hidden,
                                        bias=False)
        layers["bn2"] = nn.BatchNorm2d(hidden)
        layers["relu2"] = nn.ReLU6()
        layers["project"] = nn.Conv2d(hidden, out_channels, kernel_size=1, bias=False)
        layers["bn3"] = nn.BatchNorm2d(out_channels)  # linear bottleneck: no activation after the projection
        self.conv = nn.Sequential(layers)
        self.use_res_connect = stride == 1 and in_channels == out_channels

    def forward(self, x: Tensor) -> Tensor:
        if self.use_res_connect:
            return x + self.conv(x)
        return self.conv(x)


class MobileNetV2(nn.Module):
    """MobileNet v2 (Sandler et al., 2018, "MobileNetV2: Inverted Residuals …", arXiv:1801.04381), primer §8.

    A stem, the ``InvertedResidual`` rows of ``V2_SMALL`` (# t, c, n, s), a last 1×1 conv, global average pooling.
    """

    def __init__(self, num_classes: int = 10, in_channels: int = 3, stem_channels: int = 16, last_channels: int = 256,
                 cfg: Sequence[tuple[int, int, int, int]] = V2_SMALL, dropout: float = 0.2):
        super().__init__()
        self.model_args = {"num_classes": num_classes, "in_channels": in_channels, "stem_channels": stem_channels,
                           "last_channels": last_channels, "cfg": cfg, "dropout": dropout}
        stages = OrderedDict(
            stem=nn.Sequential(OrderedDict(  # stride 1 instead of the paper's 2 for 32-pixel images
                conv=nn.Conv2d(in_channels, stem_channels, kernel_size=3, padding=1, bias=False),  # (16, 32, 32)
                bn=nn.BatchNorm2d(stem_channels),
                relu=nn.ReLU6(),
            )),
        )
        channels = stem_channels
        for index, (t, c, n, s) in enumerate(cfg, start=1):
            stages[f"block{index}"] = nn.Sequential(*[
                InvertedResidual(channels if i == 0 else c, c, s if i == 0 else 1, t) for i in range(n)])
            channels = c
        stages["conv_last"] = nn.Sequential(OrderedDict(  # the paper's 1×1 conv to 1280 channels
            conv=nn.Conv2d(channels, last_channels, kernel_size=1, bias=False),  # output(256, 4, 4)
            bn=nn.BatchNorm2d(last_channels),
            relu=nn.ReLU6(),
        ))
        self.features = nn.Sequential(stages)
        self.classifier = nn.Sequential(OrderedDict(
            avgpool=nn.AdaptiveAvgPool2d(1),  # output(256, 1, 1)
            flatten=nn.Flatten(),  # output(256)
            dropout=nn.Dropout(dropout),
            fc=nn.Linear(last_channels, num_classes),  # output(10)
        ))

    def forward(self, x: Tensor) -> Tensor:
        return self.classifier(self.features(x))
