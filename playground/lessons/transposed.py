"""Primer §11: transposed convolution, the upsampling in FCN, computed three ways on the same numbers.

The INPUT is the small map (C_in, H, W); the OUTPUT is the larger map (C_out, H_out, W_out). Each way is a short
readable function, and each must agree with ``F.conv_transpose2d`` on the learner's device:

(a) ``scatter_add``: every input cell adds value × kernel into a canvas at (i·s, j·s); then ``padding`` is cropped;
(b) ``zero_insertion``: s − 1 zeros between the input cells, a border, then an ordinary stride-1 convolution with
    the kernel turned 180°;
(c) ``matrix_view``: the ordinary convolution from the OUTPUT's size back to the INPUT's size as a matrix C; the
    transposed convolution is y = Cᵀ·x.

    >>> result = conv_transpose2d_three_ways(torch.ones(1, 2, 2), torch.ones(1, 1, 2, 2), stride=2)
    >>> result.output.shape, [check.matches for check in result.checks]
    (torch.Size([1, 4, 4]), [True, True, True])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor

from playground.lessons.checks import TorchCheck, compare_on, run_on
from playground.lessons.conv_inputs import transposed_arguments
from playground.lessons.convolution import ConvResult, ConvStep, Device, add_bias, slide_kernel, window_steps


@dataclass(frozen=True)
class TransposedResult:
    """One transposed convolution computed three ways that must agree with F.conv_transpose2d.

    (a) ``canvas`` holds every input cell's copy of the kernel before ``padding`` is cropped (``crop``);
    (b) ``zero_inserted`` is the ordinary convolution over the zero-inserted, padded input: its ``input`` is
        that map and its ``weight`` the flipped kernel with in/out channels swapped;
    (c) ``matrix`` C is the ordinary convolution (same k, s, p, d) from the OUTPUT's size back to the INPUT's
        size, written as a (C_in·H·W) × (C_out·H_out·W_out) matrix; the OUTPUT is y = Cᵀ·x (then + bias).
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
    scatter_steps: tuple[ConvStep, ...]  # (a) one per input cell: the canvas rows and cols its copy lands on
    scatter_check: TorchCheck
    zero_inserted: ConvResult  # (b)
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


def scatter_add(x: Tensor, weight: Tensor, *, stride: int, dilation: int,
                canvas_size: tuple[int, int]) -> tuple[Tensor, tuple[ConvStep, ...]]:
    """(a) Every input cell (c, i, j) adds x[c, i, j] × weight[c] into the canvas, its corner at (i·s, j·s).

    Returns the canvas (C_out, *canvas_size), uncropped and without the bias, and where each copy landed.
    """
    in_channels, height, width = x.shape
    out_channels, kernel_h, kernel_w = weight.shape[1:]
    reach_h, reach_w = dilation * (kernel_h - 1) + 1, dilation * (kernel_w - 1) + 1  # the dilated kernel's extent
    canvas = torch.zeros(out_channels, *canvas_size, dtype=torch.float64)
    for i in range(height):
        for j in range(width):
            top, left = i * stride, j * stride
            for c in range(in_channels):
                # input cell (c, i, j) adds its value times kernel slice weight[c] (C_out, kh, kw)
                canvas[:, top : top + reach_h : dilation, left : left + reach_w : dilation] += x[c, i, j] * weight[c]
    return canvas, window_steps(height, width, kernel_h, kernel_w, stride=stride, dilation=dilation)


def zero_insertion(x: Tensor, weight: Tensor, bias: Tensor | None, *, stride: int, padding: int,
                   output_padding: int, dilation: int, device: Device) -> ConvResult:
    """(b) s − 1 zeros between neighbouring input cells, a border of d·(k − 1) − p (plus output_padding at the
    bottom and right), then an ordinary stride-1 convolution with the kernel turned 180° and in/out swapped."""
    in_channels, height, width = x.shape
    kernel_h, kernel_w = weight.shape[2:]
    s, d = stride, dilation
    stretched = torch.zeros(in_channels, (height - 1) * s + 1, (width - 1) * s + 1, dtype=torch.float64)
    stretched[:, ::s, ::s] = x  # s − 1 zeros between neighbouring input cells
    is_input = torch.zeros(stretched.shape[1:], dtype=torch.float64)
    is_input[::s, ::s] = 1
    pad_h, pad_w = d * (kernel_h - 1) - padding, d * (kernel_w - 1) - padding
    sides = (pad_w, pad_w + output_padding, pad_h, pad_h + output_padding)  # left, right, top, bottom; < 0 crops
    padded = F.pad(stretched, sides)
    pad_mask = F.pad(is_input, sides) == 0
    flipped = weight.flip(-2, -1).transpose(0, 1)  # rotate each kernel 180°, swap in/out: (C_out, C_in, kh, kw)
    partials, output, steps, group_inputs = slide_kernel(padded, flipped, bias, stride=1, dilation=d, groups=1)
    reference = run_on(device, lambda x, w, b: F.conv2d(x[None], w, b, dilation=d)[0], padded, flipped, bias)
    return ConvResult(padded, padded, pad_mask, flipped, bias, partials, output, steps, group_inputs, 1, 0, d, 1,
                      compare_on(device, output, reference, op="F.conv2d"))


def matrix_view(x: Tensor, weight: Tensor, *, stride: int, padding: int, dilation: int,
                out_size: tuple[int, int]) -> Tensor:
    """(c) C, (C_in·H·W, C_out·H_out·W_out): row (c, i, j) is output cell (c, i, j) of the ordinary convolution
    that maps the larger map back to the small one.

    That row is kernel weight[c] laid where the cell's window sits on the larger map padded by p; the cells of
    the window that fall into the padding multiply zeros and are dropped.
    """
    in_channels, height, width = x.shape
    out_channels, kernel_h, kernel_w = weight.shape[1:]
    (out_height, out_width), s, p, d = out_size, stride, padding, dilation
    reach_h, reach_w = d * (kernel_h - 1) + 1, d * (kernel_w - 1) + 1
    matrix = torch.zeros(in_channels * height * width, out_channels * out_height * out_width, dtype=torch.float64)
    for c in range(in_channels):
        for i in range(height):
            for j in range(width):
                window = torch.zeros(out_channels, out_height + 2 * p, out_width + 2 * p, dtype=torch.float64)
                window[:, i * s : i * s + reach_h : d, j * s : j * s + reach_w : d] = weight[c]
                matrix[(c * height + i) * width + j] = window[:, p : p + out_height, p : p + out_width].flatten()
    return matrix


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
    x, weight, bias, geo = transposed_arguments(x, weight, bias, stride=stride, padding=padding,
                                                output_padding=output_padding, dilation=dilation)
    s, p, op, d = geo.stride, geo.padding, geo.output_padding, geo.dilation
    out_channels, out_height, out_width = geo.out_channels, geo.out_height, geo.out_width
    reference = run_on(device, lambda x, w, b: F.conv_transpose2d(x[None], w, b, stride=s, padding=p,
                                                                  output_padding=op, dilation=d)[0], x, weight, bias)

    # (a) The canvas holds every copy uncropped: H_out + 2p rows (output_padding extra rows at the bottom stay
    # zero unless a copy reaches them); the OUTPUT is the canvas without p cells on every side.
    canvas, scatter_steps = scatter_add(x, weight, stride=s, dilation=d,
                                        canvas_size=(out_height + 2 * p, out_width + 2 * p))
    output = add_bias(canvas[:, p : p + out_height, p : p + out_width], bias)
    # (b)
    zero_inserted = zero_insertion(x, weight, bias, stride=s, padding=p, output_padding=op, dilation=d,
                                   device=device)
    # (c)
    matrix = matrix_view(x, weight, stride=s, padding=p, dilation=d, out_size=(out_height, out_width))
    x_vector = x.flatten()
    y_vector = matrix.T @ x_vector
    matrix_output = add_bias(y_vector.reshape(out_channels, out_height, out_width), bias)

    scatter_check, zero_insert_check, matrix_check = (
        compare_on(device, ours, reference, op="F.conv_transpose2d")
        for ours in (output, zero_inserted.output, matrix_output))
    return TransposedResult(x, weight, bias, output, s, p, op, d, canvas, scatter_steps, scatter_check,
                            zero_inserted, zero_insert_check, matrix, x_vector, y_vector, matrix_check)
