"""Figures for primer §2 and §8: convolution and pooling as animations, the separable cost, the size formula.

A convolution is one row of panels per input channel (the padded input with the window on it, the kernel slice,
that channel's share) and the output on the right; a pooling is the padded input and the output. One frame per
output cell, whose note writes the cell's sum of products. Only small things change from frame to frame (the
window's position, a cover over the cells not computed yet, one annotation), so even the largest allowed animation
stays well under 2 MB of JSON. The panels, controls and notes are laid out by ``viz._sheet``.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from playground.i18n import t
from playground.lessons.conv_arithmetic import CostComparison, SizeFormula
from playground.lessons.conv_inputs import check_channel_index
from playground.lessons.conv_views import ConvView
from playground.lessons.convolution import ConvResult, ConvStep, PoolResult
from playground.viz._sheet import (
    COVER_COLOUR,
    CURRENT_COLOUR,
    Outline,
    Sheet,
    animated_figure,
    cell_box,
    factor,
    heatmap,
    largest,
    number,
    outline,
    pad_cells,
    remaining_cells,
    shorten,
    sum_text,
    title_gap,
    to_numpy,
    window_overlay,
)
from playground.viz.text import check_badge
from playground.viz.theme import NEUTRAL, PALETTE, base_layout

# --- convolution --------------------------------------------------------------------------------------


def _window_box(result: ConvResult | PoolResult, step: ConvStep) -> Outline:
    """The outline around everything the (dilated) window spans at ``step``."""
    return cell_box(step.rows[0], step.cols[0], step.rows[-1] - step.rows[0] + 1, step.cols[-1] - step.cols[0] + 1)


def _conv_note(result: ConvResult, out_channel: int, index: int, lang: str) -> str:
    """out[o][i, j] = 1·0 + 2·1 + … + bias 1 = 7, one line per input channel when there are several."""
    step = result.steps[index]
    inputs = result.group_inputs[out_channel]
    total = float(result.output[out_channel, step.row, step.col])
    bias = None if result.bias is None else float(result.bias[out_channel])
    head = f"out[{out_channel}][{step.row}, {step.col}] = "
    bias_term = [] if bias is None else [f"{t('conv.fig.bias', lang)} {factor(bias)}"]
    products = []  # per input channel: "window value·kernel value" for every cell the kernel touches
    for m, c in enumerate(inputs):
        window = to_numpy(result.window(c, step)).ravel()
        kernel = to_numpy(result.weight[out_channel, m]).ravel()
        products.append([f"{factor(v)}·{factor(w)}" for v, w in zip(window, kernel, strict=True)])
    if len(inputs) == 1:
        return head + sum_text(products[0] + bias_term) + f" = {number(total)}"
    lines, shares = [], []
    for m, c in enumerate(inputs):
        share = float(result.partials[out_channel, m, step.row, step.col])
        lines.append(f"{t('conv.fig.input', lang, c=c)}: {sum_text(products[m])} = {number(share)}")
        shares.append(factor(share))
    return "<br>".join([*lines, head + sum_text(shares + bias_term) + f" = {number(total)}"])


def conv_animation(result: ConvResult, *, out_channel: int = 0, lang: str = "en",
                   title: str | None = None) -> go.Figure:
    """One output channel computed cell by cell: each input channel's window × kernel slice, then Σ + bias.

    One row per input channel the output channel reads (its group): the padded input with the window on it,
    the kernel slice, and that channel's share; on the right the output = Σ shares + bias. One frame per output
    cell; the annotation writes the cell's sum of products. ``title`` replaces the usual one.
    """
    o = check_channel_index(out_channel, result.output.shape[0])
    inputs = result.group_inputs[o]
    padded_h, padded_w = result.padded.shape[1:]
    kernel_h, kernel_w = result.weight.shape[2:]
    out_h, out_w = result.output.shape[1:]
    row_h = max(padded_h, kernel_h, out_h)
    gap = title_gap(padded_w + kernel_w + 2 * out_w, len(inputs) * row_h)
    col_x = [0.0, padded_w + gap, padded_w + kernel_w + 2 * gap, padded_w + kernel_w + out_w + 3 * gap]
    pad_mask = to_numpy(result.pad_mask).astype(bool)
    has_padding = bool(pad_mask.any())
    input_max = float(np.abs(to_numpy(result.padded)[:, ~pad_mask]).max()) if (~pad_mask).any() else 1.0
    kernel_max = largest(result.weight)
    out_max = largest(result.partials[o], result.output[o])

    sheet = Sheet()
    first = result.steps[0]
    animated: list[int] = []  # traces that change per frame, in the order frames list them
    per_frame: list[str] = []  # what each animated trace is: "window", "box", "cover", "current"
    for m, c in enumerate(inputs):
        top = m * (row_h + gap)
        label = t("conv.fig.input_padded" if has_padding else "conv.fig.input", lang, c=c)
        panel_in = sheet.panel(col_x[0], top + (row_h - padded_h) / 2, padded_w, padded_h, label)
        z = np.where(pad_mask, np.nan, to_numpy(result.padded[c]))
        sheet.add(heatmap(panel_in, z, name=label, lang=lang, zmax=input_max))
        if has_padding:
            sheet.add(pad_cells(panel_in, pad_mask, label="0", lang=lang))
        animated.append(sheet.add(window_overlay(panel_in, kernel_h, kernel_w, result.dilation, first.rows[0],
                                                 first.cols[0])))
        per_frame.append("window")
        animated.append(sheet.add(outline(panel_in, _window_box(result, first), colour=CURRENT_COLOUR,
                                          dash="dot" if result.dilation > 1 else "solid")))
        per_frame.append("box")

        kernel_label = "× " + t("conv.fig.kernel", lang, o=o, m=m)
        panel_k = sheet.panel(col_x[1], top + (row_h - kernel_h) / 2, kernel_w, kernel_h, kernel_label)
        sheet.add(heatmap(panel_k, to_numpy(result.weight[o, m]), name=kernel_label, lang=lang, zmax=kernel_max))

        share_label = "= " + t("conv.fig.partial", lang, c=c)
        panel_p = sheet.panel(col_x[2], top + (row_h - out_h) / 2, out_w, out_h, share_label)
        sheet.add(heatmap(panel_p, to_numpy(result.partials[o, m]), name=share_label, lang=lang, zmax=out_max))
        animated.append(sheet.add(outline(panel_p, remaining_cells(1, out_h, out_w), colour=COVER_COLOUR,
                                          fill=COVER_COLOUR)))
        per_frame.append("cover")
        animated.append(sheet.add(outline(panel_p, cell_box(0, 0, 1, 1), colour=CURRENT_COLOUR)))
        per_frame.append("current")

    rows_height = len(inputs) * row_h + (len(inputs) - 1) * gap
    if result.bias is None:
        out_label = t("conv.fig.output", lang, o=o)
    else:
        out_label = t("conv.fig.output_bias", lang, o=o, b=number(float(result.bias[o])))
    panel_out = sheet.panel(col_x[3], (rows_height - out_h) / 2, out_w, out_h, out_label)
    sheet.add(heatmap(panel_out, to_numpy(result.output[o]), name=out_label, lang=lang, zmax=out_max))
    animated.append(sheet.add(outline(panel_out, remaining_cells(1, out_h, out_w), colour=COVER_COLOUR,
                                      fill=COVER_COLOUR)))
    per_frame.append("cover")
    animated.append(sheet.add(outline(panel_out, cell_box(0, 0, 1, 1), colour=CURRENT_COLOUR)))
    per_frame.append("current")

    frame_data = []
    for index, step in enumerate(result.steps):
        cover = remaining_cells(index + 1, out_h, out_w)
        current = cell_box(step.row, step.col, 1, 1)
        window_box = _window_box(result, step)
        data = []
        for kind in per_frame:
            if kind == "window":
                data.append(dict(type="heatmap", x0=step.cols[0], y0=step.rows[0]))
            elif kind == "box":
                data.append(dict(type="scatter", x=window_box[0], y=window_box[1]))
            elif kind == "cover":
                data.append(dict(type="scatter", x=cover[0], y=cover[1]))
            else:
                data.append(dict(type="scatter", x=current[0], y=current[1]))
        frame_data.append(data)

    count = len(result.steps)
    if title is None:
        title = t("conv.fig.conv_title", lang, o=o, channels=", ".join(map(str, inputs)), count=count)
    labels = [f"{s.row},{s.col}" for s in result.steps]
    notes = [_conv_note(result, o, index, lang) for index in range(count)]
    return animated_figure(sheet, title=title, animated=animated, frame_data=frame_data, notes=notes, labels=labels,
                           prefix=t("conv.fig.cell", lang), lang=lang)


# --- pooling ------------------------------------------------------------------------------------------


def _pool_note(result: PoolResult, channel: int, index: int, lang: str) -> str:
    """max(1, 2, 0, 4) = 4, or (1 + 2 + 0 + 4) / 4 = 1.75."""
    step = result.steps[index]
    window = to_numpy(result.window(channel, step)).ravel()
    total = float(result.output[channel, step.row, step.col])
    head = f"out[{channel}][{step.row}, {step.col}] = "
    if result.kind == "max":
        values = ["−∞" if np.isneginf(v) else number(v) for v in window]
        return head + "max(" + ", ".join(shorten(values)) + f") = {number(total)}"
    return head + "(" + sum_text([factor(v) for v in window]) + f") / {result.divisor} = {number(total)}"


def pool_animation(result: PoolResult, *, channel: int = 0, lang: str = "en") -> go.Figure:
    """Pooling of one channel window by window: the window on the padded input, its maximum marked (max)
    or its sum ÷ window size written out (average), and the output filling in cell by cell."""
    c = check_channel_index(channel, result.output.shape[0], name="conv.channel_shown")
    padded_h, padded_w = result.padded.shape[1:]
    out_h, out_w = result.output.shape[1:]
    pad_mask = to_numpy(result.pad_mask).astype(bool)
    values = to_numpy(result.padded[c])
    real = values[~pad_mask]
    zmax = float(np.abs(real).max()) if real.size else 1.0
    gap = title_gap(padded_w + out_w, max(padded_h, out_h))
    sheet = Sheet()
    label = t("conv.fig.input_padded" if pad_mask.any() else "conv.fig.input", lang, c=c)
    panel_in = sheet.panel(0, max(0, (out_h - padded_h) / 2), padded_w, padded_h, label)
    sheet.add(heatmap(panel_in, np.where(pad_mask, np.nan, values), name=label, lang=lang, zmax=zmax))
    if pad_mask.any():
        sheet.add(pad_cells(panel_in, pad_mask, label="−∞" if result.kind == "max" else "0", lang=lang))
    first = result.steps[0]
    animated = [sheet.add(window_overlay(panel_in, result.kernel, result.kernel, result.dilation, first.rows[0],
                                         first.cols[0])),
                sheet.add(outline(panel_in, _window_box(result, first), colour=CURRENT_COLOUR,
                                  dash="dot" if result.dilation > 1 else "solid"))]
    if result.kind == "max":
        best = result.argmax[c].reshape(-1, 2).tolist()
        animated.append(sheet.add(dict(type="scatter", x=[best[0][1]], y=[best[0][0]], mode="markers",
                                       xaxis=panel_in.xref, yaxis=panel_in.yref, showlegend=False,
                                       name=t("conv.fig.max_cell", lang), hoverinfo="name",
                                       marker=dict(symbol="star", size=16, color=CURRENT_COLOUR,
                                                   line=dict(width=1, color="white")))))
    out_label = t("conv.fig.pool_output", lang, c=c)
    if result.kind == "avg" and result.padding:
        out_label += f" ({t('conv.fig.pool_avg_note', lang)})"
    panel_out = sheet.panel(padded_w + gap, max(0, (padded_h - out_h) / 2), out_w, out_h, out_label)
    sheet.add(heatmap(panel_out, to_numpy(result.output[c]), name=out_label, lang=lang, zmax=zmax))
    animated += [sheet.add(outline(panel_out, remaining_cells(1, out_h, out_w), colour=COVER_COLOUR,
                                   fill=COVER_COLOUR)),
                 sheet.add(outline(panel_out, cell_box(0, 0, 1, 1), colour=CURRENT_COLOUR))]

    frame_data = []
    for index, step in enumerate(result.steps):
        box = _window_box(result, step)
        cover = remaining_cells(index + 1, out_h, out_w)
        current = cell_box(step.row, step.col, 1, 1)
        data = [dict(type="heatmap", x0=step.cols[0], y0=step.rows[0]), dict(type="scatter", x=box[0], y=box[1])]
        if result.kind == "max":
            row, col = best[index]
            data.append(dict(type="scatter", x=[col], y=[row]))
        data += [dict(type="scatter", x=cover[0], y=cover[1]), dict(type="scatter", x=current[0], y=current[1])]
        frame_data.append(data)
    title = t(f"conv.fig.pool_title.{result.kind}", lang, c=c, count=len(result.steps))
    notes = [_pool_note(result, c, index, lang) for index in range(len(result.steps))]
    labels = [f"{s.row},{s.col}" for s in result.steps]
    return animated_figure(sheet, title=title, animated=animated, frame_data=frame_data, notes=notes, labels=labels,
                           prefix=t("conv.fig.cell", lang), lang=lang)


# --- depthwise separable cost ---------------------------------------------------------------------------


def cost_figure(cost: CostComparison, *, lang: str = "en") -> go.Figure:
    """Parameters and multiply-adds, standard vs depthwise + pointwise (stacked), the ratio in the title."""
    k = cost.kernel
    title = t("conv.fig.cost_title", lang, sep=cost.separable_weights, std=cost.standard_weights,
              ratio=cost.exact_ratio, c_out=cost.out_channels, k2=k * k)
    layout = base_layout(title, height=400)
    standard, separable = t("conv.fig.standard_short", lang), t("conv.fig.separable_short", lang)
    parts = [
        (t("conv.fig.standard", lang, k=k), standard, cost.standard_params, cost.standard_macs, NEUTRAL),
        (t("conv.fig.depthwise", lang, k=k), separable, cost.depthwise_params, cost.depthwise_macs, PALETTE[0]),
        (t("conv.fig.pointwise", lang), separable, cost.pointwise_params, cost.pointwise_macs, PALETTE[2]),
    ]
    fig = go.Figure(layout=layout)
    for name, group, params, macs, colour in parts:
        for axis, value in (("", params), ("2", macs)):
            fig.add_trace(go.Bar(x=[group], y=[value], name=name, legendgroup=name, showlegend=axis == "",
                                 marker_color=colour, xaxis="x" + axis, yaxis="y" + axis,
                                 text=[f"{value:,}" if group == separable else ""],
                                 textposition="inside", insidetextanchor="middle",
                                 hovertemplate=f"{name}<br>%{{y:,}}<extra></extra>"))
    for axis, total_std, total_sep in (("", cost.standard_params, cost.separable_params),
                                       ("2", cost.standard_macs, cost.separable_macs)):
        fig.add_trace(go.Scatter(x=[standard, separable], y=[total_std, total_sep], mode="text",
                                 text=[f"{total_std:,}", f"{total_sep:,} ({total_sep / total_std:.0%})"],
                                 textposition="top center", showlegend=False, hoverinfo="skip",
                                 xaxis="x" + axis, yaxis="y" + axis))
    fig.update_layout(
        barmode="stack",
        xaxis=dict(domain=[0, 0.46], title=t("conv.fig.cost_params", lang)),
        xaxis2=dict(domain=[0.54, 1], anchor="y2", title=t("conv.fig.cost_macs", lang)),
        yaxis=dict(rangemode="tozero", range=[0, cost.standard_params * 1.2]),
        yaxis2=dict(anchor="x2", rangemode="tozero", range=[0, cost.standard_macs * 1.2]),
    )
    return fig


# --- the output-size formula as Markdown ------------------------------------------------------------------


def size_formula_markdown(formula: SizeFormula, *, lang: str = "en") -> str:
    """The general formula, then the learner's numbers for height and width (one line when they agree)."""
    lines = [t("conv.formula.general", lang, formula=f"`{formula.general}`")]
    if formula.width is None:
        lines.append(t("conv.formula.both", lang, text=f"`{formula.height}`"))
    else:
        lines.append(t("conv.formula.height", lang, text=f"`{formula.height}`"))
        lines.append(t("conv.formula.width", lang, text=f"`{formula.width}`"))
    return "\n\n".join(lines)


# --- what the tab shows ---------------------------------------------------------------------------------


def conv_outputs(view: ConvView[ConvResult], *, lang: str = "en") -> tuple[go.Figure, str, str]:
    """The convolution view as the tab shows it: the animation, the size formula, the "matches PyTorch" badge."""
    return (conv_animation(view.result, out_channel=view.channel, lang=lang),
            size_formula_markdown(view.formula, lang=lang), check_badge(view.result.check, lang=lang))


def pool_outputs(view: ConvView[PoolResult], *, lang: str = "en") -> tuple[go.Figure, str, str]:
    """The pooling view as the tab shows it: the animation, the size formula, the "matches PyTorch" badge."""
    return (pool_animation(view.result, channel=view.channel, lang=lang),
            size_formula_markdown(view.formula, lang=lang), check_badge(view.result.check, lang=lang))
