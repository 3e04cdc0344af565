"""playground.lessons.conv_views: one call per view of the conv tab, from the controls as they arrive."""

from __future__ import annotations

import pytest
import torch

from playground.errors import InputError
from playground.lessons.conv_views import conv_view, pool_view, transposed_view

CONV = dict(size=5, kernel=3, stride=1, padding=1, dilation=1, in_channels=2, out_channels=2, groups=1, bias=True,
            seed=0)


def test_conv_view_keeps_the_shown_channel_below_the_output_channels() -> None:
    view = conv_view(**CONV, channel=3)
    assert view.channel == 1 and view.result.output.shape == (2, 5, 5) and view.result.check.matches
    assert view.formula.height.endswith("= 5") and view.formula.width is None


def test_typed_numbers_set_the_sizes_the_formula_writes() -> None:
    view = conv_view(**CONV, typed_input="1 2 3\n4 5 6\n7 8 9", typed_kernel="1 0\n0 1\n\n0 1\n1 0")
    assert view.result.input.shape == (1, 3, 3) and view.result.weight.shape == (2, 1, 2, 2)
    assert view.formula.height == "⌊(3 + 2·1 − 1·(2 − 1) − 1) / 1⌋ + 1 = 4"


def test_the_shown_channel_is_checked_before_any_work() -> None:
    with pytest.raises(InputError) as info:
        conv_view(**{**CONV, "kernel": 99}, channel=2.5)  # two mistakes: the cheap check speaks first
    assert info.value.key == "common.err.not_whole"


def test_pool_and_transposed_views() -> None:
    pool = pool_view(kind="avg", size=6, channels=2, kernel=2, stride=2, padding=0, dilation=1, seed=1, channel=3)
    assert pool.channel == 1 and pool.result.divisor == 4 and pool.formula.out_height == 3
    view = transposed_view(size=3, kernel=3, stride=2, padding=1, output_padding=1, dilation=1, in_channels=1,
                           out_channels=2, bias=True, seed=0, channel=1, device=torch.device("cpu"))
    assert view.channel == 1 and view.result.output.shape == (2, 6, 6)
    assert view.formula.height == "(3 − 1)·2 − 2·1 + 1·(3 − 1) + 1 + 1 = 6"
    assert all(check.matches for check in view.result.checks)
