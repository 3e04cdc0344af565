"""Figures for the transfer-learning tab: the four strategies' curves, their table, and source vs target pictures."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from playground import zoo
from playground.data.shifted import SideBySide
from playground.i18n import t
from playground.lessons.transfer import STRATEGIES, Comparison, Curve, TransferConfig
from playground.limits import MAX_TRAIN_SECONDS
from playground.viz.theme import PALETTE, base_layout

COLOURS = dict(zip(STRATEGIES, (PALETTE[0], PALETTE[2], PALETTE[4], PALETTE[8])))  # scratch: grey, the baseline
DASHES = {"all": "solid", "last": "solid", "head": "solid", "scratch": "dash"}


def strategy_name(strategy: str, lang: str = "en") -> str:
    return t(f"xfer.strategy.{strategy}", lang)


def curves_figure(comparison: Comparison, *, lang: str = "en") -> go.Figure:
    """Held-out target accuracy after every epoch (left; epoch 0 = before training) and the training loss (right),
    one line per strategy."""
    config = comparison.config
    family = zoo.get_entry(config.network).family
    fig = go.Figure(layout=base_layout(t("xfer.fig.curves", lang, name=family, per_class=config.per_class),
                                       height=420))
    for strategy in STRATEGIES:
        curve = comparison.curves.get(strategy)
        points = curve.points if curve else []
        name = strategy_name(strategy, lang)
        line = dict(color=COLOURS[strategy], width=2.5, dash=DASHES[strategy])
        fig.add_trace(go.Scatter(x=[p.epoch for p in points], y=[p.held_out_accuracy for p in points],
                                 mode="lines+markers", name=name, legendgroup=strategy, line=line,
                                 hovertemplate=f"{name}<br>" + t("xfer.fig.acc_hover", lang) + "<extra></extra>"))
        trained = [p for p in points if p.train_loss is not None]
        fig.add_trace(go.Scatter(x=[p.epoch for p in trained], y=[p.train_loss for p in trained],
                                 mode="lines+markers", name=name, legendgroup=strategy, showlegend=False,
                                 line=dict(line, width=1.8), xaxis="x2", yaxis="y2",
                                 hovertemplate=f"{name}<br>" + t("xfer.fig.loss_hover", lang) + "<extra></extra>"))
    fig.update_layout(
        xaxis=dict(domain=[0, 0.6], title=t("xfer.fig.epoch", lang), range=[-0.3, config.epochs + 0.3]),
        yaxis=dict(title=t("xfer.fig.accuracy", lang), range=[0, 1.02], tickformat=".0%"),
        xaxis2=dict(domain=[0.7, 1], title=t("xfer.fig.loss_epoch", lang), anchor="y2",
                    range=[0.7, config.epochs + 0.3]),
        yaxis2=dict(title=t("xfer.fig.loss", lang), anchor="x2", rangemode="tozero"),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0),
        margin=dict(l=60, r=20, t=100, b=45),
    )
    chance = 1 / 10
    fig.add_shape(type="line", xref="x", yref="y", x0=-0.3, x1=config.epochs + 0.3, y0=chance, y1=chance,
                  line=dict(color="#999999", width=1, dash="dot"))
    fig.add_annotation(xref="x", yref="y", x=config.epochs + 0.3, y=chance, xanchor="right", yanchor="top",
                       text=t("xfer.fig.chance", lang), showarrow=False, font=dict(size=11, color="#777777"))
    return fig


def progress_label(config: TransferConfig, *, lang: str = "en") -> str:
    """What the progress bar says while the four race."""
    return t("xfer.progress", lang, name=zoo.get_entry(config.network).family)


def status_markdown(comparison: Comparison | None, device: str, *, lang: str = "en") -> str:
    """Where the race stands (None: not started): the epoch and the best strategy so far, or how it ended; and
    which strategies diverged."""
    if comparison is None or not comparison.curves:
        return t("xfer.status.waiting", lang)
    config, curves = comparison.config, comparison.curves
    epochs_done = comparison.common_epochs  # every strategy is compared after the same epochs
    leader = max(curves.values(), key=lambda c: c.accuracy_after(epochs_done))
    best, acc = strategy_name(leader.strategy, lang), f"{leader.accuracy_after(epochs_done):.1%}"
    if comparison.time_up:
        status = t("xfer.status.time_up", lang, minutes=f"{MAX_TRAIN_SECONDS / 60:g}", epochs=epochs_done)
    elif comparison.stopped:
        status = t("xfer.status.stopped", lang, epochs=epochs_done)
    elif comparison.done:
        status = t("xfer.status.done", lang, epochs=epochs_done, seconds=f"{comparison.elapsed:.0f}", best=best,
                   acc=acc, scratch=f"{curves['scratch'].accuracy_after(epochs_done):.1%}")
    else:
        status = t("xfer.status.running", lang, name=zoo.get_entry(config.network).family,
                   epoch=min(epochs_done + 1, config.epochs), epochs=config.epochs, per_class=config.per_class,
                   best=best, acc=acc, device=device)
    diverged = [strategy_name(s, lang) for s, curve in curves.items() if curve.diverged]
    if diverged:
        status += "\n\n" + t("xfer.status.diverged", lang, strategies=", ".join(diverged), lr=config.lr)
    return status


def race_page(comparison: Comparison, device: str, *, lang: str = "en") -> tuple:
    """What the race shows at one moment: the curves, the table and the status."""
    return (curves_figure(comparison, lang=lang), summary_table(comparison, lang=lang),
            status_markdown(comparison, device, lang=lang))


def _layers(curve: Curve, lang: str) -> str:
    if curve.strategy in ("all", "scratch"):
        return t("xfer.table.every_layer", lang)
    if curve.strategy == "head":
        return t("xfer.table.new_head", lang)
    short = [name.rpartition(".")[2] for name in curve.trained]
    return f"{short[0]} … {short[-1]}" if len(short) > 2 else " + ".join(short)


def summary_table(comparison: Comparison, *, lang: str = "en") -> str:
    """A markdown table: what each strategy trains, its parameter counts, accuracy before and after, time per epoch."""
    curves = [comparison.curves[s] for s in STRATEGIES if s in comparison.curves]
    if not curves:
        return t("xfer.table.empty", lang)
    epochs = comparison.common_epochs  # the race trains the four in turn: compared after the epochs all finished
    header = [t("xfer.table.strategy", lang), t("xfer.table.layers", lang), t("xfer.table.trainable", lang),
              t("xfer.table.frozen", lang), t("xfer.table.before", lang), t("xfer.table.after", lang, epochs=epochs),
              t("xfer.table.seconds", lang)]
    best = max(curve.accuracy_after(epochs) for curve in curves) if epochs else None
    rows = []
    for curve in curves:
        after = f"{curve.accuracy_after(epochs):.1%}" if epochs else "—"
        if best is not None and curve.accuracy_after(epochs) == best:
            after = f"**{after}**"
        if curve.diverged:
            after += " ⚠️"
        seconds = curve.seconds_per_epoch
        share = curve.counts.trainable / curve.counts.total
        rows.append([strategy_name(curve.strategy, lang), _layers(curve, lang),
                     f"{curve.counts.trainable:,} ({share:.0%})", f"{curve.counts.frozen:,}",
                     f"{curve.start_accuracy:.1%}", after, "—" if seconds is None else f"{seconds:.2f}"])
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * 2 + "--:|" * 5]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _tiles(pictures) -> np.ndarray:
    """(10, 3, 32, 32) in [0, 1] → one (32, 10·34 − 2, 3) uint8 row, 2 white pixels between pictures."""
    rows = []
    for picture in pictures:
        rows.append((picture.permute(1, 2, 0).numpy() * 255).round().astype(np.uint8))
        rows.append(np.full((picture.shape[1], 2, 3), 255, np.uint8))
    return np.concatenate(rows[:-1], axis=1)


def examples_figure(examples: SideBySide, *, lang: str = "en") -> go.Figure:
    """The same handwritten digits drawn the source way (top row) and the target way (bottom row)."""
    source, target = _tiles(examples.source), _tiles(examples.target)
    gap = np.full((6, source.shape[1], 3), 255, np.uint8)
    mosaic = np.concatenate([source, gap, target], axis=0)  # (70, 338, 3)
    side = examples.source.shape[-1]
    fig = go.Figure(go.Image(z=mosaic, hoverinfo="skip"),
                    layout=base_layout(t("xfer.fig.examples", lang), height=300))
    fig.update_layout(
        xaxis=dict(tickvals=[i * (side + 2) + side / 2 for i in range(len(examples.labels))],
                   ticktext=[str(int(d)) for d in examples.labels], showgrid=False, zeroline=False,
                   title=t("xfer.fig.digit", lang)),
        yaxis=dict(tickvals=[side / 2, side + 6 + side / 2],
                   ticktext=[t("xfer.fig.source_row", lang), t("xfer.fig.target_row", lang)],
                   showgrid=False, zeroline=False),
        margin=dict(l=140, r=20, t=50, b=45),
    )
    return fig
