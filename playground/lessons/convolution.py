"""Primer §2, §8 and §11: convolution, pooling, depthwise separable and transposed convolution, step by step.

Every output cell is computed by a readable loop (take the window, multiply by the kernel, add up), and the
whole result is then checked against ``torch.nn.functional`` on the learner's device. Tensors are float64
on the CPU and have no batch dimension: an input is (channels, height, width).

    >>> result = conv2d_steps(random_values((1, 4, 4), seed=0), torch.ones(1, 1, 3, 3))
    >>> result.output.shape, result.check.matches
    (torch.Size([1, 2, 2]), True)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import torch
import torch.nn.functional as F
from torch import Tensor

from playground.errors import InputError
from playground.i18n import Text
from playground.lessons.checks import TorchCheck, compare
from playground.inputs import as_whole, parse_channels, parse_numbers
from playground.limits import (
    MAX_ANIMATION_FRAMES,
    MAX_CONV_CHANNELS,
    MAX_CONV_DILATION,
    MAX_CONV_INPUT_SIDE,
    MAX_CONV_KERNEL,
    MAX_CONV_PADDING,
    MAX_CONV_STRIDE,
    MAX_CONV_VALUE,
    MAX_COST_CHANNELS,
    MAX_COST_SIDE,
    MAX_OUTPUT_PADDING,
    MAX_SEED,
)

Device = torch.device | str

# --- checking what the learner asked for ------------------------------------------------------------


def _whole(value: object, name: str, *, low: int, high: int) -> int:
    """A learner's number as an int in [low, high]; 2.5 (from a number box) or text is refused, 3.0 is fine."""
    return as_whole(value, low, high, name)


def check_channel_index(index: object, count: int, *, name: str = "conv.channel_shown") -> int:
    """The channel a figure should show, as an int in [0, count); anything else is a learner's mistake."""
    return _whole(index, name, low=0, high=count - 1)


@dataclass(frozen=True)
class ConvGeometry:
    """The validated settings of one convolution and the output size they give."""

    in_channels: int
    out_channels: int
    height: int
    width: int
    kernel_h: int
    kernel_w: int
    stride: int
    padding: int
    dilation: int
    groups: int
    out_height: int
    out_width: int


def _check_fits(kernel_h: int, kernel_w: int, padded_h: int, padded_w: int, dilation: int) -> None:
    reach_h, reach_w = dilation * (kernel_h - 1) + 1, dilation * (kernel_w - 1) + 1
    if reach_h > padded_h or reach_w > padded_w:
        raise InputError("conv.err.kernel_too_big", kh=kernel_h, kw=kernel_w, d=dilation, eh=reach_h, ew=reach_w,
                         ph=padded_h, pw=padded_w)


def _check_frames(out_height: int, out_width: int) -> None:
    if out_height * out_width > MAX_ANIMATION_FRAMES:
        raise InputError("conv.err.too_many_frames", h=out_height, w=out_width, count=out_height * out_width,
                         limit=MAX_ANIMATION_FRAMES)


def _validate_shapes(*, in_channels: object, out_channels: object, height: object, width: object,
                     kernel_h: object, kernel_w: object, groups: object = 1) -> tuple[int, ...]:
    """Channels, groups, input and kernel sizes within the app's limits, as ints."""
    in_channels = _whole(in_channels, "conv.in_channels", low=1, high=MAX_CONV_CHANNELS)
    out_channels = _whole(out_channels, "conv.out_channels", low=1, high=MAX_CONV_CHANNELS)
    groups = _whole(groups, "conv.groups", low=1, high=MAX_CONV_CHANNELS)
    if in_channels % groups or out_channels % groups:
        raise InputError("conv.err.groups", groups=groups, c_in=in_channels, c_out=out_channels)
    height = _whole(height, "conv.in_size", low=1, high=MAX_CONV_INPUT_SIDE)
    width = _whole(width, "conv.in_size", low=1, high=MAX_CONV_INPUT_SIDE)
    kernel_h = _whole(kernel_h, "conv.kernel", low=1, high=MAX_CONV_KERNEL)
    kernel_w = _whole(kernel_w, "conv.kernel", low=1, high=MAX_CONV_KERNEL)
    return in_channels, out_channels, height, width, kernel_h, kernel_w, groups


def validate_conv(
    *,
    in_channels: object,
    out_channels: object,
    height: object,
    width: object,
    kernel_h: object,
    kernel_w: object,
    stride: object = 1,
    padding: object = 0,
    dilation: object = 1,
    groups: object = 1,
) -> ConvGeometry:
    """Every rule a convolution must follow here (PyTorch's rules plus the app's limits), or an InputError."""
    stride = _whole(stride, "conv.stride", low=1, high=MAX_CONV_STRIDE)
    padding = _whole(padding, "conv.padding", low=0, high=MAX_CONV_PADDING)
    dilation = _whole(dilation, "conv.dilation", low=1, high=MAX_CONV_DILATION)
    in_channels, out_channels, height, width, kernel_h, kernel_w, groups = _validate_shapes(
        in_channels=in_channels, out_channels=out_channels, height=height, width=width, kernel_h=kernel_h,
        kernel_w=kernel_w, groups=groups)
    _check_fits(kernel_h, kernel_w, height + 2 * padding, width + 2 * padding, dilation)
    out_height = output_size(height, kernel_h, stride=stride, padding=padding, dilation=dilation)
    out_width = output_size(width, kernel_w, stride=stride, padding=padding, dilation=dilation)
    _check_frames(out_height, out_width)
    return ConvGeometry(in_channels, out_channels, height, width, kernel_h, kernel_w, stride, padding, dilation,
                        groups, out_height, out_width)


def _as_input(x: object) -> Tensor:
    """(C, H, W) float64 on the CPU; a plain (H, W) matrix is one channel."""
    x = torch.as_tensor(x).detach().to("cpu", torch.float64)
    if x.dim() == 2:
        x = x.unsqueeze(0)
    if x.dim() != 3 or 0 in x.shape:
        raise InputError("conv.err.input_dims", shape="×".join(map(str, x.shape)) or "()")
    _check_finite(x)
    return x


def _as_weight(weight: object, *, layout: str) -> Tensor:
    """(A, B, kh, kw) float64 on the CPU; a plain (kh, kw) matrix is one kernel for one channel."""
    weight = torch.as_tensor(weight).detach().to("cpu", torch.float64)
    if weight.dim() == 2:
        weight = weight[None, None]
    if weight.dim() != 4 or 0 in weight.shape:
        raise InputError("conv.err.weight_dims", shape="×".join(map(str, weight.shape)) or "()",
                         layout=Text(f"conv.layout.{layout}"))
    _check_finite(weight)
    return weight


def _as_bias(bias: object, out_channels: int) -> Tensor | None:
    if bias is None:
        return None
    bias = torch.as_tensor(bias).detach().to("cpu", torch.float64).flatten()
    if bias.numel() != out_channels:
        raise InputError("conv.err.bias_count", got=bias.numel(), want=out_channels)
    _check_finite(bias)
    return bias


def _check_finite(values: Tensor) -> None:
    if not torch.isfinite(values).all():
        raise InputError("common.err.not_finite", token=str(values[~torch.isfinite(values)][0].item()))
    if values.numel() and values.abs().max() > MAX_CONV_VALUE:
        raise InputError("conv.err.value_too_big", value=f"{values.abs().max().item():.3g}", limit=f"{MAX_CONV_VALUE:g}")


# --- checking against PyTorch on the learner's device ------------------------------------------------


def _device(device: Device) -> torch.device:
    return torch.device(device)


def _on(device: torch.device, *tensors: Tensor | None) -> list[Tensor | None]:
    """The tensors moved to ``device`` in the precision it supports (MPS has no float64)."""
    dtype = torch.float32 if device.type == "mps" else torch.float64
    return [None if t is None else t.to(device, dtype) for t in tensors]


def _check(ours: Tensor, reference: Tensor, *, op: str, device: torch.device) -> TorchCheck:
    if device.type == "mps":  # float32 there: compare at float32's precision
        return compare(ours, reference, op=op, atol=1e-4, rtol=1e-5)
    return compare(ours, reference, op=op)


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


# --- convolution, one output cell at a time ----------------------------------------------------------


@dataclass(frozen=True)
class ConvStep:
    """Output cell (row, col) and the rows and columns of the padded input its window reads."""

    row: int
    col: int
    rows: tuple[int, ...]
    cols: tuple[int, ...]


@dataclass(frozen=True)
class ConvResult:
    """A convolution with every intermediate number: the padded input, each window, each channel's share.

    ``partials[o, m]`` is what input channel ``group_inputs[o][m]`` contributes to output channel ``o``; the
    output is their sum plus the bias (the primer's figures 8 and 9).
    """

    input: Tensor  # (C_in, H, W) as given
    padded: Tensor  # (C_in, H + 2p, W + 2p): what the kernel slides over
    pad_mask: Tensor  # (H + 2p, W + 2p) bool: True where the cell is padding (or an inserted zero), not input
    weight: Tensor  # (C_out, C_in / groups, kh, kw)
    bias: Tensor | None  # (C_out,)
    partials: Tensor  # (C_out, C_in / groups, H_out, W_out)
    output: Tensor  # (C_out, H_out, W_out)
    steps: tuple[ConvStep, ...]  # one per output cell, row by row
    group_inputs: tuple[tuple[int, ...], ...]  # the input channels each output channel reads
    stride: int
    padding: int
    dilation: int
    groups: int
    check: TorchCheck

    def window(self, channel: int, step: ConvStep) -> Tensor:
        """The (kh, kw) cells of padded input channel ``channel`` that the kernel touches at ``step``."""
        return self.padded[channel][list(step.rows)][:, list(step.cols)]


def _window_steps(out_height: int, out_width: int, kernel_h: int, kernel_w: int, *, stride: int,
                  dilation: int) -> tuple[ConvStep, ...]:
    return tuple(
        ConvStep(i, j, tuple(i * stride + a * dilation for a in range(kernel_h)),
                 tuple(j * stride + b * dilation for b in range(kernel_w)))
        for i in range(out_height) for j in range(out_width)
    )


def slide_kernel(
    padded: Tensor, weight: Tensor, bias: Tensor | None, *, stride: int, dilation: int, groups: int
) -> tuple[Tensor, Tensor, tuple[ConvStep, ...], tuple[tuple[int, ...], ...]]:
    """The lesson itself: slide the kernel over the (already padded) input, one output cell at a time.

    Returns (partials, output, steps, group_inputs): each input channel's share of every output cell, their
    sum plus the bias, the window of every output cell, and the input channels each output channel reads.
    """
    out_channels, per_group, kernel_h, kernel_w = weight.shape
    reach_h, reach_w = dilation * (kernel_h - 1) + 1, dilation * (kernel_w - 1) + 1  # the dilated kernel's extent
    out_height = (padded.shape[1] - reach_h) // stride + 1
    out_width = (padded.shape[2] - reach_w) // stride + 1
    steps = _window_steps(out_height, out_width, kernel_h, kernel_w, stride=stride, dilation=dilation)

    # Output channel o belongs to group o // (C_out / groups) and reads only that group's input channels.
    outputs_per_group = out_channels // groups
    group_inputs = tuple(
        tuple(range((o // outputs_per_group) * per_group, (o // outputs_per_group + 1) * per_group))
        for o in range(out_channels)
    )

    partials = torch.zeros(out_channels, per_group, out_height, out_width, dtype=torch.float64)
    for o in range(out_channels):
        for m, c in enumerate(group_inputs[o]):
            for i in range(out_height):
                for j in range(out_width):
                    top, left = i * stride, j * stride
                    # every dilation-th cell: the (kh, kw) cells the kernel actually touches
                    window = padded[c, top : top + reach_h : dilation, left : left + reach_w : dilation]
                    partials[o, m, i, j] = (window * weight[o, m]).sum()
    output = partials.sum(dim=1)  # add up the input channels' shares
    if bias is not None:
        output = output + bias[:, None, None]
    return partials, output, steps, group_inputs


def conv2d_steps(
    x: Tensor | Sequence,
    weight: Tensor | Sequence,
    bias: Tensor | Sequence | None = None,
    *,
    stride: int = 1,
    padding: int = 0,
    dilation: int = 1,
    groups: int = 1,
    device: Device = "cpu",
) -> ConvResult:
    """A 2-D convolution computed window by window, each input channel's share kept; checked against F.conv2d.

    ``x`` is (C_in, H, W), ``weight`` (C_out, C_in / groups, kh, kw) and ``bias`` (C_out,), as in PyTorch.
    Depthwise convolution is ``groups = C_in``; a 1×1 convolution is a kernel of size 1.
    """
    x, weight = _as_input(x), _as_weight(weight, layout="conv")
    bias = _as_bias(bias, weight.shape[0])
    geo = validate_conv(in_channels=x.shape[0], out_channels=weight.shape[0], height=x.shape[1], width=x.shape[2],
                        kernel_h=weight.shape[2], kernel_w=weight.shape[3], stride=stride, padding=padding,
                        dilation=dilation, groups=groups)
    if weight.shape[1] * geo.groups != geo.in_channels:
        raise InputError("conv.err.weight_channels", got=weight.shape[1], c_in=geo.in_channels, groups=geo.groups,
                         want=geo.in_channels // geo.groups)

    p = geo.padding
    padded = torch.zeros(geo.in_channels, geo.height + 2 * p, geo.width + 2 * p, dtype=torch.float64)
    padded[:, p : p + geo.height, p : p + geo.width] = x  # a border of p zeros on every side
    pad_mask = torch.ones(padded.shape[1:], dtype=torch.bool)
    pad_mask[p : p + geo.height, p : p + geo.width] = False

    partials, output, steps, group_inputs = slide_kernel(padded, weight, bias, stride=geo.stride,
                                                         dilation=geo.dilation, groups=geo.groups)
    device = _device(device)
    x_dev, w_dev, b_dev = _on(device, x[None], weight, bias)
    with torch.no_grad():
        reference = F.conv2d(x_dev, w_dev, b_dev, stride=geo.stride, padding=p, dilation=geo.dilation,
                             groups=geo.groups)[0]
    return ConvResult(x, padded, pad_mask, weight, bias, partials, output, steps, group_inputs, geo.stride, p,
                      geo.dilation, geo.groups, _check(output, reference, op="F.conv2d", device=device))


# --- pooling -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PoolResult:
    """Max or average pooling window by window, each channel on its own (pooling never mixes channels).

    Max pooling pads with −∞, so a padded cell never wins. Average pooling pads with zeros and divides by the
    full window size, padded zeros included: PyTorch's default ``count_include_pad=True``.
    """

    kind: str  # "max" or "avg"
    input: Tensor  # (C, H, W)
    padded: Tensor  # (C, H + 2p, W + 2p), padded with −∞ (max) or 0 (avg)
    pad_mask: Tensor  # (H + 2p, W + 2p) bool
    output: Tensor  # (C, H_out, W_out)
    steps: tuple[ConvStep, ...]
    argmax: Tensor | None  # max: (C, H_out, W_out, 2) int64, row and col of each window's maximum in ``padded``
    divisor: int | None  # avg: kernel², the count every window sum is divided by
    kernel: int
    stride: int
    padding: int
    dilation: int
    check: TorchCheck

    def window(self, channel: int, step: ConvStep) -> Tensor:
        """The (k, k) cells of padded channel ``channel`` that the window covers at ``step``."""
        return self.padded[channel][list(step.rows)][:, list(step.cols)]


def pool2d_steps(
    x: Tensor | Sequence,
    *,
    kind: Literal["max", "avg"] = "max",
    kernel: int = 2,
    stride: int | None = None,
    padding: int = 0,
    dilation: int = 1,
    device: Device = "cpu",
) -> PoolResult:
    """Max or average pooling (``stride`` defaults to ``kernel``) window by window; checked against PyTorch."""
    if kind not in ("max", "avg"):
        raise InputError("conv.err.pool_kind", kind=str(kind)[:20])
    x = _as_input(x)
    channels = _whole(x.shape[0], "conv.in_channels", low=1, high=MAX_CONV_CHANNELS)
    height = _whole(x.shape[1], "conv.in_size", low=1, high=MAX_CONV_INPUT_SIDE)
    width = _whole(x.shape[2], "conv.in_size", low=1, high=MAX_CONV_INPUT_SIDE)
    kernel = _whole(kernel, "conv.pool_kernel", low=1, high=MAX_CONV_KERNEL)
    stride = kernel if stride is None else _whole(stride, "conv.stride", low=1, high=MAX_CONV_KERNEL)
    padding = _whole(padding, "conv.padding", low=0, high=MAX_CONV_PADDING)
    dilation = _whole(dilation, "conv.dilation", low=1, high=MAX_CONV_DILATION)
    if kind == "avg" and dilation != 1:
        raise InputError("conv.err.avg_dilation", d=dilation)
    if padding > kernel // 2:
        raise InputError("conv.err.pool_padding", p=padding, k=kernel, half=kernel // 2)
    _check_fits(kernel, kernel, height + 2 * padding, width + 2 * padding, dilation)
    out_height = output_size(height, kernel, stride=stride, padding=padding, dilation=dilation)
    out_width = output_size(width, kernel, stride=stride, padding=padding, dilation=dilation)
    _check_frames(out_height, out_width)

    pad_value = -math.inf if kind == "max" else 0.0  # −∞ never wins a max; 0 adds nothing to a sum
    padded = torch.full((channels, height + 2 * padding, width + 2 * padding), pad_value, dtype=torch.float64)
    padded[:, padding : padding + height, padding : padding + width] = x
    pad_mask = torch.ones(padded.shape[1:], dtype=torch.bool)
    pad_mask[padding : padding + height, padding : padding + width] = False

    reach = dilation * (kernel - 1) + 1
    steps = _window_steps(out_height, out_width, kernel, kernel, stride=stride, dilation=dilation)
    output = torch.zeros(channels, out_height, out_width, dtype=torch.float64)
    argmax = torch.zeros(channels, out_height, out_width, 2, dtype=torch.int64) if kind == "max" else None
    for c in range(channels):
        for step in steps:
            top, left = step.row * stride, step.col * stride
            window = padded[c, top : top + reach : dilation, left : left + reach : dilation]  # (k, k)
            if kind == "max":
                best = int(window.flatten().argmax())  # the first maximum, row by row
                output[c, step.row, step.col] = window.flatten()[best]
                argmax[c, step.row, step.col] = torch.tensor([step.rows[best // kernel], step.cols[best % kernel]])
            else:
                output[c, step.row, step.col] = window.sum() / (kernel * kernel)

    device = _device(device)
    (x_dev,) = _on(device, x[None])
    with torch.no_grad():
        if kind == "max":
            reference = F.max_pool2d(x_dev, kernel, stride=stride, padding=padding, dilation=dilation)[0]
        else:
            reference = F.avg_pool2d(x_dev, kernel, stride=stride, padding=padding)[0]  # count_include_pad=True
    op = "F.max_pool2d" if kind == "max" else "F.avg_pool2d"
    return PoolResult(kind, x, padded, pad_mask, output, steps, argmax, None if kind == "max" else kernel * kernel,
                      kernel, stride, padding, dilation, _check(output, reference, op=op, device=device))


# --- transposed convolution, three ways --------------------------------------------------------------


@dataclass(frozen=True)
class ScatterStep:
    """Input cell (row, col) adds its value × the kernel into the uncropped canvas at these rows and cols."""

    row: int
    col: int
    rows: tuple[int, ...]
    cols: tuple[int, ...]


@dataclass(frozen=True)
class TransposedResult:
    """One transposed convolution computed three ways that must agree with F.conv_transpose2d.

    The INPUT is the small map (C_in, H, W); the OUTPUT is the larger map (C_out, H_out, W_out).

    (a) scatter-add: every input cell adds value × kernel into a canvas at (i·s, j·s); crop ``padding``.
    (b) ``zero_inserted``: put s − 1 zeros between input cells, pad by d·(k − 1) − p (plus output_padding on
        the bottom and right), then an ordinary stride-1 convolution with the kernel flipped 180° and the
        in/out channels swapped.
    (c) the matrix view: ``matrix`` C is the ordinary convolution (same k, s, p, d) from the OUTPUT's size back
        to the INPUT's size, written as a (C_in·H·W) × (C_out·H_out·W_out) matrix; the transposed
        convolution is y = Cᵀ·x (then + bias).
    """

    input: Tensor  # (C_in, H, W): the transposed convolution's INPUT, the small map
    weight: Tensor  # (C_in, C_out, kh, kw): PyTorch's layout for conv_transpose2d
    bias: Tensor | None  # (C_out,)
    output: Tensor  # (C_out, H_out, W_out): its OUTPUT, the larger map
    stride: int
    padding: int
    output_padding: int
    dilation: int
    canvas: Tensor  # (a) (C_out, H_out + 2p, W_out + 2p): all kernel copies added up, before cropping and bias
    scatter_steps: tuple[ScatterStep, ...]
    scatter_check: TorchCheck
    zero_inserted: ConvResult  # (b) its ``input`` is the zero-inserted, padded map; its ``weight`` the flipped kernel
    zero_insert_check: TorchCheck
    matrix: Tensor  # (c) C: (C_in·H·W, C_out·H_out·W_out)
    x_vector: Tensor  # (C_in·H·W,): the INPUT, flattened
    y_vector: Tensor  # (C_out·H_out·W_out,): Cᵀ·x, the OUTPUT flattened (without the bias)
    matrix_check: TorchCheck

    @property
    def checks(self) -> tuple[TorchCheck, TorchCheck, TorchCheck]:
        return self.scatter_check, self.zero_insert_check, self.matrix_check

    @property
    def crop(self) -> tuple[int, int]:
        """Where the OUTPUT starts in the canvas: ``padding`` rows and columns are cut from every side."""
        return self.padding, self.padding


def validate_transposed(
    *,
    in_channels: object,
    out_channels: object,
    height: object,
    width: object,
    kernel_h: object,
    kernel_w: object,
    stride: object = 1,
    padding: object = 0,
    output_padding: object = 0,
    dilation: object = 1,
) -> tuple[int, int]:
    """PyTorch's rules for conv_transpose2d plus the app's limits; the output size (H_out, W_out)."""
    stride = _whole(stride, "conv.stride", low=1, high=MAX_CONV_STRIDE)
    padding = _whole(padding, "conv.padding", low=0, high=MAX_CONV_PADDING)
    output_padding = _whole(output_padding, "conv.output_padding", low=0, high=MAX_OUTPUT_PADDING)
    dilation = _whole(dilation, "conv.dilation", low=1, high=MAX_CONV_DILATION)
    if output_padding >= max(stride, dilation):
        raise InputError("conv.err.output_padding", op=output_padding, s=stride, d=dilation,
                         limit=max(stride, dilation) - 1)
    _, _, height, width, kernel_h, kernel_w, _ = _validate_shapes(
        in_channels=in_channels, out_channels=out_channels, height=height, width=width, kernel_h=kernel_h,
        kernel_w=kernel_w)
    options = dict(stride=stride, padding=padding, output_padding=output_padding, dilation=dilation)
    out_height = transposed_output_size(height, kernel_h, **options)
    out_width = transposed_output_size(width, kernel_w, **options)
    if out_height < 1 or out_width < 1:
        raise InputError("conv.err.transposed_empty", h=out_height, w=out_width, p=padding)
    _check_frames(out_height, out_width)
    return out_height, out_width


def conv_transpose2d_three_ways(
    x: Tensor | Sequence,
    weight: Tensor | Sequence,
    bias: Tensor | Sequence | None = None,
    *,
    stride: int = 1,
    padding: int = 0,
    output_padding: int = 0,
    dilation: int = 1,
    device: Device = "cpu",
) -> TransposedResult:
    """Scatter-add, zero insertion + convolution, and y = Cᵀx on the same numbers; each vs F.conv_transpose2d.

    ``x`` is the INPUT (C_in, H, W), ``weight`` (C_in, C_out, kh, kw) and ``bias`` (C_out,), as in PyTorch.
    """
    x, weight = _as_input(x), _as_weight(weight, layout="transposed")
    in_channels, height, width = x.shape
    if weight.shape[0] != in_channels:
        raise InputError("conv.err.transposed_channels", got=weight.shape[0], c_in=in_channels)
    out_channels, kernel_h, kernel_w = weight.shape[1:]
    bias = _as_bias(bias, out_channels)
    out_height, out_width = validate_transposed(
        in_channels=in_channels, out_channels=out_channels, height=height, width=width, kernel_h=kernel_h,
        kernel_w=kernel_w, stride=stride, padding=padding, output_padding=output_padding, dilation=dilation)
    s, p, op, d = int(stride), int(padding), int(output_padding), int(dilation)
    reach_h, reach_w = d * (kernel_h - 1) + 1, d * (kernel_w - 1) + 1
    with_bias = (lambda y: y + bias[:, None, None]) if bias is not None else (lambda y: y)

    device = _device(device)
    x_dev, w_dev, b_dev = _on(device, x[None], weight, bias)
    with torch.no_grad():
        reference = F.conv_transpose2d(x_dev, w_dev, b_dev, stride=s, padding=p, output_padding=op, dilation=d)[0]

    # (a) Scatter-add. The canvas holds every copy uncropped: H_out + 2p rows (output_padding extra rows at
    # the bottom stay zero unless a copy reaches them).
    canvas = torch.zeros(out_channels, out_height + 2 * p, out_width + 2 * p, dtype=torch.float64)
    scatter_steps = []
    for i in range(height):
        for j in range(width):
            top, left = i * s, j * s
            for c in range(in_channels):
                # input cell (c, i, j) adds its value times kernel slice weight[c] (C_out, kh, kw)
                canvas[:, top : top + reach_h : d, left : left + reach_w : d] += x[c, i, j] * weight[c]
            scatter_steps.append(ScatterStep(i, j, tuple(top + a * d for a in range(kernel_h)),
                                             tuple(left + b * d for b in range(kernel_w))))
    output = with_bias(canvas[:, p : p + out_height, p : p + out_width])  # crop p from every side
    scatter_check = _check(output, reference, op="F.conv_transpose2d", device=device)

    # (b) Zero insertion, padding, then an ordinary stride-1 convolution.
    stretched = torch.zeros(in_channels, (height - 1) * s + 1, (width - 1) * s + 1, dtype=torch.float64)
    stretched[:, ::s, ::s] = x  # s − 1 zeros between neighbouring input cells
    is_input = torch.zeros(stretched.shape[1:], dtype=torch.float64)
    is_input[::s, ::s] = 1
    pad_h, pad_w = d * (kernel_h - 1) - p, d * (kernel_w - 1) - p
    sides = (pad_w, pad_w + op, pad_h, pad_h + op)  # left, right, top, bottom; a negative side crops instead
    padded = F.pad(stretched, sides)
    pad_mask = F.pad(is_input, sides) == 0
    flipped = weight.flip(-2, -1).transpose(0, 1)  # rotate each kernel 180°, swap in/out: (C_out, C_in, kh, kw)
    partials, inner_output, steps, group_inputs = slide_kernel(padded, flipped, bias, stride=1, dilation=d,
                                                               groups=1)
    padded_dev, flipped_dev = _on(device, padded[None], flipped)
    with torch.no_grad():
        inner_reference = F.conv2d(padded_dev, flipped_dev, b_dev, dilation=d)[0]
    zero_inserted = ConvResult(padded, padded, pad_mask, flipped, bias, partials, inner_output, steps,
                               group_inputs, 1, 0, d, 1,
                               _check(inner_output, inner_reference, op="F.conv2d", device=device))
    zero_insert_check = _check(inner_output, reference, op="F.conv_transpose2d", device=device)

    # (c) The matrix view. Row (c, i, j) of C is output cell (c, i, j) of the ordinary convolution that maps
    # the larger map back to the small one: kernel weight[c] laid where that cell's window sits on the
    # larger map padded by p; cells of the window that fall into the padding multiply zeros and are dropped.
    matrix = torch.zeros(in_channels * height * width, out_channels * out_height * out_width, dtype=torch.float64)
    for c in range(in_channels):
        for i in range(height):
            for j in range(width):
                window = torch.zeros(out_channels, out_height + 2 * p, out_width + 2 * p, dtype=torch.float64)
                window[:, i * s : i * s + reach_h : d, j * s : j * s + reach_w : d] = weight[c]
                matrix[(c * height + i) * width + j] = window[:, p : p + out_height, p : p + out_width].flatten()
    x_vector = x.flatten()
    y_vector = matrix.T @ x_vector
    matrix_output = with_bias(y_vector.reshape(out_channels, out_height, out_width))
    matrix_check = _check(matrix_output, reference, op="F.conv_transpose2d", device=device)

    return TransposedResult(x, weight, bias, output, s, p, op, d, canvas, tuple(scatter_steps), scatter_check,
                            zero_inserted, zero_insert_check, matrix, x_vector, y_vector, matrix_check)


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
    c_in = _whole(in_channels, "conv.in_channels", low=1, high=MAX_COST_CHANNELS)
    c_out = _whole(out_channels, "conv.out_channels", low=1, high=MAX_COST_CHANNELS)
    k = _whole(kernel, "conv.kernel", low=1, high=MAX_CONV_KERNEL)
    h = _whole(out_height, "conv.out_size", low=1, high=MAX_COST_SIDE)
    w = _whole(out_width, "conv.out_size", low=1, high=MAX_COST_SIDE)
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


# --- the learner's numbers: random or typed ----------------------------------------------------------


def random_values(shape: Sequence[int], *, seed: int, low: int = -3, high: int = 3) -> Tensor:
    """Small whole numbers in [low, high] as float64, so every sum of products can be checked by hand."""
    seed = _whole(seed, "conv.seed", low=0, high=MAX_SEED)
    generator = torch.Generator().manual_seed(seed)  # the learner's seed only, never the global RNG
    return torch.randint(low, high + 1, tuple(int(n) for n in shape), generator=generator).to(torch.float64)


# Value ranges of the random examples: inputs like an image's (non-negative), kernels and biases signed.
INPUT_RANGE = (0, 4)
KERNEL_RANGE = (-2, 2)
BIAS_RANGE = (-2, 2)


def random_conv_example(*, in_channels: int = 1, out_channels: int = 1, height: int = 5, width: int = 5,
                        kernel_h: int = 3, kernel_w: int = 3, groups: int = 1, bias: bool = True,
                        seed: int = 0) -> tuple[Tensor, Tensor, Tensor | None]:
    """x (C_in, H, W), weight (C_out, C_in / groups, kh, kw) and bias (C_out,) or None, from one seed."""
    c_in, c_out, h, w, kh, kw, groups = _validate_shapes(in_channels=in_channels, out_channels=out_channels,
                                                         height=height, width=width, kernel_h=kernel_h,
                                                         kernel_w=kernel_w, groups=groups)
    seed = _whole(seed, "conv.seed", low=0, high=MAX_SEED - 2)
    x = random_values((c_in, h, w), seed=seed, low=INPUT_RANGE[0], high=INPUT_RANGE[1])
    weight = random_values((c_out, c_in // groups, kh, kw), seed=seed + 1, low=KERNEL_RANGE[0], high=KERNEL_RANGE[1])
    b = random_values((c_out,), seed=seed + 2, low=BIAS_RANGE[0], high=BIAS_RANGE[1]) if bias else None
    return x, weight, b


def random_transposed_example(*, in_channels: int = 1, out_channels: int = 1, height: int = 3, width: int = 3,
                              kernel_h: int = 3, kernel_w: int = 3, bias: bool = False,
                              seed: int = 0) -> tuple[Tensor, Tensor, Tensor | None]:
    """x (C_in, H, W), weight (C_in, C_out, kh, kw) and bias (C_out,) or None, from one seed."""
    c_in, c_out, h, w, kh, kw, _ = _validate_shapes(in_channels=in_channels, out_channels=out_channels,
                                                    height=height, width=width, kernel_h=kernel_h, kernel_w=kernel_w)
    seed = _whole(seed, "conv.seed", low=0, high=MAX_SEED - 2)
    x = random_values((c_in, h, w), seed=seed, low=INPUT_RANGE[0], high=INPUT_RANGE[1])
    weight = random_values((c_in, c_out, kh, kw), seed=seed + 1, low=KERNEL_RANGE[0], high=KERNEL_RANGE[1])
    b = random_values((c_out,), seed=seed + 2, low=BIAS_RANGE[0], high=BIAS_RANGE[1]) if bias else None
    return x, weight, b


def parse_input(text: str | None, *, channels: int | None = None) -> Tensor:
    """Typed input: one matrix per channel, channels separated by an empty line → (C, H, W)."""
    x = parse_channels(text, channels=None, max_side=MAX_CONV_INPUT_SIDE, name=Text("conv.typed_input"))
    if channels is not None:
        want = _whole(channels, "conv.in_channels", low=1, high=MAX_CONV_CHANNELS)
        if x.shape[0] != want:
            raise InputError("common.err.channel_count", name=Text("conv.typed_input"), got=x.shape[0], want=want)
    _whole(x.shape[0], "conv.in_channels", low=1, high=MAX_CONV_CHANNELS)
    return x


def _parse_kernel_blocks(text: str | None, *, first: int, second: int, order_key: str) -> Tensor:
    blocks = parse_channels(text, channels=None, max_side=MAX_CONV_KERNEL, name=Text("conv.typed_kernel"))
    if blocks.shape[0] != first * second:
        raise InputError(order_key, got=blocks.shape[0], want=first * second, first=first, second=second)
    return blocks.reshape(first, second, *blocks.shape[1:])  # block n is (n // second, n % second)


def parse_kernel(text: str | None, *, out_channels: int, in_channels: int, groups: int = 1) -> Tensor:
    """Typed kernels, blocks in the order out 1–in 1, out 1–in 2, … → (C_out, C_in / groups, kh, kw)."""
    c_out = _whole(out_channels, "conv.out_channels", low=1, high=MAX_CONV_CHANNELS)
    c_in = _whole(in_channels, "conv.in_channels", low=1, high=MAX_CONV_CHANNELS)
    groups = _whole(groups, "conv.groups", low=1, high=MAX_CONV_CHANNELS)
    if c_in % groups or c_out % groups:
        raise InputError("conv.err.groups", groups=groups, c_in=c_in, c_out=c_out)
    return _parse_kernel_blocks(text, first=c_out, second=c_in // groups, order_key="conv.err.kernel_blocks")


def parse_transposed_kernel(text: str | None, *, in_channels: int, out_channels: int) -> Tensor:
    """Typed kernels, blocks in the order in 1–out 1, in 1–out 2, … → (C_in, C_out, kh, kw) as PyTorch stores them."""
    c_in = _whole(in_channels, "conv.in_channels", low=1, high=MAX_CONV_CHANNELS)
    c_out = _whole(out_channels, "conv.out_channels", low=1, high=MAX_CONV_CHANNELS)
    return _parse_kernel_blocks(text, first=c_in, second=c_out, order_key="conv.err.transposed_kernel_blocks")


def parse_bias(text: str | None, *, out_channels: int) -> Tensor | None:
    """Typed bias, one number per output channel; empty text means no bias."""
    if text is None or not str(text).strip():
        return None
    c_out = _whole(out_channels, "conv.out_channels", low=1, high=MAX_CONV_CHANNELS)
    values = parse_numbers(text, limit=MAX_CONV_CHANNELS)
    if values.numel() != c_out:
        raise InputError("conv.err.bias_count", got=values.numel(), want=c_out)
    return values



# --- what the tab computes: random numbers from a seed, unless the learner typed their own -------------


def _typed(text: str | None) -> bool:
    return bool(text and str(text).strip())


def conv_example(*, size: int, kernel: int, in_channels: int, out_channels: int, groups: int, bias: bool,
                 seed: int, typed_input: str = "", typed_kernel: str = "",
                 typed_bias: str = "") -> tuple[Tensor, Tensor, Tensor | None]:
    """x, weight, bias for a convolution: typed values win; a typed input also sets the size and channels."""
    x = parse_input(typed_input) if _typed(typed_input) else None
    c_in, height, width = x.shape if x is not None else (in_channels, size, size)
    if _typed(typed_kernel):
        weight = parse_kernel(typed_kernel, out_channels=out_channels, in_channels=c_in, groups=groups)
        kernel_h, kernel_w = weight.shape[2:]
    else:
        weight, kernel_h, kernel_w = None, kernel, kernel
    rx, rw, rb = random_conv_example(in_channels=c_in, out_channels=out_channels, height=height, width=width,
                                     kernel_h=kernel_h, kernel_w=kernel_w, groups=groups, bias=bias, seed=seed)
    b = parse_bias(typed_bias, out_channels=out_channels) if _typed(typed_bias) else rb
    return (rx if x is None else x), (rw if weight is None else weight), b


def pool_example(*, size: int, channels: int, seed: int, typed_input: str = "") -> Tensor:
    """The input to pool: typed, or small whole numbers from the seed."""
    if _typed(typed_input):
        return parse_input(typed_input)
    channels = _whole(channels, "conv.in_channels", low=1, high=MAX_CONV_CHANNELS)
    size = _whole(size, "conv.in_size", low=1, high=MAX_CONV_INPUT_SIDE)
    return random_values((channels, size, size), seed=seed, low=INPUT_RANGE[0], high=INPUT_RANGE[1])


def transposed_example(*, size: int, kernel: int, in_channels: int, out_channels: int, bias: bool, seed: int,
                       typed_input: str = "", typed_kernel: str = "") -> tuple[Tensor, Tensor, Tensor | None]:
    """x, weight (C_in, C_out, kh, kw), bias for a transposed convolution; typed values win."""
    x = parse_input(typed_input) if _typed(typed_input) else None
    c_in, height, width = x.shape if x is not None else (in_channels, size, size)
    if _typed(typed_kernel):
        weight = parse_transposed_kernel(typed_kernel, in_channels=c_in, out_channels=out_channels)
        kernel_h, kernel_w = weight.shape[2:]
    else:
        weight, kernel_h, kernel_w = None, kernel, kernel
    rx, rw, rb = random_transposed_example(in_channels=c_in, out_channels=out_channels, height=height, width=width,
                                           kernel_h=kernel_h, kernel_w=kernel_w, bias=bias, seed=seed)
    return (rx if x is None else x), (rw if weight is None else weight), rb
