"""Primer §2, §8 and §11 by counting: how large a convolution's output is, and what depthwise separable saves.

The output side of a convolution or pooling, ⌊(n + 2p − d·(k − 1) − 1) / s⌋ + 1, and of a transposed convolution,
(n − 1)·s − 2p + d·(k − 1) + output_padding + 1, each also written out with the learner's numbers; the eight
animations of vdumoulin/conv_arithmetic as presets; and the parameters and multiply-adds of a standard k×k
convolution against a depthwise k×k plus a pointwise 1×1 one (MobileNet, §8).

    >>> output_size(7, 3, stride=2, padding=1), separable_cost().exact_ratio
    (4, 0.3611111111111111)
"""

from __future__ import annotations

from dataclasses import dataclass

from playground.inputs import as_whole
from playground.limits import MAX_CONV_KERNEL, MAX_COST_CHANNELS, MAX_COST_SIDE

# --- output size -------------------------------------------------------------------------------------


def output_size(n: int, k: int, *, stride: int = 1, padding: int = 0, dilation: int = 1) -> int:
    """⌊(n + 2p − d·(k − 1) − 1) / s⌋ + 1: the output side of a convolution or pooling (≤ 0: no output)."""
    return (n + 2 * padding - dilation * (k - 1) - 1) // stride + 1


def transposed_output_size(n: int, k: int, *, stride: int = 1, padding: int = 0, output_padding: int = 0,
                           dilation: int = 1) -> int:
    """(n − 1)·s − 2p + d·(k − 1) + output_padding + 1: the output side of a transposed convolution."""
    return (n - 1) * stride - 2 * padding + dilation * (k - 1) + output_padding + 1


@dataclass(frozen=True)
class SizeFormula:
    """The output-size formula, then written out with the learner's numbers (``width`` is None when equal)."""

    general: str
    height: str
    width: str | None
    out_height: int
    out_width: int


def _signed(value: int) -> str:
    return f"({value})" if value < 0 else str(value)


def conv_size_formula(height: int, width: int, kernel_h: int, kernel_w: int, *, stride: int = 1,
                      padding: int = 0, dilation: int = 1) -> SizeFormula:
    """E.g. ``⌊(7 + 2·1 − 1·(3 − 1) − 1) / 2⌋ + 1 = 4`` for height and width."""

    def written(n: int, k: int) -> str:
        value = output_size(n, k, stride=stride, padding=padding, dilation=dilation)
        return f"⌊({n} + 2·{padding} − {dilation}·({k} − 1) − 1) / {stride}⌋ + 1 = {_signed(value)}"

    rows, cols = written(height, kernel_h), written(width, kernel_w)
    return SizeFormula(
        "⌊(n + 2p − d·(k − 1) − 1) / s⌋ + 1", rows, None if cols == rows else cols,
        output_size(height, kernel_h, stride=stride, padding=padding, dilation=dilation),
        output_size(width, kernel_w, stride=stride, padding=padding, dilation=dilation),
    )


def transposed_size_formula(height: int, width: int, kernel_h: int, kernel_w: int, *, stride: int = 1,
                            padding: int = 0, output_padding: int = 0, dilation: int = 1) -> SizeFormula:
    """E.g. ``(3 − 1)·2 − 2·1 + 1·(3 − 1) + 0 + 1 = 5`` for height and width."""
    options = dict(stride=stride, padding=padding, output_padding=output_padding, dilation=dilation)

    def written(n: int, k: int) -> str:
        value = transposed_output_size(n, k, **options)
        return (f"({n} − 1)·{stride} − 2·{padding} + {dilation}·({k} − 1) + {output_padding} + 1"
                f" = {_signed(value)}")

    rows, cols = written(height, kernel_h), written(width, kernel_w)
    return SizeFormula(
        "(n − 1)·s − 2p + d·(k − 1) + output_padding + 1", rows, None if cols == rows else cols,
        transposed_output_size(height, kernel_h, **options), transposed_output_size(width, kernel_w, **options),
    )


# --- the eight conv_arithmetic animations ----------------------------------------------------------------


@dataclass(frozen=True)
class ArithmeticPreset:
    """One of the eight animations of vdumoulin/conv_arithmetic (square input n×n, kernel k×k)."""

    name: str  # the animation's file name there, e.g. "no_padding_no_strides"
    n: int
    kernel: int
    stride: int
    padding: int
    dilation: int

    @property
    def key(self) -> str:
        return f"conv.preset.{self.name}"

    @property
    def output(self) -> int:
        return output_size(self.n, self.kernel, stride=self.stride, padding=self.padding, dilation=self.dilation)

    @property
    def output_padding_to_invert(self) -> int:
        """The output_padding a transposed convolution needs to map ``output`` back to exactly ``n``."""
        return (self.n + 2 * self.padding - self.dilation * (self.kernel - 1) - 1) % self.stride


CONV_ARITHMETIC_PRESETS: tuple[ArithmeticPreset, ...] = (
    ArithmeticPreset("no_padding_no_strides", 4, 3, 1, 0, 1),
    ArithmeticPreset("arbitrary_padding_no_strides", 5, 4, 1, 2, 1),
    ArithmeticPreset("same_padding_no_strides", 5, 3, 1, 1, 1),
    ArithmeticPreset("full_padding_no_strides", 5, 3, 1, 2, 1),
    ArithmeticPreset("no_padding_strides", 5, 3, 2, 0, 1),
    ArithmeticPreset("padding_strides", 5, 3, 2, 1, 1),
    ArithmeticPreset("padding_strides_odd", 6, 3, 2, 1, 1),
    ArithmeticPreset("dilation", 7, 3, 1, 0, 2),
)


# --- depthwise separable convolution: what it saves --------------------------------------------------


@dataclass(frozen=True)
class CostComparison:
    """Parameters and multiply-adds of a standard k×k convolution vs depthwise k×k + pointwise 1×1 (§8).

    Without biases the ratio is exactly (C_in·k² + C_in·C_out) / (C_out·C_in·k²) = 1/C_out + 1/k².
    """

    in_channels: int
    out_channels: int
    kernel: int
    out_height: int
    out_width: int
    bias: bool
    standard_params: int
    depthwise_params: int
    pointwise_params: int
    standard_macs: int
    depthwise_macs: int
    pointwise_macs: int

    @property
    def separable_params(self) -> int:
        return self.depthwise_params + self.pointwise_params

    @property
    def separable_macs(self) -> int:
        return self.depthwise_macs + self.pointwise_macs

    @property
    def standard_weights(self) -> int:
        return self.out_channels * self.in_channels * self.kernel**2

    @property
    def separable_weights(self) -> int:
        return self.in_channels * self.kernel**2 + self.in_channels * self.out_channels

    @property
    def param_ratio(self) -> float:
        return self.separable_params / self.standard_params

    @property
    def mac_ratio(self) -> float:
        return self.separable_macs / self.standard_macs

    @property
    def exact_ratio(self) -> float:
        """1/C_out + 1/k²: weights (and multiply-adds) of the separable pair over the standard convolution."""
        return 1 / self.out_channels + 1 / self.kernel**2


def separable_cost(in_channels: int = 3, out_channels: int = 4, kernel: int = 3, out_height: int = 5,
                   out_width: int = 5, *, bias: bool = True) -> CostComparison:
    """What depthwise + pointwise saves; the default is the primer's figure (3 → 4 channels, 3×3): 39/108 ≈ 0.36."""
    c_in = as_whole(in_channels, 1, MAX_COST_CHANNELS, "conv.in_channels")
    c_out = as_whole(out_channels, 1, MAX_COST_CHANNELS, "conv.out_channels")
    k = as_whole(kernel, 1, MAX_CONV_KERNEL, "conv.kernel")
    h = as_whole(out_height, 1, MAX_COST_SIDE, "conv.out_size")
    w = as_whole(out_width, 1, MAX_COST_SIDE, "conv.out_size")
    bias = bool(bias)
    return CostComparison(
        c_in, c_out, k, h, w, bias,
        standard_params=c_out * c_in * k * k + (c_out if bias else 0),
        depthwise_params=c_in * k * k + (c_in if bias else 0),  # one k×k kernel per input channel
        pointwise_params=c_out * c_in + (c_out if bias else 0),  # C_out kernels of size 1×1×C_in
        standard_macs=c_out * c_in * k * k * h * w,  # every output cell: C_in·k² products
        depthwise_macs=c_in * k * k * h * w,
        pointwise_macs=c_out * c_in * h * w,
    )
