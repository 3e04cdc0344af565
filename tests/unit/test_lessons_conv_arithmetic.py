"""playground.lessons.conv_arithmetic: output sizes against PyTorch's shapes, presets, and the separable cost
against real modules and torch's FLOP counter."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from playground.i18n import has
from playground.lessons.conv_arithmetic import (
    CONV_ARITHMETIC_PRESETS,
    ArithmeticPreset,
    conv_size_formula,
    output_size,
    separable_cost,
    transposed_output_size,
    transposed_size_formula,
)
from playground.lessons.conv_inputs import random_values
from playground.lessons.convolution import conv2d_steps

# --- output size -----------------------------------------------------------------------------------------


def test_output_size_formulas_match_torch_shapes() -> None:
    x = torch.zeros(1, 1, 9, 9, dtype=torch.float64)
    for n in range(1, 10):
        for k in range(1, 5):
            for s in (1, 2, 3):
                for p in (0, 1, 2):
                    for d in (1, 2, 3):
                        size = output_size(n, k, stride=s, padding=p, dilation=d)
                        if size >= 1:
                            y = F.conv2d(x[..., :n, :n], torch.zeros(1, 1, k, k, dtype=torch.float64), stride=s,
                                         padding=p, dilation=d)
                            assert y.shape[-1] == size, (n, k, s, p, d)
                        for op in range(max(s, d)):
                            tsize = transposed_output_size(n, k, stride=s, padding=p, output_padding=op, dilation=d)
                            if tsize >= 1:
                                y = F.conv_transpose2d(x[..., :n, :n], torch.zeros(1, 1, k, k, dtype=torch.float64),
                                                       stride=s, padding=p, output_padding=op, dilation=d)
                                assert y.shape[-1] == tsize, (n, k, s, p, op, d)


def test_size_formula_is_written_out_with_the_learners_numbers() -> None:
    formula = conv_size_formula(7, 7, 3, 3, stride=2, padding=1)
    assert formula.height == "⌊(7 + 2·1 − 1·(3 − 1) − 1) / 2⌋ + 1 = 4" and formula.width is None
    different = conv_size_formula(7, 5, 3, 2, stride=2, padding=1, dilation=2)
    assert different.width is not None
    assert (different.out_height, different.out_width) == (3, 3)  # same size, different arithmetic
    for text, value in ((different.height, different.out_height), (different.width, different.out_width)):
        assert text.endswith(f"= {value}")
    transposed = transposed_size_formula(3, 3, 3, 3, stride=2, padding=1)
    assert transposed.height == "(3 − 1)·2 − 2·1 + 1·(3 − 1) + 0 + 1 = 5" and transposed.out_height == 5


EXPECTED_PRESET_OUTPUTS = {
    "no_padding_no_strides": 2,
    "arbitrary_padding_no_strides": 6,
    "same_padding_no_strides": 5,
    "full_padding_no_strides": 7,
    "no_padding_strides": 2,
    "padding_strides": 3,
    "padding_strides_odd": 3,
    "dilation": 3,
}


@pytest.mark.parametrize("preset", CONV_ARITHMETIC_PRESETS, ids=lambda p: p.name)
def test_conv_arithmetic_presets(preset: ArithmeticPreset) -> None:
    x = torch.zeros(1, 1, preset.n, preset.n, dtype=torch.float64)
    w = torch.zeros(1, 1, preset.kernel, preset.kernel, dtype=torch.float64)
    y = F.conv2d(x, w, stride=preset.stride, padding=preset.padding, dilation=preset.dilation)
    assert y.shape[-1] == preset.output == EXPECTED_PRESET_OUTPUTS[preset.name]
    assert has(preset.key)
    back = F.conv_transpose2d(y, w, stride=preset.stride, padding=preset.padding, dilation=preset.dilation,
                              output_padding=preset.output_padding_to_invert)
    assert back.shape[-1] == preset.n  # the transposed convolution restores the size
    x = random_values((1, preset.n, preset.n), seed=0)
    kernel = random_values((1, 1, preset.kernel, preset.kernel), seed=1)
    result = conv2d_steps(x, kernel, stride=preset.stride, padding=preset.padding, dilation=preset.dilation)
    assert result.check.matches


def test_preset_names_are_unique_and_eight() -> None:
    assert len({p.name for p in CONV_ARITHMETIC_PRESETS}) == 8


# --- depthwise separable cost ----------------------------------------------------------------------------


def _flops(module: nn.Module, x: torch.Tensor) -> int:
    with FlopCounterMode(display=False) as counter:
        module(x)
    return counter.get_total_flops()


@pytest.mark.parametrize("c_in, c_out, k, h, w, bias", [
    (3, 4, 3, 5, 5, True), (3, 4, 3, 5, 5, False), (1, 1, 1, 1, 1, True), (8, 16, 5, 4, 6, True),
    (32, 64, 3, 7, 7, False), (4, 2, 7, 3, 2, True),
])
def test_separable_cost_matches_real_modules(c_in: int, c_out: int, k: int, h: int, w: int, bias: bool) -> None:
    cost = separable_cost(c_in, c_out, k, h, w, bias=bias)
    standard = nn.Conv2d(c_in, c_out, k, bias=bias)
    depthwise = nn.Conv2d(c_in, c_in, k, groups=c_in, bias=bias)
    pointwise = nn.Conv2d(c_in, c_out, 1, bias=bias)
    count = lambda m: sum(p.numel() for p in m.parameters())  # noqa: E731
    assert cost.standard_params == count(standard)
    assert cost.depthwise_params == count(depthwise)
    assert cost.pointwise_params == count(pointwise)
    x = torch.zeros(1, c_in, h + k - 1, w + k - 1)  # no padding: the output is exactly h × w
    with torch.no_grad():
        assert _flops(standard, x) == 2 * cost.standard_macs  # the counter counts 2 FLOPs per multiply-add
        assert _flops(depthwise, x) == 2 * cost.depthwise_macs
        assert _flops(pointwise, torch.zeros(1, c_in, h, w)) == 2 * cost.pointwise_macs
    assert cost.separable_weights / cost.standard_weights == pytest.approx(cost.exact_ratio)
    assert cost.mac_ratio == pytest.approx(cost.exact_ratio)


def test_primer_example_is_about_a_third() -> None:
    cost = separable_cost()
    assert (cost.in_channels, cost.out_channels, cost.kernel) == (3, 4, 3)
    assert (cost.separable_weights, cost.standard_weights) == (39, 108)
    assert cost.exact_ratio == pytest.approx(1 / 4 + 1 / 9) == pytest.approx(39 / 108)

