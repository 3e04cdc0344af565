"""The learner's side of the convolution lessons: every rule their settings must follow, and the numbers to use.

* the settings: PyTorch's rules for a convolution, a pooling or a transposed convolution, plus the app's limits
  (``playground.limits``); each broken rule is an :class:`~playground.errors.InputError` that says what to change;
* the tensors: what a lesson is given, as float64 on the CPU and with finite, not too large values;
* the numbers: small whole numbers from a seed (so every sum can be checked by hand), or what the learner typed,
  one matrix per channel with channels separated by an empty line.

The lessons themselves (``convolution``, ``transposed``) call ``*_arguments`` first and then only compute. One
topic, hence longer than most modules: everything a learner can get wrong about a convolution is here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch
from torch import Tensor

from playground.errors import InputError
from playground.i18n import Text
from playground.inputs import as_whole, parse_channels, parse_numbers
from playground.lessons.conv_arithmetic import output_size, transposed_output_size
from playground.limits import (
    MAX_ANIMATION_FRAMES,
    MAX_CONV_CHANNELS,
    MAX_CONV_DILATION,
    MAX_CONV_INPUT_SIDE,
    MAX_CONV_KERNEL,
    MAX_CONV_PADDING,
    MAX_CONV_STRIDE,
    MAX_CONV_VALUE,
    MAX_OUTPUT_PADDING,
    MAX_SEED,
)

# --- the settings: whole numbers within PyTorch's rules and the app's limits ---------------------------------


def _whole(value: object, name: str, *, low: int, high: int) -> int:
    """A learner's number as an int in [low, high]; 2.5 (from a number box) or text is refused, 3.0 is fine."""
    return as_whole(value, low, high, name)


def check_channel_index(index: object, count: int, *, name: str = "conv.channel_shown") -> int:
    """The channel a figure should show, as an int in [0, count); anything else is a learner's mistake."""
    return _whole(index, name, low=0, high=count - 1)


def check_shown_channel(index: object) -> int:
    """The channel slider's value, checked like any number (an API call can send NaN) before any work is done."""
    return _whole(index, "conv.channel_shown", low=0, high=MAX_CONV_CHANNELS - 1)


@dataclass(frozen=True)
class ConvGeometry:
    """The checked settings of one convolution, pooling or transposed convolution, and the output size they give."""

    in_channels: int
    out_channels: int
    height: int
    width: int
    kernel_h: int
    kernel_w: int
    stride: int
    padding: int
    dilation: int
    out_height: int
    out_width: int
    groups: int = 1
    output_padding: int = 0  # transposed convolution only


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


def validate_conv(*, in_channels: object, out_channels: object, height: object, width: object, kernel_h: object,
                  kernel_w: object, stride: object = 1, padding: object = 0, dilation: object = 1,
                  groups: object = 1) -> ConvGeometry:
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
                        out_height, out_width, groups=groups)


def validate_pool(*, kind: str, channels: object, height: object, width: object, kernel: object,
                  stride: object | None, padding: object, dilation: object) -> ConvGeometry:
    """PyTorch's rules for max and average pooling plus the app's limits; ``stride`` None means ``kernel``."""
    channels = _whole(channels, "conv.in_channels", low=1, high=MAX_CONV_CHANNELS)
    height = _whole(height, "conv.in_size", low=1, high=MAX_CONV_INPUT_SIDE)
    width = _whole(width, "conv.in_size", low=1, high=MAX_CONV_INPUT_SIDE)
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
    return ConvGeometry(channels, channels, height, width, kernel, kernel, stride, padding, dilation, out_height,
                        out_width)


def validate_transposed(*, in_channels: object, out_channels: object, height: object, width: object,
                        kernel_h: object, kernel_w: object, stride: object = 1, padding: object = 0,
                        output_padding: object = 0, dilation: object = 1) -> ConvGeometry:
    """PyTorch's rules for conv_transpose2d plus the app's limits, or an InputError."""
    stride = _whole(stride, "conv.stride", low=1, high=MAX_CONV_STRIDE)
    padding = _whole(padding, "conv.padding", low=0, high=MAX_CONV_PADDING)
    output_padding = _whole(output_padding, "conv.output_padding", low=0, high=MAX_OUTPUT_PADDING)
    dilation = _whole(dilation, "conv.dilation", low=1, high=MAX_CONV_DILATION)
    if output_padding >= max(stride, dilation):
        raise InputError("conv.err.output_padding", op=output_padding, s=stride, d=dilation,
                         limit=max(stride, dilation) - 1)
    in_channels, out_channels, height, width, kernel_h, kernel_w, _ = _validate_shapes(
        in_channels=in_channels, out_channels=out_channels, height=height, width=width, kernel_h=kernel_h,
        kernel_w=kernel_w)
    options = dict(stride=stride, padding=padding, output_padding=output_padding, dilation=dilation)
    out_height = transposed_output_size(height, kernel_h, **options)
    out_width = transposed_output_size(width, kernel_w, **options)
    if out_height < 1 or out_width < 1:
        raise InputError("conv.err.transposed_empty", h=out_height, w=out_width, p=padding)
    _check_frames(out_height, out_width)
    return ConvGeometry(in_channels, out_channels, height, width, kernel_h, kernel_w, stride, padding, dilation,
                        out_height, out_width, output_padding=output_padding)


# --- the tensors a lesson is given: float64 on the CPU, finite and not too large -------------------------------


def _check_finite(values: Tensor) -> None:
    if not torch.isfinite(values).all():
        raise InputError("common.err.not_finite", token=str(values[~torch.isfinite(values)][0].item()))
    if values.numel() and values.abs().max() > MAX_CONV_VALUE:
        raise InputError("conv.err.value_too_big", value=f"{values.abs().max().item():.3g}",
                         limit=f"{MAX_CONV_VALUE:g}")


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


Arguments = tuple[Tensor, Tensor, Tensor | None, ConvGeometry]


def conv_arguments(x: object, weight: object, bias: object, *, stride: object, padding: object, dilation: object,
                   groups: object) -> Arguments:
    """x (C_in, H, W), weight (C_out, C_in / groups, kh, kw), bias (C_out,) or None, and the checked settings."""
    x, weight = _as_input(x), _as_weight(weight, layout="conv")
    bias = _as_bias(bias, weight.shape[0])
    geo = validate_conv(in_channels=x.shape[0], out_channels=weight.shape[0], height=x.shape[1], width=x.shape[2],
                        kernel_h=weight.shape[2], kernel_w=weight.shape[3], stride=stride, padding=padding,
                        dilation=dilation, groups=groups)
    if weight.shape[1] * geo.groups != geo.in_channels:
        raise InputError("conv.err.weight_channels", got=weight.shape[1], c_in=geo.in_channels, groups=geo.groups,
                         want=geo.in_channels // geo.groups)
    return x, weight, bias, geo


def pool_arguments(x: object, *, kind: str, kernel: object, stride: object | None, padding: object,
                   dilation: object) -> tuple[Tensor, ConvGeometry]:
    """x (C, H, W) and the checked settings of a max (``kind="max"``) or average (``"avg"``) pooling."""
    if kind not in ("max", "avg"):
        raise InputError("conv.err.pool_kind", kind=str(kind)[:20])
    x = _as_input(x)
    geo = validate_pool(kind=kind, channels=x.shape[0], height=x.shape[1], width=x.shape[2], kernel=kernel,
                        stride=stride, padding=padding, dilation=dilation)
    return x, geo


def transposed_arguments(x: object, weight: object, bias: object, *, stride: object, padding: object,
                         output_padding: object, dilation: object) -> Arguments:
    """x (C_in, H, W), weight (C_in, C_out, kh, kw) as PyTorch stores it, bias (C_out,) or None, and the settings."""
    x, weight = _as_input(x), _as_weight(weight, layout="transposed")
    if weight.shape[0] != x.shape[0]:
        raise InputError("conv.err.transposed_channels", got=weight.shape[0], c_in=x.shape[0])
    bias = _as_bias(bias, weight.shape[1])
    geo = validate_transposed(in_channels=x.shape[0], out_channels=weight.shape[1], height=x.shape[1],
                              width=x.shape[2], kernel_h=weight.shape[2], kernel_w=weight.shape[3], stride=stride,
                              padding=padding, output_padding=output_padding, dilation=dilation)
    return x, weight, bias, geo


# --- the learner's numbers: random from a seed, or typed ---------------------------------------------------


def random_values(shape: Sequence[int], *, seed: int, low: int = -3, high: int = 3) -> Tensor:
    """Small whole numbers in [low, high] as float64, so every sum of products can be checked by hand."""
    seed = _whole(seed, "conv.seed", low=0, high=MAX_SEED)
    generator = torch.Generator().manual_seed(seed)  # the learner's seed only, never the global RNG
    return torch.randint(low, high + 1, tuple(int(n) for n in shape), generator=generator).to(torch.float64)


# Value ranges of the random examples: inputs like an image's (non-negative), kernels and biases signed.
INPUT_RANGE = (0, 4)
KERNEL_RANGE = (-2, 2)
BIAS_RANGE = (-2, 2)

Example = tuple[Tensor, Tensor, Tensor | None]


def _seeded(x_shape: tuple[int, ...], weight_shape: tuple[int, ...], bias_count: int | None, seed: int) -> Example:
    """Input, weight and (when ``bias_count``) bias from seeds ``seed``, ``seed + 1`` and ``seed + 2``."""
    seed = _whole(seed, "conv.seed", low=0, high=MAX_SEED - 2)
    x = random_values(x_shape, seed=seed, low=INPUT_RANGE[0], high=INPUT_RANGE[1])
    weight = random_values(weight_shape, seed=seed + 1, low=KERNEL_RANGE[0], high=KERNEL_RANGE[1])
    bias = None if bias_count is None else random_values((bias_count,), seed=seed + 2, low=BIAS_RANGE[0],
                                                         high=BIAS_RANGE[1])
    return x, weight, bias


def random_conv_example(*, in_channels: int = 1, out_channels: int = 1, height: int = 5, width: int = 5,
                        kernel_h: int = 3, kernel_w: int = 3, groups: int = 1, bias: bool = True,
                        seed: int = 0) -> Example:
    """x (C_in, H, W), weight (C_out, C_in / groups, kh, kw) and bias (C_out,) or None, from one seed."""
    c_in, c_out, h, w, kh, kw, groups = _validate_shapes(in_channels=in_channels, out_channels=out_channels,
                                                         height=height, width=width, kernel_h=kernel_h,
                                                         kernel_w=kernel_w, groups=groups)
    return _seeded((c_in, h, w), (c_out, c_in // groups, kh, kw), c_out if bias else None, seed)


def random_transposed_example(*, in_channels: int = 1, out_channels: int = 1, height: int = 3, width: int = 3,
                              kernel_h: int = 3, kernel_w: int = 3, bias: bool = False, seed: int = 0) -> Example:
    """x (C_in, H, W), weight (C_in, C_out, kh, kw) and bias (C_out,) or None, from one seed."""
    c_in, c_out, h, w, kh, kw, _ = _validate_shapes(in_channels=in_channels, out_channels=out_channels,
                                                    height=height, width=width, kernel_h=kernel_h, kernel_w=kernel_w)
    return _seeded((c_in, h, w), (c_in, c_out, kh, kw), c_out if bias else None, seed)


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


# --- the tab's numbers: random from a seed, unless the learner typed their own --------------------------------


def _typed(text: str | None) -> bool:
    return bool(text and str(text).strip())


def _typed_or_seeded(*, size: int, kernel: int, in_channels: int, typed_input: str, typed_kernel: str,
                     parse_weight: Callable[[str, int], Tensor], seeded: Callable[..., Example]) -> Example:
    """Typed input and kernel win over the seeded ones; a typed input also sets the size and channels, a typed
    kernel its size. ``parse_weight(text, c_in)`` reads the kernel, ``seeded(...)`` makes the random example."""
    x = parse_input(typed_input) if _typed(typed_input) else None
    c_in, height, width = x.shape if x is not None else (in_channels, size, size)
    weight = parse_weight(typed_kernel, c_in) if _typed(typed_kernel) else None
    kernel_h, kernel_w = weight.shape[2:] if weight is not None else (kernel, kernel)
    rx, rw, rb = seeded(in_channels=c_in, height=height, width=width, kernel_h=kernel_h, kernel_w=kernel_w)
    return (rx if x is None else x), (rw if weight is None else weight), rb


def conv_example(*, size: int, kernel: int, in_channels: int, out_channels: int, groups: int, bias: bool,
                 seed: int, typed_input: str = "", typed_kernel: str = "", typed_bias: str = "") -> Example:
    """x, weight, bias for a convolution: typed values win; a typed input also sets the size and channels."""
    x, weight, seeded_bias = _typed_or_seeded(
        size=size, kernel=kernel, in_channels=in_channels, typed_input=typed_input, typed_kernel=typed_kernel,
        parse_weight=lambda text, c_in: parse_kernel(text, out_channels=out_channels, in_channels=c_in,
                                                     groups=groups),
        seeded=lambda **shape: random_conv_example(out_channels=out_channels, groups=groups, bias=bias, seed=seed,
                                                   **shape))
    return x, weight, parse_bias(typed_bias, out_channels=out_channels) if _typed(typed_bias) else seeded_bias


def pool_example(*, size: int, channels: int, seed: int, typed_input: str = "") -> Tensor:
    """The input to pool: typed, or small whole numbers from the seed."""
    if _typed(typed_input):
        return parse_input(typed_input)
    channels = _whole(channels, "conv.in_channels", low=1, high=MAX_CONV_CHANNELS)
    size = _whole(size, "conv.in_size", low=1, high=MAX_CONV_INPUT_SIDE)
    return random_values((channels, size, size), seed=seed, low=INPUT_RANGE[0], high=INPUT_RANGE[1])


def transposed_example(*, size: int, kernel: int, in_channels: int, out_channels: int, bias: bool, seed: int,
                       typed_input: str = "", typed_kernel: str = "") -> Example:
    """x, weight (C_in, C_out, kh, kw), bias for a transposed convolution; typed values win."""
    return _typed_or_seeded(
        size=size, kernel=kernel, in_channels=in_channels, typed_input=typed_input, typed_kernel=typed_kernel,
        parse_weight=lambda text, c_in: parse_transposed_kernel(text, in_channels=c_in, out_channels=out_channels),
        seeded=lambda **shape: random_transposed_example(out_channels=out_channels, bias=bias, seed=seed, **shape))
