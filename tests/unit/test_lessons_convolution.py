"""Oracle tests for playground.lessons.convolution: every readable loop against torch.nn.functional."""

from __future__ import annotations

import random
import re

import pytest
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from playground.errors import InputError
from playground.i18n import has, t
from playground.lessons import convolution as conv
from playground.lessons.convolution import (
    CONV_ARITHMETIC_PRESETS,
    conv2d_steps,
    conv_size_formula,
    conv_transpose2d_three_ways,
    output_size,
    parse_bias,
    parse_input,
    parse_kernel,
    parse_transposed_kernel,
    pool2d_steps,
    random_conv_example,
    random_transposed_example,
    random_values,
    separable_cost,
    transposed_output_size,
    transposed_size_formula,
)
from playground.limits import MAX_ANIMATION_FRAMES

TOL = dict(atol=1e-9, rtol=1e-9)


def _randn(*shape: int, generator: torch.Generator) -> torch.Tensor:
    return torch.randn(*shape, generator=generator, dtype=torch.float64)


# --- convolution -----------------------------------------------------------------------------------------


def _conv_configs(count: int, seed: int = 0):
    """Random valid settings: channels, groups (depthwise included), non-square input and kernel, s, p, d."""
    rng = random.Random(seed)
    made = 0
    while made < count:
        groups = rng.choice([1, 1, 1, 2, 4])
        c_in = groups * rng.randint(1, 4 // groups)
        c_out = groups * rng.randint(1, 4 // groups)
        h, w = rng.randint(1, 9), rng.randint(1, 9)
        kh, kw = rng.randint(1, 5), rng.randint(1, 5)
        s, p, d = rng.randint(1, 3), rng.randint(0, 3), rng.randint(1, 3)
        oh = output_size(h, kh, stride=s, padding=p, dilation=d)
        ow = output_size(w, kw, stride=s, padding=p, dilation=d)
        if oh < 1 or ow < 1 or oh * ow > MAX_ANIMATION_FRAMES:
            continue
        made += 1
        yield dict(c_in=c_in, c_out=c_out, groups=groups, h=h, w=w, kh=kh, kw=kw, stride=s, padding=p, dilation=d,
                   bias=rng.random() < 0.5)


@pytest.mark.parametrize("chunk", range(4))
def test_conv2d_steps_matches_torch(chunk: int) -> None:
    generator = torch.Generator().manual_seed(chunk)
    for cfg in _conv_configs(60, seed=chunk):
        x = _randn(cfg["c_in"], cfg["h"], cfg["w"], generator=generator)
        weight = _randn(cfg["c_out"], cfg["c_in"] // cfg["groups"], cfg["kh"], cfg["kw"], generator=generator)
        bias = _randn(cfg["c_out"], generator=generator) if cfg["bias"] else None
        options = dict(stride=cfg["stride"], padding=cfg["padding"], dilation=cfg["dilation"], groups=cfg["groups"])
        result = conv2d_steps(x, weight, bias, **options)
        expected = F.conv2d(x[None], weight, bias, **options)[0]
        torch.testing.assert_close(result.output, expected, **TOL, msg=str(cfg))
        assert result.check.matches and result.check.op == "F.conv2d", cfg
        # the channel shares add up to the output
        total = result.partials.sum(dim=1) + (bias[:, None, None] if bias is not None else 0)
        torch.testing.assert_close(total, result.output, **TOL)
        assert len(result.steps) == expected.shape[1] * expected.shape[2]
        first = result.steps[0]
        assert first.rows == tuple(a * cfg["dilation"] for a in range(cfg["kh"]))
        assert first.cols == tuple(b * cfg["dilation"] for b in range(cfg["kw"]))
        last = result.steps[-1]
        assert (last.row, last.col) == (expected.shape[1] - 1, expected.shape[2] - 1)
        assert result.padded.shape == (cfg["c_in"], cfg["h"] + 2 * cfg["padding"], cfg["w"] + 2 * cfg["padding"])
        assert int((~result.pad_mask).sum()) == cfg["h"] * cfg["w"]


def test_conv2d_step_window_is_the_sum_of_products() -> None:
    x, weight, bias = random_conv_example(in_channels=2, out_channels=3, height=6, width=5, kernel_h=3, kernel_w=2,
                                          seed=7)
    result = conv2d_steps(x, weight, bias, stride=2, padding=1, dilation=2)
    for step in result.steps:
        for o in range(3):
            products = sum((result.window(c, step) * weight[o, c]).sum() for c in range(2))
            assert float(products + bias[o]) == pytest.approx(float(result.output[o, step.row, step.col]))


def test_primer_figures_6_and_8() -> None:
    """The d2l numbers behind the primer's figures: one channel, then two input channels into one output."""
    x0 = torch.arange(9.0).reshape(3, 3)
    k0 = torch.tensor([[0.0, 1.0], [2.0, 3.0]])
    assert conv2d_steps(x0, k0).output[0].tolist() == [[19.0, 25.0], [37.0, 43.0]]
    x = torch.stack([x0, x0 + 1])
    k = torch.stack([k0, k0 + 1])[None]  # (1 output, 2 inputs, 2, 2)
    result = conv2d_steps(x, k)
    assert result.output[0].tolist() == [[56.0, 72.0], [104.0, 120.0]]
    assert result.partials[0, 0].tolist() == [[19.0, 25.0], [37.0, 43.0]]
    assert result.group_inputs == ((0, 1),)


def test_figure_9_three_in_two_out_and_1x1() -> None:
    x, weight, _ = random_conv_example(in_channels=3, out_channels=2, height=3, width=3, kernel_h=1, kernel_w=1,
                                       bias=False, seed=1)
    result = conv2d_steps(x, weight)
    assert result.output.shape == (2, 3, 3) and result.check.matches
    assert result.group_inputs == ((0, 1, 2), (0, 1, 2))
    # a 1×1 convolution is a weighted sum of the channels at every pixel
    torch.testing.assert_close(result.output, torch.einsum("oc,chw->ohw", weight[:, :, 0, 0], x))


def test_depthwise_each_output_reads_one_channel() -> None:
    x, weight, bias = random_conv_example(in_channels=4, out_channels=4, height=5, width=5, groups=4, seed=2)
    result = conv2d_steps(x, weight, bias, padding=1, groups=4)
    assert result.group_inputs == ((0,), (1,), (2,), (3,))
    assert result.partials.shape == (4, 1, 5, 5) and result.check.matches
    x, weight, bias = random_conv_example(in_channels=4, out_channels=2, height=4, width=4, groups=2, seed=2)
    assert conv2d_steps(x, weight, bias, groups=2).group_inputs == ((0, 1), (2, 3))


def test_conv_runs_on_a_named_device_and_returns_cpu_tensors() -> None:
    x, weight, bias = random_conv_example(seed=3)
    result = conv2d_steps(x, weight, bias, device=torch.device("cpu"))
    assert result.output.device.type == "cpu" and result.check.matches


# --- pooling -------------------------------------------------------------------------------------------


def _pool_configs(count: int, seed: int):
    rng = random.Random(seed)
    made = 0
    while made < count:
        kind = rng.choice(["max", "avg"])
        c, h, w = rng.randint(1, 4), rng.randint(1, 10), rng.randint(1, 10)
        k = rng.randint(1, 5)
        s = rng.choice([None, 1, 2, 3])
        p = rng.randint(0, k // 2)
        d = rng.randint(1, 3) if kind == "max" else 1
        oh = output_size(h, k, stride=s or k, padding=p, dilation=d)
        ow = output_size(w, k, stride=s or k, padding=p, dilation=d)
        if oh < 1 or ow < 1 or oh * ow > MAX_ANIMATION_FRAMES:
            continue
        made += 1
        yield dict(kind=kind, c=c, h=h, w=w, kernel=k, stride=s, padding=p, dilation=d)


@pytest.mark.parametrize("chunk", range(2))
def test_pool2d_steps_matches_torch(chunk: int) -> None:
    generator = torch.Generator().manual_seed(100 + chunk)
    for cfg in _pool_configs(80, seed=100 + chunk):
        x = _randn(cfg["c"], cfg["h"], cfg["w"], generator=generator)
        result = pool2d_steps(x, kind=cfg["kind"], kernel=cfg["kernel"], stride=cfg["stride"], padding=cfg["padding"],
                              dilation=cfg["dilation"])
        if cfg["kind"] == "max":
            expected = F.max_pool2d(x[None], cfg["kernel"], stride=cfg["stride"], padding=cfg["padding"],
                                    dilation=cfg["dilation"])[0]
            rows, cols = result.argmax[..., 0], result.argmax[..., 1]
            picked = result.padded[torch.arange(cfg["c"])[:, None, None], rows, cols]
            torch.testing.assert_close(picked, result.output)  # the marked cell holds the maximum
            assert not result.pad_mask[rows, cols].any()  # never a padded −∞
        else:
            expected = F.avg_pool2d(x[None], cfg["kernel"], stride=cfg["stride"], padding=cfg["padding"])[0]
            assert result.divisor == cfg["kernel"] ** 2
        torch.testing.assert_close(result.output, expected, **TOL, msg=str(cfg))
        assert result.check.matches, cfg
        assert len(result.steps) == expected.shape[1] * expected.shape[2]


def test_pooling_examples_from_the_primer() -> None:
    x = torch.arange(9.0).reshape(3, 3)
    assert pool2d_steps(x, kind="max", kernel=2, stride=1).output[0].tolist() == [[4.0, 5.0], [7.0, 8.0]]
    assert pool2d_steps(x, kind="avg", kernel=2, stride=1).output[0].tolist() == [[2.0, 3.0], [5.0, 6.0]]


def test_average_pooling_counts_padded_zeros_like_pytorch() -> None:
    result = pool2d_steps(torch.ones(1, 2, 2), kind="avg", kernel=2, stride=1, padding=1)
    assert result.output[0, 0, 0] == 0.25  # one real cell of four: count_include_pad=True
    assert result.check.matches
    maxed = pool2d_steps(-torch.ones(1, 2, 2), kind="max", kernel=2, stride=1, padding=1)
    assert maxed.output[0, 0, 0] == -1  # −∞ padding never wins, even over negative inputs


# --- transposed convolution ----------------------------------------------------------------------------


def _transposed_configs(count: int, seed: int):
    rng = random.Random(seed)
    made = 0
    while made < count:
        c_in, c_out = rng.randint(1, 3), rng.randint(1, 3)
        h, w = rng.randint(1, 6), rng.randint(1, 6)
        kh, kw = rng.randint(1, 4), rng.randint(1, 4)
        s, d = rng.randint(1, 3), rng.randint(1, 3)
        p = rng.randint(0, 4)
        op = rng.randint(0, max(s, d) - 1)
        oh = transposed_output_size(h, kh, stride=s, padding=p, output_padding=op, dilation=d)
        ow = transposed_output_size(w, kw, stride=s, padding=p, output_padding=op, dilation=d)
        if oh < 1 or ow < 1 or oh * ow > MAX_ANIMATION_FRAMES:
            continue
        made += 1
        yield dict(c_in=c_in, c_out=c_out, h=h, w=w, kh=kh, kw=kw, stride=s, padding=p, output_padding=op,
                   dilation=d, bias=rng.random() < 0.5)


@pytest.mark.parametrize("chunk", range(2))
def test_transposed_three_ways_match_torch(chunk: int) -> None:
    generator = torch.Generator().manual_seed(200 + chunk)
    for cfg in _transposed_configs(75, seed=200 + chunk):
        x = _randn(cfg["c_in"], cfg["h"], cfg["w"], generator=generator)
        weight = _randn(cfg["c_in"], cfg["c_out"], cfg["kh"], cfg["kw"], generator=generator)
        bias = _randn(cfg["c_out"], generator=generator) if cfg["bias"] else None
        options = dict(stride=cfg["stride"], padding=cfg["padding"], output_padding=cfg["output_padding"],
                       dilation=cfg["dilation"])
        result = conv_transpose2d_three_ways(x, weight, bias, **options)
        expected = F.conv_transpose2d(x[None], weight, bias, **options)[0]
        torch.testing.assert_close(result.output, expected, **TOL, msg=str(cfg))
        torch.testing.assert_close(result.zero_inserted.output, expected, **TOL, msg=str(cfg))
        with_bias = result.y_vector.reshape(expected.shape) + (bias[:, None, None] if bias is not None else 0)
        torch.testing.assert_close(with_bias, expected, **TOL, msg=str(cfg))
        assert all(check.matches for check in result.checks), cfg
        assert result.zero_inserted.check.matches and result.zero_inserted.stride == 1
        assert len(result.scatter_steps) == cfg["h"] * cfg["w"]
        p = cfg["padding"]
        cropped = result.canvas[:, p : p + expected.shape[1], p : p + expected.shape[2]]
        torch.testing.assert_close(cropped + (bias[:, None, None] if bias is not None else 0), expected, **TOL)


@pytest.mark.parametrize("cfg", list(_transposed_configs(12, seed=300)))
def test_matrix_c_is_the_convolution_applied_to_the_one_hot_basis(cfg: dict) -> None:
    """Column m of C is conv2d(e_m): the ordinary convolution from the OUTPUT's size back to the INPUT's size."""
    generator = torch.Generator().manual_seed(1)
    x = _randn(cfg["c_in"], cfg["h"], cfg["w"], generator=generator)
    weight = _randn(cfg["c_in"], cfg["c_out"], cfg["kh"], cfg["kw"], generator=generator)
    result = conv_transpose2d_three_ways(x, weight, stride=cfg["stride"], padding=cfg["padding"],
                                         output_padding=cfg["output_padding"], dilation=cfg["dilation"])
    c_out, out_h, out_w = result.output.shape
    basis = torch.eye(c_out * out_h * out_w, dtype=torch.float64).reshape(-1, c_out, out_h, out_w)
    # conv2d reads weight (C_in, C_out, k, k) as (out = C_in, in = C_out): it maps the large map back
    images = F.conv2d(basis, weight, stride=cfg["stride"], padding=cfg["padding"], dilation=cfg["dilation"])
    columns = images[:, :, : cfg["h"], : cfg["w"]].reshape(basis.shape[0], -1).T  # output_padding may add a row
    torch.testing.assert_close(result.matrix, columns, **TOL)


def test_transposed_example_from_d2l_and_zero_insertion() -> None:
    x = torch.tensor([[0.0, 1.0], [2.0, 3.0]])
    k = torch.tensor([[0.0, 1.0], [2.0, 3.0]])
    result = conv_transpose2d_three_ways(x, k)
    assert result.output[0].tolist() == [[0.0, 0.0, 1.0], [0.0, 4.0, 6.0], [4.0, 12.0, 9.0]]
    strided = conv_transpose2d_three_ways(x, k, stride=2, padding=0)
    inner = strided.zero_inserted
    # (2 − 1)·2 + 1 = 3 cells with one zero between, padded by d·(k − 1) − p = 1 on every side
    assert inner.input.shape == (1, 5, 5) and int((~inner.pad_mask).sum()) == 4
    assert inner.weight[0, 0].tolist() == [[3.0, 2.0], [1.0, 0.0]]  # turned 180°


def test_transposed_padding_larger_than_the_kernel_crops() -> None:
    x, weight, bias = random_transposed_example(height=5, width=5, bias=True, seed=4)
    result = conv_transpose2d_three_ways(x, weight, bias, stride=2, padding=3)  # d·(k − 1) − p = −1
    assert result.output.shape == (1, 5, 5) and all(c.matches for c in result.checks)


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
def test_conv_arithmetic_presets(preset: conv.ArithmeticPreset) -> None:
    x = torch.zeros(1, 1, preset.n, preset.n, dtype=torch.float64)
    w = torch.zeros(1, 1, preset.kernel, preset.kernel, dtype=torch.float64)
    y = F.conv2d(x, w, stride=preset.stride, padding=preset.padding, dilation=preset.dilation)
    assert y.shape[-1] == preset.output == EXPECTED_PRESET_OUTPUTS[preset.name]
    assert has(preset.key)
    back = F.conv_transpose2d(y, w, stride=preset.stride, padding=preset.padding, dilation=preset.dilation,
                              output_padding=preset.output_padding_to_invert)
    assert back.shape[-1] == preset.n  # the transposed convolution restores the size
    result = conv2d_steps(random_values((1, preset.n, preset.n), seed=0), random_values((1, 1, preset.kernel,
                          preset.kernel), seed=1), stride=preset.stride, padding=preset.padding,
                          dilation=preset.dilation)
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


# --- the learner's numbers --------------------------------------------------------------------------------


def test_random_values_are_small_seeded_integers_without_touching_the_global_rng() -> None:
    state = torch.get_rng_state()
    a = random_values((3, 4, 5), seed=11)
    b = random_values((3, 4, 5), seed=11)
    assert torch.equal(torch.get_rng_state(), state)
    assert torch.equal(a, b) and a.dtype == torch.float64
    assert a.min() >= -3 and a.max() <= 3 and torch.equal(a, a.round())
    assert not torch.equal(a, random_values((3, 4, 5), seed=12))
    x, weight, bias = random_conv_example(in_channels=4, out_channels=2, groups=2, seed=5)
    assert x.shape == (4, 5, 5) and weight.shape == (2, 2, 3, 3) and bias.shape == (2,)
    assert x.min() >= 0
    x, weight, bias = random_transposed_example(in_channels=2, out_channels=3, seed=5)
    assert weight.shape == (2, 3, 3, 3) and bias is None


def test_parse_typed_values() -> None:
    x = parse_input("1 2\n3 4\n\n5 6\n7 8", channels=2)
    assert x.shape == (2, 2, 2) and x[1, 1, 0] == 7
    blocks = "\n\n".join(f"{n} 0\n0 0" for n in range(6))  # block n holds the number n
    kernel = parse_kernel(blocks, out_channels=3, in_channels=2)
    assert kernel.shape == (3, 2, 2, 2)
    assert [[int(kernel[o, i, 0, 0]) for i in range(2)] for o in range(3)] == [[0, 1], [2, 3], [4, 5]]
    depthwise = parse_kernel("\n\n".join(["1"] * 4), out_channels=4, in_channels=4, groups=4)
    assert depthwise.shape == (4, 1, 1, 1)
    transposed = parse_transposed_kernel(blocks, in_channels=2, out_channels=3)
    assert transposed.shape == (2, 3, 2, 2) and int(transposed[1, 0, 0, 0]) == 3
    assert parse_bias("1, -2", out_channels=2).tolist() == [1.0, -2.0]
    assert parse_bias("  ", out_channels=2) is None
    result = conv2d_steps(x, parse_kernel("1 0\n0 1\n\n0 1\n1 0", out_channels=1, in_channels=2),
                          parse_bias("1", out_channels=1))
    assert result.output.tolist() == [[[1 + 4 + 6 + 7 + 1]]] and result.check.matches


# --- every learner mistake is an InputError with a readable message in both languages ---------------------

X4 = torch.ones(1, 4, 4)
K3 = torch.ones(1, 1, 3, 3)

ERROR_CASES = [
    ("common.err.not_whole", lambda: conv2d_steps(X4, K3, stride=2.5)),
    ("common.err.not_a_number", lambda: conv2d_steps(X4, K3, padding="one")),
    ("common.err.missing_value", lambda: conv2d_steps(X4, K3, stride=None)),
    ("common.err.out_of_range", lambda: conv2d_steps(X4, K3, stride=0)),
    ("common.err.out_of_range", lambda: conv2d_steps(X4, K3, stride=5)),
    ("common.err.out_of_range", lambda: conv2d_steps(X4, K3, padding=-1)),
    ("common.err.out_of_range", lambda: conv2d_steps(X4, K3, dilation=0)),
    ("common.err.out_of_range", lambda: conv2d_steps(torch.ones(5, 4, 4), torch.ones(1, 5, 3, 3))),
    ("common.err.out_of_range", lambda: conv2d_steps(X4, torch.ones(5, 1, 3, 3))),
    ("common.err.out_of_range", lambda: conv2d_steps(torch.ones(1, 13, 4), K3)),
    ("common.err.out_of_range", lambda: conv2d_steps(torch.ones(1, 9, 9), torch.ones(1, 1, 8, 8))),
    ("common.err.out_of_range", lambda: conv2d_steps(X4, K3, groups=0)),
    ("conv.err.groups", lambda: conv2d_steps(torch.ones(3, 4, 4), torch.ones(2, 1, 3, 3), groups=2)),
    ("conv.err.weight_channels", lambda: conv2d_steps(torch.ones(2, 4, 4), K3)),
    ("conv.err.kernel_too_big", lambda: conv2d_steps(X4, torch.ones(1, 1, 5, 5))),
    ("conv.err.kernel_too_big", lambda: conv2d_steps(X4, K3, dilation=2)),
    ("conv.err.too_many_frames", lambda: conv2d_steps(torch.ones(1, 12, 12), torch.ones(1, 1, 1, 1), padding=6)),
    ("conv.err.input_dims", lambda: conv2d_steps(torch.ones(4), K3)),
    ("conv.err.weight_dims", lambda: conv2d_steps(X4, torch.ones(1, 3, 3))),
    ("conv.err.bias_count", lambda: conv2d_steps(X4, K3, [1.0, 2.0])),
    ("common.err.not_finite", lambda: conv2d_steps(X4 * float("nan"), K3)),
    ("conv.err.pool_kind", lambda: pool2d_steps(X4, kind="min")),
    ("conv.err.avg_dilation", lambda: pool2d_steps(X4, kind="avg", kernel=2, dilation=2)),
    ("conv.err.pool_padding", lambda: pool2d_steps(X4, kind="max", kernel=3, padding=2)),
    ("common.err.not_whole", lambda: pool2d_steps(X4, kernel=2.5)),
    ("conv.err.kernel_too_big", lambda: pool2d_steps(X4, kernel=5, padding=0)),
    ("conv.err.output_padding", lambda: conv_transpose2d_three_ways(X4, K3, stride=2, output_padding=2)),
    ("conv.err.output_padding", lambda: conv_transpose2d_three_ways(X4, K3, output_padding=1)),
    ("conv.err.transposed_empty", lambda: conv_transpose2d_three_ways(torch.ones(1, 1, 1), torch.ones(1, 1, 1, 1),
                                                                      padding=1)),
    ("conv.err.transposed_channels", lambda: conv_transpose2d_three_ways(torch.ones(2, 3, 3), K3)),
    ("conv.err.too_many_frames", lambda: conv_transpose2d_three_ways(torch.ones(1, 12, 12), K3, stride=2)),
    ("conv.err.weight_dims", lambda: conv_transpose2d_three_ways(X4, torch.ones(3))),
    ("conv.err.kernel_blocks", lambda: parse_kernel("1\n\n2\n\n3", out_channels=2, in_channels=2)),
    ("conv.err.transposed_kernel_blocks", lambda: parse_transposed_kernel("1", in_channels=2, out_channels=1)),
    ("conv.err.groups", lambda: parse_kernel("1", out_channels=3, in_channels=2, groups=2)),
    ("common.err.channel_count", lambda: parse_input("1 2\n3 4", channels=2)),
    ("common.err.out_of_range", lambda: parse_input("\n\n".join(["1"] * 5))),
    ("conv.err.bias_count", lambda: parse_bias("1, 2", out_channels=3)),
    ("common.err.out_of_range", lambda: random_values((2, 2), seed=-1)),
    ("common.err.not_whole", lambda: random_values((2, 2), seed=1.5)),
    ("common.err.out_of_range", lambda: separable_cost(0, 4, 3, 5, 5)),
    ("common.err.out_of_range", lambda: separable_cost(3, 4, 9, 5, 5)),
    ("common.err.out_of_range", lambda: conv.check_channel_index(4, 4)),
    ("common.err.out_of_range", lambda: random_conv_example(in_channels=6)),
]


@pytest.mark.parametrize("key, call", ERROR_CASES, ids=[f"{i}-{key}" for i, (key, _) in enumerate(ERROR_CASES)])
def test_learner_mistakes_raise_input_error_with_both_languages(key: str, call) -> None:
    with pytest.raises(InputError) as info:
        call()
    error = info.value
    assert error.key == key
    for lang in ("en", "zh"):
        text = error.message(lang)
        assert text and "{" not in text and "}" not in text, text
    assert re.search(r"[\u4e00-\u9fff]", error.message("zh"))


def test_kernel_too_big_message_says_what_to_change() -> None:
    with pytest.raises(InputError) as info:
        conv2d_steps(X4, torch.ones(1, 1, 5, 5))
    assert str(info.value) == ("The kernel (5×5 with dilation 1 covers 5×5) is larger than the padded input (4×4). "
                               "Use a smaller kernel, less dilation or more padding.")


def test_whole_numbers_from_number_boxes_are_accepted() -> None:
    result = conv2d_steps(X4, K3, stride=1.0, padding=1.0, dilation=1.0, groups=1.0)
    assert result.stride == 1 and isinstance(result.padding, int) and result.check.matches


# --- strings ----------------------------------------------------------------------------------------------


def test_every_key_the_code_uses_exists() -> None:
    import inspect

    from playground.viz import conv as viz

    source = inspect.getsource(conv) + inspect.getsource(viz)
    used = set(re.findall(r'"((?:conv|common)\.[a-z_.]+[a-z_])"', source))
    assert used, "no keys found"
    missing = sorted(key for key in used if not has(key))
    assert not missing, missing
    for name in ("conv", "transposed"):
        assert has(f"conv.layout.{name}")
    for kind in ("max", "avg"):
        assert has(f"conv.fig.pool_title.{kind}") and has(f"conv.pool_kind.{kind}")
    assert t("conv.fig.cost_title", "zh", sep=39, std=108, ratio=0.36, c_out=4, k2=9)


def test_huge_typed_values_are_refused_before_sums_overflow() -> None:
    x, w, b = conv.conv_example(size=3, kernel=2, in_channels=1, out_channels=1, groups=1, bias=False, seed=0,
                                typed_input="1e308 1\n1 1")
    with pytest.raises(InputError) as info:
        conv.conv2d_steps(x, w, b)
    assert info.value.key == "conv.err.value_too_big"
    assert "±" in info.value.message("zh")


def test_typed_values_win_over_random_ones() -> None:
    x, w, b = conv.conv_example(size=5, kernel=3, in_channels=2, out_channels=2, groups=1, bias=True, seed=0,
                                typed_input="1 2 3\n4 5 6\n7 8 9", typed_kernel="1 0\n0 1\n\n0 1\n1 0",
                                typed_bias="1, -1")
    assert x.shape == (1, 3, 3) and w.shape == (2, 1, 2, 2) and b.tolist() == [1.0, -1.0]
    result = conv.conv2d_steps(x, w, b)
    assert result.output[0].tolist() == [[7.0, 9.0], [13.0, 15.0]] and result.check.matches
    # Empty boxes keep the seeded random numbers (the same every time).
    again = conv.conv_example(size=5, kernel=3, in_channels=2, out_channels=2, groups=2, bias=False, seed=4)
    once = conv.conv_example(size=5, kernel=3, in_channels=2, out_channels=2, groups=2, bias=False, seed=4)
    assert torch.equal(again[0], once[0]) and torch.equal(again[1], once[1]) and again[2] is None
    assert again[1].shape == (2, 1, 3, 3)


def test_pool_and_transposed_examples() -> None:
    assert conv.pool_example(size=6, channels=3, seed=1).shape == (3, 6, 6)
    assert conv.pool_example(size=6, channels=3, seed=1, typed_input="1 2\n3 4").shape == (1, 2, 2)
    x, w, b = conv.transposed_example(size=3, kernel=3, in_channels=1, out_channels=2, bias=True, seed=0,
                                      typed_kernel="1 1\n1 1\n\n0 1\n1 0")
    assert x.shape == (1, 3, 3) and w.shape == (1, 2, 2, 2) and b.shape == (2,)
