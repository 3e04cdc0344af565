"""Figures for the training tab: live loss and accuracy curves, the confusion matrix, the mistakes."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from PIL import Image

from playground import zoo
from playground.i18n import t
from playground.lessons.training import Evaluation, Snapshot
from playground.viz.theme import PALETTE, SEQUENTIAL, base_layout


def curves_figure(snapshot: Snapshot, *, lang: str = "en") -> go.Figure:
    """Training loss per reported step (left) and train / held-out accuracy per epoch (right)."""
    history, epochs = snapshot.history, snapshot.config.epochs
    title = t("train.fig.curves", lang, name=zoo.get_entry(snapshot.name).family)
    fig = go.Figure(layout=base_layout(title, height=380))
    steps = history.steps
    fig.add_trace(go.Scatter(x=[s.step / s.steps_per_epoch for s in steps], y=[s.loss for s in steps],
                             name=t("train.fig.train_loss", lang), line=dict(color=PALETTE[0], width=2),
                             hovertemplate="epoch %{x:.2f}<br>loss %{y:.4f}<extra></extra>"))
    ep = [e.epoch for e in history.epochs]
    fig.add_trace(go.Scatter(x=ep, y=[e.held_out_loss for e in history.epochs], mode="lines+markers",
                             name=t("train.fig.held_out_loss", lang), line=dict(color=PALETTE[1], width=2)))
    fig.add_trace(go.Scatter(x=ep, y=[e.train_accuracy for e in history.epochs], mode="lines+markers",
                             name=t("train.fig.train_acc", lang), xaxis="x2", yaxis="y2",
                             line=dict(color=PALETTE[0], width=2, dash="dot")))
    fig.add_trace(go.Scatter(x=ep, y=[e.held_out_accuracy for e in history.epochs], mode="lines+markers",
                             name=t("train.fig.held_out_acc", lang), xaxis="x2", yaxis="y2",
                             line=dict(color=PALETTE[1], width=2.5)))
    fig.update_layout(
        xaxis=dict(domain=[0, 0.46], title=t("train.fig.epoch", lang), range=[0, epochs]),
        yaxis=dict(title=t("train.fig.loss", lang), rangemode="tozero"),
        xaxis2=dict(domain=[0.54, 1], title=t("train.fig.epoch", lang), anchor="y2", range=[0.5, epochs + 0.5]),
        yaxis2=dict(title=t("train.fig.accuracy", lang), anchor="x2", range=[0, 1.02], tickformat=".0%"),
    )
    return fig


def confusion_figure(evaluation: Evaluation, classes: tuple[str, ...], *, lang: str = "en") -> go.Figure:
    """Rows: the true digit, columns: what the network said; the diagonal is what it got right."""
    counts = evaluation.confusion.numpy()
    title = t("train.fig.confusion", lang, acc=f"{evaluation.accuracy:.1%}")
    fig = go.Figure(layout=base_layout(title, height=420))
    fig.add_trace(go.Heatmap(z=np.log1p(counts), x=list(classes), y=list(classes), colorscale=SEQUENTIAL,
                             showscale=False, text=counts, texttemplate="%{text}",
                             customdata=counts,
                             hovertemplate=t("train.fig.confusion_hover", lang) + "<extra></extra>"))
    fig.update_layout(xaxis=dict(title=t("train.fig.predicted", lang), type="category", constrain="domain"),
                      yaxis=dict(title=t("train.fig.true", lang), autorange="reversed", type="category",
                                 scaleanchor="x", constrain="domain"))
    return fig


def mistakes_gallery(evaluation: Evaluation, *, limit: int = 24, lang: str = "en") -> list[tuple[Image.Image, str]]:
    """The most confident mistakes: (picture enlarged ×3, "true 4 → said 9 (97%)")."""
    items = []
    for index in evaluation.mistakes[:limit].tolist():
        array = (evaluation.pictures[index].permute(1, 2, 0).numpy() * 255).round().astype(np.uint8)
        picture = Image.fromarray(array).resize((96, 96), Image.NEAREST)
        caption = t("train.mistake", lang, true=int(evaluation.labels[index]),
                    said=int(evaluation.predicted[index]), p=f"{float(evaluation.confidence[index]):.0%}")
        items.append((picture, caption))
    return items
