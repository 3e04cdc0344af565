"""Figures for primer §11: transposed convolution three ways, for one output channel.

(a) the scatter-add as an animation: each input cell's copy of the kernel lands on the canvas, which is then
cropped; (b) the zero-inserted input convolved with the flipped kernel, drawn as any convolution; (c) the matrix
view, C and Cᵀ next to x and y = Cᵀx. The panels, controls and notes are laid out by ``viz._sheet``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from playground.i18n import t
from playground.lessons.conv_inputs import check_channel_index
from playground.lessons.conv_views import ConvView
from playground.lessons.transposed import TransposedResult
from playground.viz._sheet import (
    CELL_PX,
    CURRENT_COLOUR,
    MAX_PLOT_HEIGHT_PX,
    PLOT_WIDTH_PX,
    Sheet,
    animated_figure,
    cell_box,
    factor,
    heatmap,
    largest,
    number,
    outline,
    still_figure,
    title_gap,
    to_numpy,
    window_overlay,
)
from playground.viz.conv import conv_animation, size_formula_markdown
from playground.viz.text import check_badge
from playground.viz.theme import POSITIVE

MATRIX_CELL_BUDGET = 60_000  # larger transposed-conv matrices are shown as the channel 0 → 0 block


@dataclass(frozen=True)
class TransposedFigures:
    """The three views of one transposed convolution, for one output channel."""

    scatter: go.Figure  # (a) scatter-add animation
    zero_insert: go.Figure  # (b) zero insertion + ordinary convolution animation
    matrix: go.Figure  # (c) C, Cᵀ, x and y = Cᵀx


def _scatter_note(result: TransposedResult, o: int, index: int, lang: str) -> str:
    step = result.scatter_steps[index]
    terms = [f"{factor(float(result.input[c, step.row, step.col]))} × "
             + t("conv.fig.t_kernel", lang, c=c, o=o) for c in range(result.input.shape[0])]
    return t("conv.fig.scatter_step", lang, i=step.row, j=step.col, terms=" + ".join(terms), r0=step.rows[0],
             r1=step.rows[-1], c0=step.cols[0], c1=step.cols[-1])


def _scatter_figure(result: TransposedResult, o: int, lang: str) -> go.Figure:
    in_channels, height, width = result.input.shape
    kernel_h, kernel_w = result.weight.shape[2:]
    canvas_h, canvas_w = result.canvas.shape[1:]
    out_h, out_w = result.output.shape[1:]
    p, d = result.padding, result.dilation
    row_h = max(height, kernel_h)
    gap = title_gap(width + kernel_w + canvas_w + out_w, max(in_channels * row_h, canvas_h))
    sheet = Sheet()
    animated: list[int] = []
    per_frame: list[str] = []
    input_max = largest(result.input) or 1.0
    kernel_max = largest(result.weight) or 1.0
    for c in range(in_channels):
        top = c * (row_h + gap)
        label = t("conv.fig.t_input", lang, c=c)
        panel_in = sheet.panel(0, top + (row_h - height) / 2, width, height, label)
        sheet.add(heatmap(panel_in, to_numpy(result.input[c]), name=label, lang=lang, zmax=input_max))
        animated.append(sheet.add(outline(panel_in, cell_box(0, 0, 1, 1), colour=CURRENT_COLOUR)))
        per_frame.append("input")
        kernel_label = t("conv.fig.t_kernel", lang, c=c, o=o)
        panel_k = sheet.panel(width + gap, top + (row_h - kernel_h) / 2, kernel_w, kernel_h, kernel_label)
        sheet.add(heatmap(panel_k, to_numpy(result.weight[c, o]), name=kernel_label, lang=lang, zmax=kernel_max))
    left = width + kernel_w + 2 * gap

    # The canvas after each input cell's copy, for output channel o; cells no copy has reached yet stay blank.
    contributions = np.einsum("chw,cab->hwab", to_numpy(result.input), to_numpy(result.weight[:, o]))  # (H, W, kh, kw)
    canvases, touched = [], np.zeros((canvas_h, canvas_w), dtype=bool)
    running = np.zeros((canvas_h, canvas_w))
    for step in result.scatter_steps:
        rows, cols = np.ix_(step.rows, step.cols)
        running[rows, cols] += contributions[step.row, step.col]
        touched[rows, cols] = True
        canvases.append(np.where(touched, running, np.nan).astype(np.float32))
    canvas_max = largest(result.canvas[o], result.output[o]) or 1.0

    canvas_label = t("conv.fig.canvas", lang, p=p)
    panel_c = sheet.panel(left, 0, canvas_w, canvas_h, canvas_label)
    animated.append(sheet.add(heatmap(panel_c, canvases[0], name=canvas_label, lang=lang, zmax=canvas_max)))
    per_frame.append("canvas")
    first = result.scatter_steps[0]
    animated.append(sheet.add(window_overlay(panel_c, kernel_h, kernel_w, d, first.rows[0], first.cols[0])))
    per_frame.append("window")
    sheet.add(outline(panel_c, cell_box(p, p, out_h, out_w), colour=POSITIVE, width=2, dash="dash"))

    if result.bias is None:
        out_label = t("conv.fig.t_output", lang, o=o)
    else:
        out_label = t("conv.fig.t_output_bias", lang, o=o, b=number(float(result.bias[o])))
    panel_out = sheet.panel(left + canvas_w + gap, max(0.0, (canvas_h - out_h) / 2), out_w, out_h, out_label)
    sheet.add(heatmap(panel_out, to_numpy(result.output[o]), name=out_label, lang=lang, zmax=canvas_max))

    frame_data = []
    for index, step in enumerate(result.scatter_steps):
        data = []
        for kind in per_frame:
            if kind == "input":
                box = cell_box(step.row, step.col, 1, 1)
                data.append(dict(type="scatter", x=box[0], y=box[1]))
            elif kind == "canvas":
                data.append(dict(type="heatmap", z=canvases[index]))
            else:
                data.append(dict(type="heatmap", x0=step.cols[0], y0=step.rows[0]))
        frame_data.append(data)
    labels = [f"{step.row},{step.col}" for step in result.scatter_steps]
    notes = [_scatter_note(result, o, index, lang) for index in range(len(result.scatter_steps))]
    return animated_figure(sheet, title=t("conv.fig.scatter_title", lang, o=o), animated=animated,
                           frame_data=frame_data, notes=notes, labels=labels, prefix=t("conv.fig.input_cell", lang),
                           lang=lang)


def _matrix_figure(result: TransposedResult, lang: str) -> go.Figure:
    """C, then Cᵀ · x = y side by side, all with cells of one size (zeros left blank)."""
    _, height, width = result.input.shape
    _, out_h, out_w = result.output.shape
    matrix, x, y = to_numpy(result.matrix), to_numpy(result.x_vector), to_numpy(result.y_vector)
    rows, cols = matrix.shape
    notes = [t("conv.fig.matrix_note", lang, ho=out_h, wo=out_w, h=height, w=width)]
    if matrix.size > MATRIX_CELL_BUDGET:  # show the input 0 → output 0 block and what it contributes
        matrix = matrix[: height * width, : out_h * out_w]
        x = x[: height * width]
        y = matrix.T @ x
        notes.append(t("conv.fig.matrix_block", lang, rows=rows, cols=cols))
    m_rows, m_cols = matrix.shape
    zmax = float(np.abs(matrix).max()) or 1.0
    vmax = max(float(np.abs(x).max()), float(np.abs(y).max())) or 1.0
    # gaps wide enough for the panel titles (~140 px) at the cell size the panels alone would get
    cell = min(CELL_PX, PLOT_WIDTH_PX / (m_cols + m_rows + 2), MAX_PLOT_HEIGHT_PX / max(m_rows, m_cols))
    gap = max(1.5, 140 / cell)

    sheet = Sheet(right=gap / 2)
    label_c = t("conv.fig.matrix_c", lang, rows=m_rows, cols=m_cols)
    panel_c = sheet.panel(0, 0, m_cols, m_rows, label_c, ticks=max(m_rows, m_cols) <= 60)
    sheet.add(heatmap(panel_c, matrix.astype(np.float32), name=label_c, lang=lang, zmax=zmax, text="nonzero",
                      hover="C[%{y}, %{x}] = %{z:.6~g}<extra></extra>"))
    left = m_cols + gap
    label_ct = t("conv.fig.matrix_ct", lang, rows=m_rows, cols=m_cols)
    panel_ct = sheet.panel(left, 0, m_rows, m_cols, label_ct, ticks=max(m_rows, m_cols) <= 60)
    sheet.add(heatmap(panel_ct, matrix.T.astype(np.float32), name=label_ct, lang=lang, zmax=zmax, text="nonzero",
                      hover="Cᵀ[%{y}, %{x}] = %{z:.6~g}<extra></extra>"))
    left += m_rows + gap
    label_x = t("conv.fig.x_vec", lang, n=x.size)
    panel_x = sheet.panel(left, 0, 1, x.size, label_x, ticks=False)
    sheet.add(heatmap(panel_x, x[:, None], name=label_x, lang=lang, zmax=vmax,
                      hover="x[%{y}] = %{z:.6~g}<extra></extra>"))
    left += 1 + gap
    label_y = t("conv.fig.y_vec", lang, n=y.size)
    panel_y = sheet.panel(left, 0, 1, y.size, label_y, ticks=False)
    sheet.add(heatmap(panel_y, y[:, None], name=label_y, lang=lang, zmax=vmax,
                      hover="y[%{y}] = %{z:.6~g}<extra></extra>"))

    return still_figure(sheet, title=t("conv.fig.matrix_title", lang), note="<br>".join(notes))


def transposed_figures(result: TransposedResult, *, out_channel: int = 0, lang: str = "en") -> TransposedFigures:
    """(a) the scatter-add animation, (b) the zero-inserted convolution animation, (c) the matrix view."""
    o = check_channel_index(out_channel, result.output.shape[0])
    zero_insert = conv_animation(result.zero_inserted, out_channel=o, lang=lang,
                                 title=t("conv.fig.zero_insert_title", lang, o=o))
    return TransposedFigures(_scatter_figure(result, o, lang), zero_insert, _matrix_figure(result, lang))


def checks_markdown(result: TransposedResult, *, lang: str = "en") -> str:
    """One "matches PyTorch" badge per way, each named: (a) scatter-add, (b) zeros + flipped kernel, (c) y = Cᵀx."""
    return "\n\n".join(t("conv.t_check", lang, way=t(way, lang), badge=check_badge(check, lang=lang))
                       for way, check in zip(("conv.way_a", "conv.way_b", "conv.way_c"), result.checks, strict=True))


def transposed_outputs(view: ConvView[TransposedResult], *,
                       lang: str = "en") -> tuple[go.Figure, go.Figure, go.Figure, str, str]:
    """The transposed view as the tab shows it: the three figures, the size formula and the three badges."""
    figures = transposed_figures(view.result, out_channel=view.channel, lang=lang)
    return (figures.scatter, figures.zero_insert, figures.matrix, size_formula_markdown(view.formula, lang=lang),
            checks_markdown(view.result, lang=lang))
