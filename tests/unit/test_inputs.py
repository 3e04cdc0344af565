"""Typed numbers and matrices: forgiving about separators, strict about values."""

from __future__ import annotations

import pytest
import torch

from playground.errors import InputError
from playground.i18n import Text
from playground.inputs import parse_channels, parse_matrix, parse_numbers

NAME = Text("act.numbers")


@pytest.mark.parametrize("text", ["3, 1, -3", "3 1 -3", "[3, 1, -3]", "3，1，−3", "3、1、-3", "3;1;-3", " 3,\n1 ,-3 "])
def test_number_separators(text):
    assert parse_numbers(text, limit=5).tolist() == [3.0, 1.0, -3.0]


def test_digits_are_read_in_any_script_and_underscores_group_them():
    # full width (a Chinese keyboard's full-width mode), Arabic-Indic, Python's digit grouping
    assert parse_numbers("１２，－３", limit=5).tolist() == [12.0, -3.0]
    assert parse_numbers("١٢ 1_000", limit=5).tolist() == [12.0, 1000.0]


def test_numbers_keep_float64_range():
    assert parse_numbers("1e308, -1e308, 5e-324", limit=3).tolist() == [1e308, -1e308, 5e-324]


@pytest.mark.parametrize("text, key", [
    (None, "common.err.empty_numbers"), ("", "common.err.empty_numbers"), ("1, 2, abc", "common.err.not_a_number"),
    ("1, -inf", "common.err.not_finite"), ("NaN", "common.err.not_finite"), ("1, 2, 3", "common.err.too_many_numbers"),
    ("9" * 5000, "common.err.text_too_long"), ("1\u202e2", "common.err.not_a_number"),
])
def test_number_errors(text, key):
    with pytest.raises(InputError) as info:
        parse_numbers(text, limit=2)
    assert info.value.key == key
    assert "\x00" not in str(info.value) and "\u202e" not in str(info.value)


def test_matrix_rows_by_lines_or_semicolons():
    expected = torch.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=torch.float64)
    assert torch.equal(parse_matrix("1 2\n3 4", max_side=3, name=NAME), expected)
    assert torch.equal(parse_matrix("1, 2; 3, 4;", max_side=3, name=NAME), expected)


@pytest.mark.parametrize("text, key", [
    ("1 2\n3", "common.err.ragged"), ("", "common.err.missing_value"), ("1 2 3 4", "common.err.matrix_too_big"),
])
def test_matrix_errors(text, key):
    with pytest.raises(InputError) as info:
        parse_matrix(text, max_side=3, name=NAME)
    assert info.value.key == key


def test_channels_are_blocks_separated_by_empty_lines():
    x = parse_channels("1 2\n3 4\n\n5 6\n7 8\r\n\r\n0 0\n0 1", channels=3, max_side=4, name=NAME)
    assert x.shape == (3, 2, 2) and x[2, 1, 1] == 1


@pytest.mark.parametrize("text, channels, key", [
    ("1 2\n\n3 4", 3, "common.err.channel_count"), ("1 2\n\n3 4 5", None, "common.err.channel_shape"),
    ("\n\n", None, "common.err.missing_value"),
])
def test_channel_errors(text, channels, key):
    with pytest.raises(InputError) as info:
        parse_channels(text, channels=channels, max_side=4, name=NAME)
    assert info.value.key == key
