"""Figures for the MLP playground: the decision map with the points, the loss curves, every hidden neuron's map.

The decision map colours each point of the plane by the class the network predicts there, pale where it is
unsure and deep where it is confident (the softmax probability of that class). Train points are filled, test
points outlined.
"""

from __future__ import annotations

import html
import math

import numpy as np
import plotly.graph_objects as go

from playground.data.points import Points
from playground.i18n import t
from playground.lessons.mlp_experiment import CSV
from playground.lessons.mlp_playground import PLAY_LIMIT, View
from playground.limits import MAX_MLP_EXPERIMENT_STEPS, MAX_MLP_PLAY_STEPS, MLP_NEURON_MAPS_PER_LAYER
from playground.viz.text import literal
from playground.viz.theme import DIVERGING, PALETTE, base_layout

LOSS_CURVE_POINTS = 1_500  # points drawn per loss curve; longer histories are thinned evenly
NEURON_GAP = 3  # empty cells between two neuron maps in the mosaic
PALE, DEEP = 0.9, 0.45  # share of white mixed into a class colour at the least and at the most confident


def class_colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def _mix_with_white(colour: str, white: float) -> str:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    r, g, b = (round(c + (255 - c) * white) for c in (r, g, b))
    return f"rgb({r},{g},{b})"


def _class_colourscale(classes: int) -> list[list]:
    """Class k owns the band [k, k+1) of z: pale at its start (unsure), deep at its end (confident)."""
    scale = []
    for k in range(classes):
        colour = class_colour(k)
        scale += [[k / classes, _mix_with_white(colour, PALE)], [(k + 0.999) / classes, _mix_with_white(colour, DEEP)]]
    scale[-1][0] = 1.0
    return scale


def confidence_map(probabilities: np.ndarray) -> np.ndarray:
    """(S, S, C) probabilities → (S, S) z for the class colourscale: predicted class + how sure (in [0, 0.999]).

    Sure is measured from chance (1/C, palest) to certainty (1, deepest); NaN where the network diverged."""
    classes = probabilities.shape[-1]
    predicted = probabilities.argmax(-1)
    sure = (probabilities.max(-1) - 1 / classes) / (1 - 1 / classes)
    z = predicted + np.clip(sure, 0.0, 0.999)
    z[~np.isfinite(probabilities).all(-1)] = np.nan
    return z.astype(np.float32)


def _class_name(view: View, k: int, lang: str) -> str:
    """A class's name as plotly shows it: a learner's own label is text, never markup (it may come from a link)."""
    name = view.points.class_names[k]
    return html.escape(name) if view.experiment.dataset == CSV else t("mlp.fig.class", lang, name=name)


def csv_note(points: Points, *, lang: str = "en") -> str:
    """What was read from the learner's file; the labels shown as plain text, never as Markdown."""
    names = ", ".join(literal(name) for name in points.class_names)
    return t("mlp.note.csv", lang, count=len(points), classes=points.classes, names=names)


def play_note(state: str, *, lang: str = "en") -> str:
    """The status note of a Play's picture: still playing, paused, or stopped at the Play limit."""
    if state == PLAY_LIMIT:
        return t("mlp.note.play_limit", lang, limit=f"{MAX_MLP_PLAY_STEPS:,}")
    return t(f"mlp.note.{state}", lang)


def link_markdown(config: str, *, lang: str = "en") -> str:
    """A link to this page with the experiment string ``config`` in it (``?mlp=...``), to share or bookmark."""
    return t("mlp.link", lang, link=f"?mlp={config}")


def boundary_figure(view: View, *, lang: str = "en") -> go.Figure:
    """The decision map (heatmap) with the train points (filled) and the test points (outlined)."""
    experiment = view.experiment
    probabilities = view.probabilities.numpy()
    classes = probabilities.shape[-1]
    title = t("mlp.fig.boundary", lang, step=f"{experiment.step:,}")
    fig = go.Figure(layout=base_layout(title, height=560))
    names = [_class_name(view, k, lang) for k in range(classes)]
    hover = "x = %{x:.3g}, y = %{y:.3g}<br>" + "<br>".join(
        f"p({name}) = %{{customdata[{k}]:.2f}}" for k, name in enumerate(names)) + "<extra></extra>"
    fig.add_trace(go.Heatmap(x=view.xs.numpy(), y=view.ys.numpy(), z=confidence_map(probabilities), zmin=0,
                             zmax=classes, colorscale=_class_colourscale(classes), showscale=False,
                             customdata=probabilities.astype(np.float32), hovertemplate=hover,
                             name=t("mlp.fig.prediction", lang)))
    if classes == 2 and np.isfinite(probabilities).all():  # the boundary itself: where p(second class) = ½
        fig.add_trace(go.Contour(x=view.xs.numpy(), y=view.ys.numpy(), z=probabilities[..., 1], showscale=False,
                                 contours=dict(start=0.5, end=0.5, size=1, coloring="none"),
                                 line=dict(color="rgba(0,0,0,0.55)", width=1.5), hoverinfo="skip",
                                 name=t("mlp.fig.boundary_line", lang), showlegend=False))
    xy, labels = view.points.xy.numpy(), view.points.labels.numpy()
    for split, index in (("train", view.train_index.numpy()), ("test", view.test_index.numpy())):
        for k in range(classes):
            members = index[labels[index] == k]
            if not len(members):
                continue
            colour = class_colour(k)
            marker = (dict(color=colour, size=7, line=dict(color="white", width=1)) if split == "train" else
                      dict(color="white", size=7, line=dict(color=colour, width=2)))
            fig.add_trace(go.Scatter(
                x=xy[members, 0], y=xy[members, 1], mode="markers", marker=marker, legendgroup=str(k),
                name=names[k], showlegend=split == "train",
                hovertemplate=f"{names[k]} · {t(f'mlp.fig.{split}', lang)}<br>x = %{{x:.3g}}, y = %{{y:.3g}}"
                              "<extra></extra>"))
    frame_x, frame_y = (float(view.xs[0]), float(view.xs[-1])), (float(view.ys[0]), float(view.ys[-1]))
    same_units = experiment.dataset != CSV  # a CSV's axes may have different units: no forced aspect ratio
    fig.update_layout(
        xaxis=dict(range=frame_x, title="x", zeroline=False, constrain="domain"),
        yaxis=dict(range=frame_y, title="y", zeroline=False, constrain="domain",
                   **(dict(scaleanchor="x", scaleratio=1) if same_units else {})),
        legend=dict(orientation="h", yanchor="top", y=-0.12, xanchor="left", x=0, title_text=t("mlp.fig.legend", lang)),
        margin=dict(l=50, r=20, t=60, b=80),
    )
    return fig


def loss_figure(view: View, *, lang: str = "en") -> go.Figure:
    """Cross-entropy on all train and all test points after every step (the L2 penalty is not included)."""
    history = view.history
    steps = len(history.train_loss)
    keep = np.unique(np.linspace(0, steps - 1, min(steps, LOSS_CURVE_POINTS)).round().astype(int))
    fig = go.Figure(layout=base_layout(t("mlp.fig.loss", lang), height=300))
    for name, values, colour, accuracy in (("train", history.train_loss, PALETTE[0], history.train_accuracy),
                                           ("test", history.test_loss, PALETTE[1], history.test_accuracy)):
        y = np.asarray(values, dtype=np.float64)[keep]
        acc = np.asarray(accuracy, dtype=np.float64)[keep]
        fig.add_trace(go.Scatter(
            x=keep, y=np.where(np.isfinite(y), y, np.nan), customdata=acc, mode="lines" if steps > 1 else "markers",
            name=t(f"mlp.fig.{name}_loss", lang), line=dict(color=colour, width=2),
            hovertemplate=t("mlp.fig.loss_hover", lang) + "<extra></extra>"))
    fig.update_layout(xaxis=dict(title=t("mlp.fig.step", lang), range=[0, max(steps - 1, 1)], rangemode="tozero"),
                      yaxis=dict(title=t("mlp.fig.cross_entropy", lang), rangemode="tozero"),
                      margin=dict(l=50, r=20, t=60, b=45))
    return fig


def neuron_mosaic(view: View) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """Every drawn neuron's map tiled into one picture: layer 1 in the top row, neurons left to right.

    Returns z (each map divided by its own largest |value|, so every pattern shows), the raw activations for
    hover (same shape), and how many neurons each layer has. Gaps between maps are NaN."""
    widths = [len(layer) for layer in view.neurons]
    side = len(view.neuron_xs)
    cell = side + NEURON_GAP
    rows, cols = len(widths), min(max(widths, default=1), MLP_NEURON_MAPS_PER_LAYER)
    z = np.full((rows * cell - NEURON_GAP, cols * cell - NEURON_GAP), np.nan, dtype=np.float32)
    raw = np.full_like(z, np.nan)
    for index, layer in enumerate(view.neurons):
        row = rows - 1 - index  # plotly's y grows upwards: the first layer goes on top
        for n, neuron in enumerate(layer[:MLP_NEURON_MAPS_PER_LAYER].numpy()):
            top, left = row * cell, n * cell
            scale = np.abs(neuron).max()
            z[top:top + side, left:left + side] = neuron / scale if scale > 0 and math.isfinite(scale) else 0.0
            raw[top:top + side, left:left + side] = neuron
    return z, raw, widths


def neurons_figure(view: View, *, lang: str = "en") -> go.Figure:
    """One small map per hidden neuron: its activation over the same plane as the decision map."""
    title = t("mlp.fig.neurons", lang)
    if not view.neurons:
        fig = go.Figure(layout=base_layout(title, height=200))
        fig.add_annotation(text=t("mlp.fig.no_hidden", lang), showarrow=False, x=0.5, y=0.5, xref="paper",
                           yref="paper")
        fig.update_layout(xaxis=dict(visible=False), yaxis=dict(visible=False))
        return fig
    z, raw, widths = neuron_mosaic(view)
    side = len(view.neuron_xs)
    cell = side + NEURON_GAP
    rows = len(widths)
    fig = go.Figure(layout=base_layout(title, height=min(110 + rows * 95, 700)))
    fig.add_trace(go.Heatmap(z=z, customdata=raw, colorscale=DIVERGING, zmid=0, zmin=-1, zmax=1, showscale=False,
                             hoverongaps=False, hovertemplate=t("mlp.fig.neuron_hover", lang) + "<extra></extra>"))
    cols = z.shape[1] // cell + 1
    layer_ticks = []
    for index, width in enumerate(widths):
        shown = min(width, MLP_NEURON_MAPS_PER_LAYER)
        label = t("mlp.fig.layer", lang, layer=index + 1, activation=view.experiment.activations[index])
        if shown < width:
            label += " " + t("mlp.fig.more_neurons", lang, shown=shown, width=width)
        layer_ticks.append(((rows - 1 - index) * cell + side / 2 - 0.5, label))
    fig.update_layout(
        xaxis=dict(tickvals=[n * cell + side / 2 - 0.5 for n in range(cols)],
                   ticktext=[str(n + 1) for n in range(cols)], title=t("mlp.fig.neuron", lang), showgrid=False,
                   zeroline=False, constrain="domain"),
        yaxis=dict(tickvals=[tick for tick, _ in layer_ticks], ticktext=[label for _, label in layer_ticks],
                   showgrid=False, zeroline=False, scaleanchor="x", scaleratio=1, constrain="domain"),
        margin=dict(l=10, r=10, t=50, b=40), plot_bgcolor="white",
    )
    return fig


def _percent(value: float) -> str:
    return f"{value:.1%}" if math.isfinite(value) else "—"


def _number(value: float) -> str:
    return f"{value:.3f}" if math.isfinite(value) else "—"


def status_markdown(view: View, *, lang: str = "en", note: str | None = None) -> str:
    """Where the run stands (step, losses, accuracies) and what the learner should know about it."""
    history, experiment = view.history, view.experiment
    lines = [t("mlp.status.line", lang, step=f"{experiment.step:,}", train_loss=_number(history.train_loss[-1]),
               test_loss=_number(history.test_loss[-1]), train_acc=_percent(history.train_accuracy[-1]),
               test_acc=_percent(history.test_accuracy[-1]))]
    if note:
        lines.append(note)
    if view.diverged:
        lines.append(t("mlp.status.diverged", lang, lr=experiment.learning_rate))
    if experiment.step >= MAX_MLP_EXPERIMENT_STEPS:
        lines.append(t("mlp.status.limit", lang, limit=f"{MAX_MLP_EXPERIMENT_STEPS:,}"))
    if view.collapse_error is not None:
        plain = set(experiment.features) <= {"x", "y"}
        lines.append(t("mlp.status.collapse_line" if plain else "mlp.status.collapse_features", lang,
                       error=f"{view.collapse_error:.1e}"))
    train_count = len(view.train_index)
    if experiment.batch_size > train_count:
        lines.append(t("mlp.status.batch", lang, batch=experiment.batch_size, count=train_count))
    return "\n\n".join(lines)
