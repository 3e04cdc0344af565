"""Oracle tests for playground.lessons.convolution: every readable loop against torch.nn.functional."""

from __future__ import annotations

import random

import pytest
import torch
import torch.nn.functional as F

from playground.lessons.conv_arithmetic import output_size
from playground.lessons.conv_inputs import random_conv_example
from playground.lessons.convolution import conv2d_steps, pool2d_steps
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

