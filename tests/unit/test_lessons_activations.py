"""Primer §1 lessons against PyTorch as the oracle."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from playground.errors import InputError
from playground.lessons import activations as act
from playground.models import ACTIVATION_NAMES

# --- softmax ---------------------------------------------------------------------------------------


def test_primer_example_rounds_to_088_012_000():
    result = act.softmax("3, 1, -3")
    assert [round(p, 2) for p in result.probs.tolist()] == [0.88, 0.12, 0.0]
    assert result.check.matches


@pytest.mark.parametrize("text, temperature", [("1000, 1001", 1.0), ("-1e308, 0, 3", 1.0),
                                               ("1e308, -1e308", 0.01), ("1e308, 1e308", 100.0)])
def test_softmax_is_stable_for_huge_values(text, temperature):
    result = act.softmax(text, temperature=temperature)
    assert torch.isfinite(result.probs).all()
    assert result.probs.sum().item() == pytest.approx(1.0)


def test_unshifted_formula_overflows_where_stable_one_does_not():
    result = act.softmax([1000.0, 1001.0])
    assert result.unshifted.isnan().all() and result.unshifted_exps.isinf().all()
    assert result.probs.tolist() == pytest.approx([1 / (1 + math.e), math.e / (1 + math.e)])


def test_the_softmax_tables_columns_hold_what_their_headings_say():
    from playground.viz.activations import softmax_markdown

    rows = [line.split(" | ") for line in softmax_markdown(act.softmax("3, 1, -3")).splitlines()
            if line.startswith("| ")]
    heading, first = rows[0], rows[1]
    assert heading[-2].startswith("exp(x/T) without") and first[-2] == "20.09"  # e³, not a probability
    assert heading[-1].startswith("softmax without") and first[-1].startswith("0.8789")
    overflow = softmax_markdown(act.softmax("1000, 1")).splitlines()[4].split(" | ")
    assert overflow[-2] == "inf" and overflow[-1].startswith("nan")  # e^1000 overflows, then ∞/∞


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(-50, 50, allow_nan=False), min_size=1, max_size=32), st.floats(0.01, 100))
def test_softmax_equals_torch(values, temperature):
    result = act.softmax(values, temperature=temperature)
    expected = torch.softmax(torch.tensor(values, dtype=torch.float64) / temperature, dim=0)
    torch.testing.assert_close(result.probs, expected, rtol=1e-9, atol=1e-12)


def test_divide_by_sum_has_no_answer_at_zero_sum_and_goes_negative():
    assert act.softmax("1, -1").by_sum is None
    assert (act.softmax("3, 1, -3").by_sum < 0).any()


@pytest.mark.parametrize("text, key", [
    ("", "common.err.empty_numbers"), ("  , ;", "common.err.empty_numbers"),
    ("3, x", "common.err.not_a_number"), ("1, inf", "common.err.not_finite"),
    ("nan", "common.err.not_finite"), ("1e400", "common.err.not_finite"),
    (", ".join(["1"] * 33), "common.err.too_many_numbers"), ("1 " * 5000, "common.err.text_too_long"),
    ("1\x00 2", "common.err.not_a_number"),
])
def test_softmax_bad_text(text, key):
    with pytest.raises(InputError) as info:
        act.softmax(text)
    assert info.value.key == key


@pytest.mark.parametrize("temperature, key", [(0.0, "common.err.out_of_range"), (-1.0, "common.err.out_of_range"),
                                              (float("nan"), "common.err.not_finite"),
                                              (1e9, "common.err.out_of_range")])
def test_softmax_bad_temperature(temperature, key):
    with pytest.raises(InputError) as info:
        act.softmax("1, 2", temperature=temperature)
    assert info.value.key == key
    if key == "common.err.out_of_range":
        assert "Temperature" in str(info.value) and "温度" in info.value.message("zh")


# --- activation curves -------------------------------------------------------------------------------

FUNCTIONAL = {
    "sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": F.relu,
    "leaky_relu": lambda x: F.leaky_relu(x, 0.2), "elu": lambda x: F.elu(x, 0.7), "gelu": F.gelu,
    "silu": F.silu, "relu6": F.relu6, "softplus": lambda x: F.softplus(x, beta=2.0),
}


def test_every_activation_is_plotted_and_equals_functional():
    curves = act.activation_curves(list(ACTIVATION_NAMES), x_min=-7, x_max=7, negative_slope=0.2,
                                   alpha=0.7, beta=2.0)
    assert [c.name for c in curves] == list(ACTIVATION_NAMES)
    for curve in curves:
        torch.testing.assert_close(curve.y, FUNCTIONAL[curve.name](curve.x))


@pytest.mark.parametrize("name", ACTIVATION_NAMES)
def test_autograd_derivative_equals_central_difference(name):
    # Sample points away from the kinks of relu-like functions, where the derivative is defined.
    (curve,) = act.activation_curves([name], x_min=-6.9, x_max=7.1, points=300, negative_slope=0.2,
                                     alpha=0.7, beta=2.0)
    h = 1e-6
    numeric = (FUNCTIONAL[name](curve.x + h) - FUNCTIONAL[name](curve.x - h)) / (2 * h)
    torch.testing.assert_close(curve.dy, numeric, rtol=1e-5, atol=1e-6)


def test_sigmoid_and_tanh_derivatives_have_their_textbook_form():
    sig, tanh = act.activation_curves(["sigmoid", "tanh"])
    torch.testing.assert_close(sig.dy, sig.y * (1 - sig.y))
    torch.testing.assert_close(tanh.dy, 1 - tanh.y**2)


@pytest.mark.parametrize("kwargs, key", [
    (dict(names=[]), "act.err.no_activation"), (dict(names=["swish2"]), "act.err.unknown"),
    (dict(names=["relu"], x_min=3, x_max=1), "act.err.range_order"),
    (dict(names=["relu"], x_max=1e6), "common.err.out_of_range"),
    (dict(names=["elu"], alpha=-1), "common.err.out_of_range"),
    (dict(names=["relu"], x_min=float("nan")), "common.err.not_finite"),
    (dict(names=["relu"], x_min=None), "common.err.missing_value"),
])
def test_curve_errors(kwargs, key):
    names = kwargs.pop("names")
    with pytest.raises(InputError) as info:
        act.activation_curves(names, **kwargs)
    assert info.value.key == key


# --- neuron --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ACTIVATION_NAMES)
def test_neuron_is_weighted_sum_then_activation(name):
    x, w, b = [1.0, 0.5, -1.0], [0.8, -0.4, 0.3], 0.1
    result = act.neuron(x, w, b, activation=name, negative_slope=0.2, alpha=0.7, beta=2.0)
    h = torch.tensor(sum(xi * wi for xi, wi in zip(x, w, strict=True)) + b, dtype=torch.float64, requires_grad=True)
    y = FUNCTIONAL[name](h)
    (dy,) = torch.autograd.grad(y, h)
    assert result.h == pytest.approx(h.item())
    assert result.y == pytest.approx(y.item())
    assert result.dy_dh == pytest.approx(dy.item())
    assert result.products.tolist() == pytest.approx([xi * wi for xi, wi in zip(x, w, strict=True)])


def test_neuron_needs_one_weight_per_input():
    with pytest.raises(InputError, match="one weight per input"):
        act.neuron([1, 2], [1], 0)


# --- linear collapse -------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(10))
@pytest.mark.parametrize("hidden", [1, 3, 16])
def test_two_linear_layers_are_one(seed, hidden):
    result = act.linear_collapse(hidden=hidden, seed=seed, activation="relu")
    assert result.max_diff_linear < 1e-10
    torch.testing.assert_close(result.w, result.w1 @ result.w2)
    torch.testing.assert_close(result.b, result.b1 @ result.w2 + result.b2)


def test_an_activation_breaks_the_collapse():
    # Over many seeds, a tanh in between always bends the line (tanh is never linear on an interval).
    assert all(act.linear_collapse(hidden=4, seed=s, activation="tanh").max_diff_activation > 1e-3
               for s in range(20))


def test_collapse_uses_the_project_mlp_weights():
    result = act.linear_collapse(hidden=2, seed=3)
    x = result.x
    manual = (x @ result.w1 + result.b1) @ result.w2 + result.b2
    torch.testing.assert_close(result.two_linear, manual)


# --- losses --------------------------------------------------------------------------------------


def test_losses_equal_their_definitions():
    result = act.loss_comparison([-2.0, 3.0, 0.5], 0)
    p = torch.softmax(torch.tensor([-2.0, 3.0, 0.5], dtype=torch.float64), dim=0)
    one_hot = torch.tensor([1.0, 0.0, 0.0], dtype=torch.float64)
    assert result.cross_entropy == pytest.approx(-math.log(p[0].item()))
    assert result.mse == pytest.approx(((p - one_hot) ** 2).mean().item())
    torch.testing.assert_close(result.ce_grad, p - one_hot)  # the famous softmax − one-hot


def test_mse_gradient_vanishes_when_confidently_wrong_but_cross_entropy_does_not():
    result = act.loss_comparison([0.0, 5.0, 5.0], 0)
    wrong = result.sweep < -8  # the true class's logit far below the others
    assert result.sweep_ce_grad[wrong].min() > 0.99
    assert result.sweep_mse_grad[wrong].max() < 1e-4


def test_loss_target_must_be_a_class():
    with pytest.raises(InputError):
        act.loss_comparison([1, 2, 3], 3)


@pytest.mark.parametrize("call, key", [
    (lambda: act.neuron([1, None, 3], [1, 2, 3], 0), "common.err.missing_value"),
    (lambda: act.neuron([1, 2, 3], [1, "two", 3], 0), "common.err.not_a_number"),
    (lambda: act.neuron([1, 2, 3], [1, 2, 3], float("nan")), "common.err.not_finite"),
    (lambda: act.loss_comparison([1, None, 3], 0), "common.err.missing_value"),
    (lambda: act.loss_comparison([1, 2, 3], None), "common.err.missing_value"),
    (lambda: act.loss_comparison([1, 2, 3], 1.5), "common.err.not_whole"),
    (lambda: act.linear_collapse(hidden=None), "common.err.missing_value"),
    (lambda: act.linear_collapse(seed=-1), "common.err.out_of_range"),
    (lambda: act.linear_collapse(seed=float("nan")), "common.err.not_finite"),
])
def test_missing_or_odd_control_values_are_named(call, key):
    with pytest.raises(InputError) as info:
        call()
    assert info.value.key == key
