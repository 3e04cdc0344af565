"""What each view of the convolution tab computes from the learner's controls, in one call.

A view takes the controls as they come (numbers that may be NaN or text, typed matrices), checks the cheap ones
first, makes the example numbers (typed, or seeded), runs the lesson, writes the output-size formula with the
learner's numbers, and keeps the channel the figure should show within the channels the result has.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from playground.lessons.conv_arithmetic import SizeFormula, conv_size_formula, transposed_size_formula
from playground.lessons.conv_inputs import check_shown_channel, conv_example, pool_example, transposed_example
from playground.lessons.convolution import ConvResult, Device, PoolResult, conv2d_steps, pool2d_steps
from playground.lessons.transposed import TransposedResult, conv_transpose2d_three_ways

Result = TypeVar("Result", ConvResult, PoolResult, TransposedResult)


@dataclass(frozen=True)
class ConvView(Generic[Result]):
    """A lesson's result, its output-size formula, and the channel to show (below the result's channel count)."""

    result: Result
    formula: SizeFormula
    channel: int  # an output channel (convolutions) or a channel (pooling)


def conv_view(*, size: object, kernel: object, stride: object, padding: object, dilation: object,
              in_channels: object, out_channels: object, groups: object, bias: bool, seed: object,
              typed_input: str = "", typed_kernel: str = "", typed_bias: str = "", channel: object = 0,
              device: Device = "cpu") -> ConvView[ConvResult]:
    """The convolution of the seeded or typed numbers, one output channel to animate."""
    shown = check_shown_channel(channel)
    x, weight, b = conv_example(size=size, kernel=kernel, in_channels=in_channels, out_channels=out_channels,
                                groups=groups, bias=bias, seed=seed, typed_input=typed_input,
                                typed_kernel=typed_kernel, typed_bias=typed_bias)
    result = conv2d_steps(x, weight, b, stride=stride, padding=padding, dilation=dilation, groups=groups,
                          device=device)
    formula = conv_size_formula(*x.shape[1:], *weight.shape[2:], stride=result.stride, padding=result.padding,
                                dilation=result.dilation)
    return ConvView(result, formula, min(shown, result.output.shape[0] - 1))


def pool_view(*, kind: str, size: object, channels: object, kernel: object, stride: object, padding: object,
              dilation: object, seed: object, typed_input: str = "", channel: object = 0,
              device: Device = "cpu") -> ConvView[PoolResult]:
    """Max or average pooling of the seeded or typed numbers, one channel to animate."""
    shown = check_shown_channel(channel)
    x = pool_example(size=size, channels=channels, seed=seed, typed_input=typed_input)
    result = pool2d_steps(x, kind=kind, kernel=kernel, stride=stride, padding=padding, dilation=dilation,
                          device=device)
    formula = conv_size_formula(*x.shape[1:], result.kernel, result.kernel, stride=result.stride,
                                padding=result.padding, dilation=result.dilation)
    return ConvView(result, formula, min(shown, result.output.shape[0] - 1))


def transposed_view(*, size: object, kernel: object, stride: object, padding: object, output_padding: object,
                    dilation: object, in_channels: object, out_channels: object, bias: bool, seed: object,
                    typed_input: str = "", typed_kernel: str = "", channel: object = 0,
                    device: Device = "cpu") -> ConvView[TransposedResult]:
    """The transposed convolution of the seeded or typed numbers three ways, one output channel to show."""
    shown = check_shown_channel(channel)
    x, weight, b = transposed_example(size=size, kernel=kernel, in_channels=in_channels, out_channels=out_channels,
                                      bias=bias, seed=seed, typed_input=typed_input, typed_kernel=typed_kernel)
    result = conv_transpose2d_three_ways(x, weight, b, stride=stride, padding=padding, output_padding=output_padding,
                                         dilation=dilation, device=device)
    formula = transposed_size_formula(*x.shape[1:], *weight.shape[2:], stride=result.stride, padding=result.padding,
                                      output_padding=result.output_padding, dilation=result.dilation)
    return ConvView(result, formula, min(shown, result.output.shape[0] - 1))
