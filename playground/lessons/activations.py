"""Primer §1: a neuron, activation functions, softmax, why activations are needed, and two losses.

Every number here comes from PyTorch itself: the curves from ``torch.nn`` modules, their derivatives
from autograd (``y.sum().backward()``; each output depends only on its own input, so the gradient of
the sum is the derivative at every point), the losses from ``nn.MSELoss`` / ``nn.CrossEntropyLoss``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch
from torch import Tensor, nn

from playground.errors import InputError
from playground.inputs import as_number, as_whole, in_range, parse_numbers
from playground.lessons.checks import TorchCheck, compare
from playground.limits import (
    CURVE_POINTS,
    MAX_CURVE_RANGE,
    MAX_LAYER_WIDTH,
    MAX_SEED,
    MAX_SOFTMAX_VALUES,
    MAX_TEMPERATURE,
    MIN_TEMPERATURE,
)
from playground.models import ACTIVATION_NAMES, MLP, make_activation

# The learner-adjustable parameter of each activation and its allowed range.
PARAM_RANGES = {"negative_slope": (0.0, 1.0), "alpha": (0.01, 5.0), "beta": (0.1, 20.0)}


def _check_params(negative_slope: float, alpha: float, beta: float) -> dict[str, float]:
    params = {"negative_slope": negative_slope, "alpha": alpha, "beta": beta}
    return {k: in_range(v, *PARAM_RANGES[k], f"act.{k}") for k, v in params.items()}


def _check_activation(name: str | None, *, allow_none: bool = False) -> str | None:
    if allow_none and name in (None, "none"):
        return None
    if name not in ACTIVATION_NAMES:
        raise InputError("act.err.unknown", name=str(name), choices=", ".join(ACTIVATION_NAMES))
    return name


# --- activation curves ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Curve:
    """One activation sampled on x, with its derivative from autograd (all float64, on the CPU)."""

    name: str
    x: Tensor
    y: Tensor
    dy: Tensor


def activation_curves(
    names: Sequence[str],
    *,
    x_min: float = -5.0,
    x_max: float = 5.0,
    points: int = CURVE_POINTS,
    negative_slope: float = 0.01,
    alpha: float = 1.0,
    beta: float = 1.0,
    device: torch.device | str = "cpu",
) -> list[Curve]:
    """f(x) and f'(x) for each named activation, the derivative computed by autograd, not by hand."""
    if not names:
        raise InputError("act.err.no_activation")
    for name in names:
        _check_activation(name)
    x_min = in_range(x_min, -MAX_CURVE_RANGE, MAX_CURVE_RANGE, "act.x_min")
    x_max = in_range(x_max, -MAX_CURVE_RANGE, MAX_CURVE_RANGE, "act.x_max")
    if x_min >= x_max:
        raise InputError("act.err.range_order", low=x_min, high=x_max)
    params = _check_params(negative_slope, alpha, beta)
    curves = []
    for name in dict.fromkeys(names):  # keep order, drop repeats
        x = torch.linspace(x_min, x_max, points, dtype=torch.float64, device=device, requires_grad=True)
        y = make_activation(name, **params)(x)
        (dy,) = torch.autograd.grad(y.sum(), x)
        curves.append(Curve(name, x.detach().cpu(), y.detach().cpu(), dy.cpu()))
    return curves


# --- a single neuron -----------------------------------------------------------------------------


@dataclass(frozen=True)
class NeuronResult:
    """h = Σ wᵢxᵢ + b, then y = f(h): every intermediate number, and f'(h) from autograd."""

    x: Tensor
    w: Tensor
    b: float
    products: Tensor  # wᵢ·xᵢ
    h: float
    activation: str
    y: float
    dy_dh: float


def neuron(
    x: Sequence[float],
    w: Sequence[float],
    b: float,
    *,
    activation: str = "sigmoid",
    negative_slope: float = 0.01,
    alpha: float = 1.0,
    beta: float = 1.0,
) -> NeuronResult:
    """The primer's figure 1 with numbers: inputs times weights, plus bias, through f."""
    _check_activation(activation)
    params = _check_params(negative_slope, alpha, beta)
    xs = torch.tensor([as_number(v, "act.x") for v in x], dtype=torch.float64)
    ws = torch.tensor([as_number(v, "act.w") for v in w], dtype=torch.float64)
    b = as_number(b, "act.bias")
    if xs.shape != ws.shape or xs.numel() == 0:
        raise InputError("act.err.neuron_shape", nx=xs.numel(), nw=ws.numel())
    products = ws * xs
    h = (products.sum() + b).requires_grad_(True)
    y = make_activation(activation, **params)(h)
    (dy_dh,) = torch.autograd.grad(y, h)
    return NeuronResult(xs, ws, float(b), products, float(h.detach()), activation, float(y.detach()), float(dy_dh))


@dataclass(frozen=True)
class NeuronView:
    """The neuron, and its activation's curve over a range that shows where h falls."""

    result: NeuronResult
    curve: Curve


def neuron_view(x: Sequence[float], w: Sequence[float], b: float, *, activation: str = "sigmoid") -> NeuronView:
    """``neuron`` and the curve of its activation over [-5, 5], or wider when h lies beyond it."""
    result = neuron(x, w, b, activation=activation)
    span = max(5.0, abs(result.h) * 1.3)
    (curve,) = activation_curves([activation], x_min=-span, x_max=span)
    return NeuronView(result, curve)


# --- softmax -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SoftmaxResult:
    """Softmax of the learner's numbers at temperature T, with the two naive versions beside it.

    ``shifted`` = (x − max x)/T is what makes it stable: every exponent is ≤ 0, so exp never overflows.
    ``unshifted`` = exp(x/T)/Σexp(x/T) as written in the primer: ``unshifted_exps`` = exp(x/T) overflows to ∞
    for x = 1000, and ∞/∞ is NaN.
    ``by_sum`` = x/Σx, "just use the relative sizes": negative "probabilities", or no answer at Σx = 0.
    """

    logits: Tensor
    temperature: float
    shifted: Tensor
    exps: Tensor
    probs: Tensor
    unshifted_exps: Tensor
    unshifted: Tensor
    by_sum: Tensor | None
    check: TorchCheck


def softmax(values: Sequence[float] | Tensor | str, *, temperature: float = 1.0) -> SoftmaxResult:
    """Numerically stable softmax of ``values`` (a list, a tensor, or text like ``"3, 1, -3"``)."""
    if isinstance(values, str):
        logits = parse_numbers(values, limit=MAX_SOFTMAX_VALUES)
    else:
        logits = torch.as_tensor(values, dtype=torch.float64).flatten()
        if logits.numel() == 0:
            raise InputError("common.err.empty_numbers")
        if logits.numel() > MAX_SOFTMAX_VALUES:
            raise InputError("common.err.too_many_numbers", count=logits.numel(), limit=MAX_SOFTMAX_VALUES)
        if not torch.isfinite(logits).all():
            raise InputError("common.err.not_finite", token=str(logits[~torch.isfinite(logits)][0].item()))
    temperature = in_range(temperature, MIN_TEMPERATURE, MAX_TEMPERATURE, "act.temperature")

    shifted = (logits - logits.max()) / temperature  # ≤ 0 everywhere; may be -inf for huge gaps
    exps = torch.exp(shifted)
    probs = exps / exps.sum()  # the largest term is exp(0) = 1, so the sum is ≥ 1: no division by 0

    with torch.no_grad():
        unshifted_exps = torch.exp(logits / temperature)
        unshifted = unshifted_exps / unshifted_exps.sum()
    total = logits.sum()
    by_sum = logits / total if total != 0 and torch.isfinite(total) else None
    check = compare(probs, torch.softmax(shifted, dim=0), op="torch.softmax")
    return SoftmaxResult(logits, temperature, shifted, exps, probs, unshifted_exps, unshifted, by_sum, check)


# --- without an activation, two linear layers are one ----------------------------------------------


@dataclass(frozen=True)
class CollapseResult:
    """Y = (X·W₁ + b₁)·W₂ + b₂ equals X·(W₁W₂) + (b₁W₂ + b₂), unless an activation sits in between.

    Weights are in the primer's orientation: W₁ is (in × hidden), W₂ is (hidden × out).
    """

    w1: Tensor
    b1: Tensor
    w2: Tensor
    b2: Tensor
    w: Tensor  # W₁·W₂
    b: Tensor  # b₁·W₂ + b₂
    x: Tensor  # (points, 1) inputs on a line
    two_linear: Tensor  # the two-layer network without an activation
    one_linear: Tensor  # the single collapsed layer
    with_activation: Tensor  # the same weights with the activation inserted
    activation: str
    max_diff_linear: float
    max_diff_activation: float


def linear_collapse(
    *, hidden: int = 4, seed: int = 0, activation: str = "relu", x_min: float = -3.0, x_max: float = 3.0
) -> CollapseResult:
    """Two ``nn.Linear`` layers (1 → hidden → 1), seeded; compared with their one-layer equivalent."""
    hidden = as_whole(hidden, 1, MAX_LAYER_WIDTH, "act.hidden")
    seed = as_whole(seed, 0, MAX_SEED, "act.seed")
    _check_activation(activation)
    generator = torch.Generator().manual_seed(seed)
    linear = MLP([1, hidden, 1], activation=None).double()
    with torch.no_grad():
        for p in linear.parameters():
            p.copy_(torch.randn(p.shape, generator=generator, dtype=torch.float64))
    bent = MLP([1, hidden, 1], activation=activation).double()
    bent.load_state_dict(linear.state_dict())

    first, second = linear.layers
    w1, b1 = first.weight.detach().T, first.bias.detach()  # (1, hidden), (hidden,)
    w2, b2 = second.weight.detach().T, second.bias.detach()  # (hidden, 1), (1,)
    w, b = w1 @ w2, b1 @ w2 + b2

    x = torch.linspace(x_min, x_max, 201, dtype=torch.float64).unsqueeze(1)
    with torch.no_grad():
        two_linear, with_activation = linear(x), bent(x)
    one_linear = x @ w + b
    return CollapseResult(
        w1, b1, w2, b2, w, b, x, two_linear, one_linear, with_activation, activation,
        float((two_linear - one_linear).abs().max()), float((with_activation - one_linear).abs().max()),
    )


# --- MSE vs cross-entropy --------------------------------------------------------------------------


@dataclass(frozen=True)
class LossComparison:
    """Both losses and their gradients w.r.t. the logits, now and as the true class's logit sweeps."""

    logits: Tensor
    target: int
    probs: Tensor
    mse: float
    cross_entropy: float
    mse_grad: Tensor  # ∂MSE/∂logits
    ce_grad: Tensor  # ∂CE/∂logits = softmax − one_hot
    sweep: Tensor  # values of the true class's logit
    sweep_mse: Tensor
    sweep_ce: Tensor
    sweep_mse_grad: Tensor  # |∂MSE/∂z_target| along the sweep
    sweep_ce_grad: Tensor


def _losses(logits: Tensor, target: int) -> tuple[Tensor, Tensor, Tensor, Tensor]:
    """Batched: logits (N, C) → MSE(softmax, one-hot) and CE per row, and their logit gradients."""
    z = logits.detach().clone().requires_grad_(True)
    one_hot = nn.functional.one_hot(torch.tensor(target), z.shape[1]).to(z.dtype).expand_as(z)
    mse = nn.MSELoss(reduction="none")(torch.softmax(z, dim=1), one_hot).mean(dim=1)
    (mse_grad,) = torch.autograd.grad(mse.sum(), z)
    z = logits.detach().clone().requires_grad_(True)
    targets = torch.full((z.shape[0],), target, dtype=torch.long)
    ce = nn.CrossEntropyLoss(reduction="none")(z, targets)
    (ce_grad,) = torch.autograd.grad(ce.sum(), z)
    return mse.detach(), ce.detach(), mse_grad, ce_grad


def loss_comparison(logits: Sequence[float], target: int) -> LossComparison:
    """How MSE and cross-entropy judge a classifier's output, and how hard each pushes back."""
    z = torch.tensor([as_number(v, "act.logits") for v in logits], dtype=torch.float64)
    if z.numel() == 0:
        raise InputError("common.err.empty_numbers")
    target = as_whole(target, 0, z.numel() - 1, "act.target")
    mse, ce, mse_grad, ce_grad = _losses(z.unsqueeze(0), target)

    sweep = torch.linspace(-10, 10, 201, dtype=torch.float64)
    grid = z.repeat(sweep.numel(), 1)
    grid[:, target] = sweep
    s_mse, s_ce, s_mse_grad, s_ce_grad = _losses(grid, target)
    return LossComparison(
        z, target, torch.softmax(z, dim=0), float(mse[0]), float(ce[0]), mse_grad[0], ce_grad[0],
        sweep, s_mse, s_ce, s_mse_grad[:, target].abs(), s_ce_grad[:, target].abs(),
    )
