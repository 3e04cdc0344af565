"""playground.lessons.conv_inputs: the learner's numbers (seeded or typed), and every mistake they can make as an
InputError with a readable message in both languages."""

from __future__ import annotations

import re

import pytest
import torch

from playground.errors import InputError
from playground.i18n import has, t
from playground.lessons import conv_arithmetic, conv_inputs, conv_views, convolution, transposed
from playground.lessons.conv_arithmetic import separable_cost
from playground.lessons.conv_inputs import (
    check_channel_index,
    conv_example,
    parse_bias,
    parse_input,
    parse_kernel,
    parse_transposed_kernel,
    pool_example,
    random_conv_example,
    random_transposed_example,
    random_values,
    transposed_example,
)
from playground.lessons.convolution import conv2d_steps, pool2d_steps
from playground.lessons.transposed import conv_transpose2d_three_ways

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
    ("common.err.out_of_range", lambda: check_channel_index(4, 4)),
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

    from playground.viz import _sheet, conv
    from playground.viz import transposed as transposed_viz

    modules = (conv_arithmetic, conv_inputs, conv_views, convolution, transposed, _sheet, conv, transposed_viz)
    source = "".join(inspect.getsource(module) for module in modules)
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
    x, w, b = conv_example(size=3, kernel=2, in_channels=1, out_channels=1, groups=1, bias=False, seed=0,
                           typed_input="1e308 1\n1 1")
    with pytest.raises(InputError) as info:
        conv2d_steps(x, w, b)
    assert info.value.key == "conv.err.value_too_big"
    assert "±" in info.value.message("zh")


def test_typed_values_win_over_random_ones() -> None:
    x, w, b = conv_example(size=5, kernel=3, in_channels=2, out_channels=2, groups=1, bias=True, seed=0,
                           typed_input="1 2 3\n4 5 6\n7 8 9", typed_kernel="1 0\n0 1\n\n0 1\n1 0",
                           typed_bias="1, -1")
    assert x.shape == (1, 3, 3) and w.shape == (2, 1, 2, 2) and b.tolist() == [1.0, -1.0]
    result = conv2d_steps(x, w, b)
    assert result.output[0].tolist() == [[7.0, 9.0], [13.0, 15.0]] and result.check.matches
    # Empty boxes keep the seeded random numbers (the same every time).
    again = conv_example(size=5, kernel=3, in_channels=2, out_channels=2, groups=2, bias=False, seed=4)
    once = conv_example(size=5, kernel=3, in_channels=2, out_channels=2, groups=2, bias=False, seed=4)
    assert torch.equal(again[0], once[0]) and torch.equal(again[1], once[1]) and again[2] is None
    assert again[1].shape == (2, 1, 3, 3)


def test_pool_and_transposed_examples() -> None:
    assert pool_example(size=6, channels=3, seed=1).shape == (3, 6, 6)
    assert pool_example(size=6, channels=3, seed=1, typed_input="1 2\n3 4").shape == (1, 2, 2)
    x, w, b = transposed_example(size=3, kernel=3, in_channels=1, out_channels=2, bias=True, seed=0,
                                 typed_kernel="1 1\n1 1\n\n0 1\n1 0")
    assert x.shape == (1, 3, 3) and w.shape == (1, 2, 2, 2) and b.shape == (2,)
