"""Primer §2: convolution and pooling, one output cell at a time (and §8's depthwise convolution, ``groups``).

The kernel slides over the input, and where they overlap the products are added up (figures 6 and 7). With
several input channels each channel has its own kernel slice and their shares are added (figure 8); each output
channel has its own kernel (figure 9). Pooling slides a window the same way and takes its maximum or its mean,
channel by channel (figure 10).

Every output cell is computed by a readable loop, and the whole result is then checked against
``torch.nn.functional`` on the learner's device. Tensors are float64 on the CPU and have no batch dimension: an
input is (channels, height, width). The learner's settings are checked in ``conv_inputs``, the output-size
formulas are in ``conv_arithmetic``, and transposed convolution is in ``transposed``.

    >>> result = conv2d_steps(torch.arange(16.0).reshape(1, 4, 4), torch.ones(1, 1, 3, 3))
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

from playground.lessons.checks import TorchCheck, compare_on, run_on
from playground.lessons.conv_inputs import conv_arguments, pool_arguments

Device = torch.device | str


# --- where the kernel stands, step by step -------------------------------------------------------------


@dataclass(frozen=True)
class ConvStep:
    """One position of the kernel: the cell (row, col) it belongs to and the rows and columns it covers.

    In a convolution or pooling the cell is an output cell and the rows and columns are those of the padded input
    its window reads; in a transposed convolution's scatter-add the cell is an input cell and they are those of
    the canvas its copy of the kernel is added to.
    """

    row: int
    col: int
    rows: tuple[int, ...]
    cols: tuple[int, ...]


def window_steps(height: int, width: int, kernel_h: int, kernel_w: int, *, stride: int,
                 dilation: int) -> tuple[ConvStep, ...]:
    """Cell (i, j) covers rows i·s + a·d (a < kh) and columns j·s + b·d (b < kw); cells row by row."""
    return tuple(
        ConvStep(i, j, tuple(i * stride + a * dilation for a in range(kernel_h)),
                 tuple(j * stride + b * dilation for b in range(kernel_w)))
        for i in range(height) for j in range(width)
    )


class _Windows:
    """Results that slide over a ``padded`` input show what the window covers at each step."""

    padded: Tensor  # (C, H + 2p, W + 2p)

    def window(self, channel: int, step: ConvStep) -> Tensor:
        """The (kh, kw) cells of padded channel ``channel`` that the kernel (or pooling window) covers at ``step``."""
        return self.padded[channel][list(step.rows)][:, list(step.cols)]


def pad(x: Tensor, padding: int, value: float) -> tuple[Tensor, Tensor]:
    """x (C, H, W) inside a border of ``padding`` cells of ``value``: (C, H + 2p, W + 2p), and the
    (H + 2p, W + 2p) mask that is True on the border."""
    channels, height, width = x.shape
    padded = torch.full((channels, height + 2 * padding, width + 2 * padding), value, dtype=torch.float64)
    padded[:, padding : padding + height, padding : padding + width] = x
    pad_mask = torch.ones(padded.shape[1:], dtype=torch.bool)
    pad_mask[padding : padding + height, padding : padding + width] = False
    return padded, pad_mask


def add_bias(y: Tensor, bias: Tensor | None) -> Tensor:
    """y (C_out, H, W) plus bias[o] on every cell of channel o."""
    return y if bias is None else y + bias[:, None, None]


# --- convolution, one output cell at a time ----------------------------------------------------------


@dataclass(frozen=True)
class ConvResult(_Windows):
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
    steps = window_steps(out_height, out_width, kernel_h, kernel_w, stride=stride, dilation=dilation)

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
    output = add_bias(partials.sum(dim=1), bias)  # add up the input channels' shares, then the bias
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
    x, weight, bias, geo = conv_arguments(x, weight, bias, stride=stride, padding=padding, dilation=dilation,
                                          groups=groups)
    s, p, d = geo.stride, geo.padding, geo.dilation
    padded, pad_mask = pad(x, p, 0.0)  # a border of p zeros on every side
    partials, output, steps, group_inputs = slide_kernel(padded, weight, bias, stride=s, dilation=d,
                                                         groups=geo.groups)
    reference = run_on(device, lambda x, w, b: F.conv2d(x[None], w, b, stride=s, padding=p, dilation=d,
                                                        groups=geo.groups)[0], x, weight, bias)
    return ConvResult(x, padded, pad_mask, weight, bias, partials, output, steps, group_inputs, s, p, d, geo.groups,
                      compare_on(device, output, reference, op="F.conv2d"))


# --- pooling -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PoolResult(_Windows):
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
    x, geo = pool_arguments(x, kind=kind, kernel=kernel, stride=stride, padding=padding, dilation=dilation)
    k, s, p, d = geo.kernel_h, geo.stride, geo.padding, geo.dilation
    padded, pad_mask = pad(x, p, -math.inf if kind == "max" else 0.0)  # −∞ never wins a max; 0 adds nothing to a sum

    reach = d * (k - 1) + 1
    steps = window_steps(geo.out_height, geo.out_width, k, k, stride=s, dilation=d)
    output = torch.zeros(geo.in_channels, geo.out_height, geo.out_width, dtype=torch.float64)
    argmax = torch.zeros(*output.shape, 2, dtype=torch.int64) if kind == "max" else None
    for c in range(geo.in_channels):
        for step in steps:
            top, left = step.row * s, step.col * s
            window = padded[c, top : top + reach : d, left : left + reach : d]  # (k, k)
            if kind == "max":
                best = int(window.flatten().argmax())  # the first maximum, row by row
                output[c, step.row, step.col] = window.flatten()[best]
                argmax[c, step.row, step.col] = torch.tensor([step.rows[best // k], step.cols[best % k]])
            else:
                output[c, step.row, step.col] = window.sum() / (k * k)

    if kind == "max":
        reference = run_on(device, lambda x: F.max_pool2d(x[None], k, stride=s, padding=p, dilation=d)[0], x)
    else:  # count_include_pad=True
        reference = run_on(device, lambda x: F.avg_pool2d(x[None], k, stride=s, padding=p)[0], x)
    check = compare_on(device, output, reference, op="F.max_pool2d" if kind == "max" else "F.avg_pool2d")
    return PoolResult(kind, x, padded, pad_mask, output, steps, argmax, None if kind == "max" else k * k, k, s, p, d,
                      check)
