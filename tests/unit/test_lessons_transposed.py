"""Oracle tests for playground.lessons.transposed: the three ways against F.conv_transpose2d and each other."""

from __future__ import annotations

import random

import pytest
import torch
import torch.nn.functional as F

from playground.lessons.conv_arithmetic import transposed_output_size
from playground.lessons.conv_inputs import random_transposed_example
from playground.lessons.transposed import conv_transpose2d_three_ways
from playground.limits import MAX_ANIMATION_FRAMES

TOL = dict(atol=1e-9, rtol=1e-9)


def _randn(*shape: int, generator: torch.Generator) -> torch.Tensor:
    return torch.randn(*shape, generator=generator, dtype=torch.float64)


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

