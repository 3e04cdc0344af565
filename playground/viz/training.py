"""Figures for the training tab: live loss and accuracy curves, the status line, the confusion matrix, the
mistakes."""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
from PIL import Image

from playground import zoo
from playground.i18n import t
from playground.lessons.training import Evaluation, Snapshot, Trained
from playground.limits import MAX_TRAIN_SECONDS
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


def progress_label(snapshot: Snapshot, *, lang: str = "en") -> str:
    """What the progress bar says while the network trains."""
    return t("train.progress", lang, name=zoo.get_entry(snapshot.name).family)


def status_markdown(snapshot: Snapshot, device: str, *, lang: str = "en") -> str:
    """Where the run stands: waiting for the first step, the epoch with its loss, accuracy and speed, or diverged."""
    epochs = snapshot.history.epochs
    if not snapshot.history.steps:
        return t("train.status.waiting", lang)
    last_loss = snapshot.history.steps[-1].loss
    if not math.isfinite(last_loss):
        return t("train.status.diverged", lang, lr=snapshot.config.lr)
    return t("train.status.running", lang, name=zoo.get_entry(snapshot.name).family,
             epoch=min(len(epochs) + 1, snapshot.config.epochs),
             epochs=snapshot.config.epochs, loss=f"{last_loss:.3f}",
             acc=f"{epochs[-1].held_out_accuracy:.1%}" if epochs else "—",
             speed=f"{epochs[-1].images_per_second:,.0f}" if epochs else "…", device=device)


LARGE_LEARNING_RATE = 0.1  # at or above, a run that learnt nothing is blamed on steps too large, below on too small


def final_status_markdown(trained: Trained, *, lang: str = "en") -> str:
    """How the run ended: stopped, diverged, or done, with the held-out accuracy."""
    history, config = trained.snapshot.history, trained.snapshot.config
    accuracy = f"{trained.evaluation.accuracy:.1%}"
    if trained.snapshot.time_up:
        return t("train.status.time_up", lang, minutes=f"{MAX_TRAIN_SECONDS / 60:g}", epochs=len(history.epochs),
                 acc=accuracy)
    if history.stopped:
        return t("train.status.stopped", lang, epochs=len(history.epochs), acc=accuracy)
    if history.steps and not math.isfinite(history.steps[-1].loss):
        return t("train.status.diverged", lang, lr=config.lr)
    if trained.evaluation.learnt_nothing:
        digit, share = trained.evaluation.favourite
        why = t("train.why.too_large" if config.lr >= LARGE_LEARNING_RATE else "train.why.too_small", lang,
                lr=config.lr, optimizer=config.optimizer, epochs=config.epochs)
        return t("train.status.learnt_nothing", lang, name=zoo.get_entry(trained.snapshot.name).family,
                 epochs=config.epochs, acc=accuracy, digit=digit, share=f"{share:.0%}", why=why)
    return t("train.status.done", lang, name=zoo.get_entry(trained.snapshot.name).family, epochs=config.epochs,
             seconds=f"{history.epochs[-1].seconds:.0f}", acc=accuracy)


def results_page(trained: Trained, *, lang: str = "en") -> tuple:
    """What the finished run shows: the curves, the final status, the confusion matrix and the mistakes."""
    return (curves_figure(trained.snapshot, lang=lang), final_status_markdown(trained, lang=lang),
            confusion_figure(trained.evaluation, zoo.get_entry(trained.snapshot.name).classes, lang=lang),
            mistakes_gallery(trained.evaluation, lang=lang))
