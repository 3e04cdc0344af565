"""Figures for primer §1: activation curves, a neuron, softmax bars, the linear collapse, two losses."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from playground.i18n import t
from playground.lessons.activations import (
    CollapseResult,
    Curve,
    LossComparison,
    NeuronResult,
    NeuronView,
    SoftmaxResult,
)
from playground.viz.text import check_badge, vector
from playground.viz.theme import NEGATIVE, NEUTRAL, PALETTE, POSITIVE, base_layout, fmt


def _np(tensor) -> np.ndarray:
    return tensor.detach().cpu().numpy()


def curves_figure(curves: list[Curve], *, lang: str = "en") -> go.Figure:
    """f(x) on the left, f'(x) from autograd on the right, one colour per activation."""
    fig = go.Figure(layout=base_layout(t("act.fig.curves", lang), height=430))
    for index, curve in enumerate(curves):
        colour = PALETTE[index % len(PALETTE)]
        x = _np(curve.x)
        fig.add_trace(go.Scatter(x=x, y=_np(curve.y), name=curve.name, legendgroup=curve.name,
                                 line=dict(color=colour, width=2.5),
                                 hovertemplate=f"{curve.name}(%{{x:.3f}}) = %{{y:.4f}}<extra></extra>"))
        fig.add_trace(go.Scatter(x=x, y=_np(curve.dy), name=curve.name + "′", legendgroup=curve.name,
                                 showlegend=False, xaxis="x2", yaxis="y2",
                                 line=dict(color=colour, width=2.5, dash="dot"),
                                 hovertemplate=f"{curve.name}′(%{{x:.3f}}) = %{{y:.4f}}<extra></extra>"))
    fig.update_layout(
        xaxis=dict(domain=[0, 0.47], title="x", zeroline=True),
        yaxis=dict(title="f(x)", zeroline=True),
        xaxis2=dict(domain=[0.53, 1], title="x", zeroline=True, anchor="y2"),
        yaxis2=dict(title=t("act.fig.derivative", lang), anchor="x2", zeroline=True),
    )
    return fig


def neuron_figure(result: NeuronResult, curve: Curve, *, lang: str = "en") -> go.Figure:
    """The activation curve with the neuron's point (h, f(h)) and its tangent slope f'(h)."""
    fig = go.Figure(layout=base_layout(t("act.fig.neuron", lang, name=result.activation), height=360))
    x, y = _np(curve.x), _np(curve.y)
    fig.add_trace(go.Scatter(x=x, y=y, name=f"f = {result.activation}", line=dict(color=PALETTE[0], width=2.5),
                             hovertemplate="f(%{x:.3f}) = %{y:.4f}<extra></extra>"))
    half = (x[-1] - x[0]) / 12
    tx = np.array([result.h - half, result.h + half])
    fig.add_trace(go.Scatter(x=tx, y=result.y + result.dy_dh * (tx - result.h), mode="lines",
                             name=t("act.fig.tangent", lang, slope=fmt(result.dy_dh)),
                             line=dict(color=PALETTE[1], dash="dash")))
    fig.add_trace(go.Scatter(x=[result.h], y=[result.y], mode="markers+text", name="(h, y)",
                             marker=dict(size=12, color=PALETTE[1]),
                             text=[f"h = {fmt(result.h)}, y = {fmt(result.y)}"], textposition="top left"))
    fig.update_layout(xaxis=dict(title="h = Σ wᵢxᵢ + b"), yaxis=dict(title="y = f(h)"))
    return fig


def softmax_figure(result: SoftmaxResult, *, lang: str = "en") -> go.Figure:
    """Softmax probabilities next to 'divide by the sum' for the same numbers."""
    labels = [f"x{i + 1} = {fmt(v)}" for i, v in enumerate(result.logits.tolist())]
    fig = go.Figure(layout=base_layout(t("act.fig.softmax", lang, temp=fmt(result.temperature)), height=400))
    probs = _np(result.probs)
    fig.add_trace(go.Bar(x=labels, y=probs, name=t("act.fig.softmax_bar", lang), marker_color=POSITIVE,
                         text=[f"{p:.2f}" for p in probs], textposition="outside",
                         hovertemplate="%{x}<br>p = %{y:.6g}<extra></extra>"))
    if result.by_sum is not None:
        ratios = _np(result.by_sum)
        fig.add_trace(go.Bar(x=labels, y=ratios, name=t("act.fig.by_sum_bar", lang),
                             marker_color=[NEGATIVE if r < 0 else NEUTRAL for r in ratios],
                             text=[f"{r:.2f}" for r in ratios], textposition="outside",
                             hovertemplate="%{x}<br>x / Σx = %{y:.6g}<extra></extra>"))
    fig.update_layout(barmode="group", yaxis=dict(title=t("act.fig.probability", lang)))
    fig.add_hline(y=0, line_color="#444", line_width=1)
    return fig


def collapse_figure(result: CollapseResult, *, lang: str = "en") -> go.Figure:
    """The two-layer linear network lies exactly on one straight line; with an activation it bends."""
    x = _np(result.x[:, 0])
    fig = go.Figure(layout=base_layout(t("act.fig.collapse", lang), height=400))
    fig.add_trace(go.Scatter(x=x, y=_np(result.two_linear[:, 0]), name=t("act.fig.two_linear", lang),
                             line=dict(color=PALETTE[0], width=7), opacity=0.45))
    fig.add_trace(go.Scatter(x=x, y=_np(result.one_linear[:, 0]), name=t("act.fig.one_linear", lang),
                             line=dict(color=PALETTE[2], width=2, dash="dash")))
    fig.add_trace(go.Scatter(x=x, y=_np(result.with_activation[:, 0]),
                             name=t("act.fig.with_activation", lang, name=result.activation),
                             line=dict(color=PALETTE[1], width=2.5)))
    fig.update_layout(xaxis=dict(title="x"), yaxis=dict(title="y"))
    return fig


def loss_figure(result: LossComparison, *, lang: str = "en") -> go.Figure:
    """Loss (left) and gradient size (right) as the true class's logit sweeps; the current point marked."""
    sweep = _np(result.sweep)
    z_now = float(result.logits[result.target])
    fig = go.Figure(layout=base_layout(t("act.fig.losses", lang, target=result.target + 1), height=400))
    series = (
        ("MSE", result.sweep_mse, result.sweep_mse_grad, result.mse, float(result.mse_grad[result.target]), PALETTE[0]),
        (t("act.fig.ce", lang), result.sweep_ce, result.sweep_ce_grad, result.cross_entropy,
         float(result.ce_grad[result.target]), PALETTE[1]),
    )
    for name, loss, grad, now, grad_now, colour in series:
        fig.add_trace(go.Scatter(x=sweep, y=_np(loss), name=name, legendgroup=name, line=dict(color=colour, width=2.5)))
        fig.add_trace(go.Scatter(x=[z_now], y=[now], mode="markers", showlegend=False, legendgroup=name,
                                 marker=dict(color=colour, size=11),
                                 hovertemplate=f"{name} = {fmt(now)}<extra></extra>"))
        fig.add_trace(go.Scatter(x=sweep, y=_np(grad), name=name, legendgroup=name, showlegend=False,
                                 xaxis="x2", yaxis="y2", line=dict(color=colour, width=2.5, dash="dot")))
        fig.add_trace(go.Scatter(x=[z_now], y=[abs(grad_now)], mode="markers", showlegend=False, legendgroup=name,
                                 xaxis="x2", yaxis="y2", marker=dict(color=colour, size=11)))
    axis_title = t("act.fig.target_logit", lang, target=result.target + 1)
    fig.update_layout(
        xaxis=dict(domain=[0, 0.47], title=axis_title),
        yaxis=dict(title=t("act.fig.loss", lang)),
        xaxis2=dict(domain=[0.53, 1], title=axis_title, anchor="y2"),
        yaxis2=dict(title=t("act.fig.grad", lang, target=result.target + 1), anchor="x2"),
    )
    return fig


# --- the numbers beside each figure (Markdown) -----------------------------------------------------


def neuron_markdown(result: NeuronResult, *, lang: str = "en") -> str:
    terms = " + ".join(f"({fmt(w)})·({fmt(x)})" for w, x in zip(result.w.tolist(), result.x.tolist()))
    symbols = " + ".join(f"w_{i + 1}x_{i + 1}" for i in range(result.x.numel()))
    name = result.activation.replace("_", "\\_")
    return "\n\n".join([
        f"$$h = {symbols} + b = {terms} + ({fmt(result.b)}) = {fmt(result.h)}$$",
        f"$$y = \\mathrm{{{name}}}({fmt(result.h)}) = {fmt(result.y)}$$",
        t("act.neuron.slope", lang, slope=fmt(result.dy_dh)),
    ])


def softmax_markdown(result: SoftmaxResult, *, lang: str = "en") -> str:
    header = ["x", "(x − max)/T", "exp", "softmax", "x / Σx", t("act.sm.unshifted_exp_col", lang),
              t("act.sm.unshifted_col", lang)]
    by_sum = result.by_sum.tolist() if result.by_sum is not None else [None] * result.logits.numel()
    lines = ["| " + " | ".join(header) + " |", "|---" * len(header) + "|"]
    for x, s, e, p, r, ue, u in zip(result.logits.tolist(), result.shifted.tolist(), result.exps.tolist(),
                                    result.probs.tolist(), by_sum, result.unshifted_exps.tolist(),
                                    result.unshifted.tolist()):
        lines.append(f"| {fmt(x)} | {fmt(s)} | {fmt(e)} | **{p:.4f}** | {'—' if r is None else fmt(r)} | {fmt(ue)} "
                     f"| {fmt(u)} |")
    notes = [check_badge(result.check, lang=lang), "\n".join(lines),
             t("act.sm.sum", lang, total=f"{float(result.probs.sum()):.6f}")]
    if result.unshifted.isnan().any():
        notes.append(t("act.sm.overflow", lang))
    if result.by_sum is None:
        notes.append(t("act.sm.by_sum_undefined", lang))
    elif (result.by_sum < 0).any():
        notes.append(t("act.sm.by_sum_negative", lang))
    return "\n\n".join(notes)


def collapse_markdown(result: CollapseResult, *, lang: str = "en") -> str:
    return "\n\n".join([
        t("act.collapse.weights", lang, w1=vector(result.w1), b1=vector(result.b1),
          w2=vector(result.w2), b2=vector(result.b2)),
        t("act.collapse.merged", lang, w=vector(result.w, 6), b=vector(result.b, 6)),
        t("act.collapse.diff_linear", lang, delta=f"{result.max_diff_linear:.1e}"),
        t("act.collapse.diff_activation", lang, name=result.activation, delta=fmt(result.max_diff_activation)),
    ])


def loss_markdown(result: LossComparison, *, lang: str = "en") -> str:
    return "\n\n".join([
        t("act.loss.now", lang, probs=vector(result.probs), target=result.target + 1,
          p=f"{float(result.probs[result.target]):.4f}"),
        f"MSE = {fmt(result.mse)} · ‖∂MSE/∂z‖ = {fmt(float(result.mse_grad.norm()))}",
        t("act.loss.ce_line", lang, ce=fmt(result.cross_entropy), grad=fmt(float(result.ce_grad.norm()))),
        t("act.loss.lesson", lang),
    ])


# --- each view's figure and numbers, as its outputs show them -------------------------------------------------


def neuron_page(view: NeuronView, *, lang: str = "en") -> tuple[go.Figure, str]:
    return neuron_figure(view.result, view.curve, lang=lang), neuron_markdown(view.result, lang=lang)


def softmax_page(result: SoftmaxResult, *, lang: str = "en") -> tuple[go.Figure, str]:
    return softmax_figure(result, lang=lang), softmax_markdown(result, lang=lang)


def collapse_page(result: CollapseResult, *, lang: str = "en") -> tuple[go.Figure, str]:
    return collapse_figure(result, lang=lang), collapse_markdown(result, lang=lang)


def loss_page(result: LossComparison, *, lang: str = "en") -> tuple[go.Figure, str]:
    return loss_figure(result, lang=lang), loss_markdown(result, lang=lang)
