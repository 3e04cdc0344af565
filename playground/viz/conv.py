"""Figures for primer §2, §8 and §11: convolution, pooling and transposed convolution as animations.

Every panel is a heatmap with its numbers printed in the cells, row 0 on top (like a matrix) and square
cells of one size across the figure. Animations follow GRADIO6.md §2c: frames named ``str(i)``, a Play/Pause
menu and a slider with one step per frame; gr.Plot drops the frames and the app re-attaches them in the
browser. Only small things change from frame to frame (the window's position, a cover over the cells not
computed yet, one annotation), so even the largest allowed animation stays well under 2 MB of JSON.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from torch import Tensor

from playground.i18n import t
from playground.lessons.convolution import (
    ConvResult,
    ConvStep,
    CostComparison,
    PoolResult,
    SizeFormula,
    TransposedResult,
    check_channel_index,
)
from playground.viz.theme import DIVERGING, FONT, NEGATIVE, NEUTRAL, PALETTE, POSITIVE, base_layout, fmt

WINDOW_COLOUR = PALETTE[4]  # orange: where the kernel (or pooling window) is now
CURRENT_COLOUR = NEGATIVE  # the output cell being computed
PAD_COLOUR = "#e4e4e4"
COVER_COLOUR = "white"
CELL_PX = 30  # the largest cell, in pixels; big inputs get smaller cells
PLOT_WIDTH_PX = 1000  # a guess at the plot's width in the app (it is responsive), to size the cells
MAX_PLOT_HEIGHT_PX = 1000
MIN_TEXT_PX = 15  # cells smaller than this show colours only; the numbers stay on hover
MAX_TERMS = 12  # products written out in an annotation before it shortens to "a + b + … + y + z"
MATRIX_CELL_BUDGET = 60_000  # larger transposed-conv matrices are shown as the channel 0 → 0 block
TEXT_CELL_BUDGET = 900  # heatmaps with more cells than this show colours only, no numbers
TITLE_PX = 44  # the title's band at the top of a figure; the note sits right under it
AXIS_TITLE_PX = 48  # panel titles and column numbers above the plotting area
LINE_PX = 18  # one line of the note
NOTE_WIDTH = 118  # characters per note line (a CJK character counts as two)


def _np(tensor: Tensor) -> np.ndarray:
    return tensor.detach().to("cpu").double().numpy()


def _num(value: float) -> str:
    return fmt(float(value), 4)


def _factor(value: float) -> str:
    """A number inside a product: negative ones in parentheses, "2·(-1)"."""
    text = _num(value)
    return f"({text})" if text.startswith("-") else text


def _shorten(terms: Sequence[str], limit: int = MAX_TERMS) -> list[str]:
    return list(terms) if len(terms) <= limit else [*terms[:4], "…", *terms[-2:]]


def _sum_text(terms: Sequence[str]) -> str:
    return " + ".join(_shorten(terms))


Outline = tuple[list, list]  # x and y of a polyline; None separates the pieces (small lists: compact JSON)


def _box(top: float, left: float, height: float, width: float) -> Outline:
    """The outline of a block of cells (row ``top``, column ``left``, ``height``×``width`` cells)."""
    x0, x1, y0, y1 = left - 0.5, left + width - 0.5, top - 0.5, top + height - 0.5
    return [x0, x1, x1, x0, x0], [y0, y0, y1, y1, y0]


def _remaining(done: int, rows: int, cols: int) -> Outline:
    """Outlines of the cells not computed yet (row-major order, ``done`` finished): at most two rectangles."""
    if done >= rows * cols:
        return [None], [None]  # nothing to cover (an empty trace would keep the previous frame's shape)
    row, col = divmod(done, cols)
    xs: list = []
    ys: list = []
    if col:  # the rest of the current row
        x, y = _box(row, col, 1, cols - col)
        xs += [*x, None]
        ys += [*y, None]
        row += 1
    if row < rows:  # every row below it
        x, y = _box(row, 0, rows - row, cols)
        xs += x
        ys += y
    return xs, ys


# --- layout: panels in one figure, all with square cells of the same size ------------------------------


@dataclass(frozen=True)
class _Panel:
    """One heatmap's axes: ``xref``/``yref`` name them in traces ("x2", "y2")."""

    xref: str
    yref: str


class _Sheet:
    """Panels placed in cell units (left, top, width, height); domains are computed once all are placed."""

    def __init__(self, *, right: float = 0.0) -> None:
        self.right = right  # empty cells after the last panel, so its title is not cut off
        self.boxes: list[tuple[float, float, float, float, str, bool]] = []
        self.traces: list[dict] = []

    def panel(self, left: float, top: float, cols: int, rows: int, title: str, *, ticks: bool = True) -> _Panel:
        self.boxes.append((left, top, cols, rows, title, ticks))
        n = len(self.boxes)
        suffix = "" if n == 1 else str(n)
        return _Panel("x" + suffix, "y" + suffix)

    def add(self, trace: dict) -> int:
        self.traces.append(trace)
        return len(self.traces) - 1

    def layout(self) -> dict:
        width = max(left + cols for left, _, cols, *_ in self.boxes) + self.right
        height = max(top + rows for _, top, _, rows, *_ in self.boxes)
        axes: dict[str, dict] = {}
        for n, (left, top, cols, rows, title, ticks) in enumerate(self.boxes, start=1):
            suffix = "" if n == 1 else str(n)
            # One scale for every axis (anchored to "x"): a cell is the same size in every panel. Each axis
            # shrinks its own domain to keep cells square, so the ranges stay exactly the matrix's cells.
            x_scale = {"scaleanchor": "x"} if n > 1 else {}
            y_scale = {"scaleanchor": "x"}
            tick = dict(dtick=1 if max(rows, cols) <= 12 else None, ticks="", showticklabels=ticks,
                        tickfont=dict(size=10, color="#777"))
            axes["xaxis" + suffix] = dict(
                domain=[left / width, (left + cols) / width], range=[-0.5, cols - 0.5], anchor="y" + suffix,
                side="top", showgrid=False, zeroline=False, fixedrange=True, constrain="domain",
                title=dict(text=title, standoff=4, font=dict(size=12)), **tick, **x_scale,
            )
            axes["yaxis" + suffix] = dict(
                domain=[1 - (top + rows) / height, 1 - top / height], range=[rows - 0.5, -0.5],
                anchor="x" + suffix, showgrid=False, zeroline=False, fixedrange=True, constrain="domain",
                **tick, **y_scale,
            )
        return axes

    def fit(self, *, max_height: float = MAX_PLOT_HEIGHT_PX) -> tuple[float, float]:
        """(cell size, plot height) in pixels: as large as CELL_PX allows within the width and ``max_height``.

        Cells too small for their numbers lose the printed text (hover still shows the values).
        """
        width = max(left + cols for left, _, cols, *_ in self.boxes) + self.right
        height = max(top + rows for _, top, _, rows, *_ in self.boxes)
        cell = min(CELL_PX, PLOT_WIDTH_PX / width, max_height / height)
        if cell < MIN_TEXT_PX:
            for trace in self.traces:
                if trace.get("type") == "heatmap":
                    trace.pop("texttemplate", None)
                    trace.pop("text", None)
        elif cell < 22:
            for trace in self.traces:
                if "texttemplate" in trace:
                    trace["textfont"] = dict(trace.get("textfont") or {}, size=9)
        return cell, cell * height


def _title_gap(width: float, height: float) -> float:
    """Cells between panels: about 50 px (a panel title and its column numbers) at the expected cell size."""
    cell = min(CELL_PX, PLOT_WIDTH_PX / width, MAX_PLOT_HEIGHT_PX / height)
    return max(1.6, 50 / cell)


def _heatmap(panel: _Panel, z: np.ndarray, *, name: str, lang: str, zmax: float | None = None,
             text: bool | str = True, hover: str | None = None, **extra: object) -> dict:
    """A square-celled heatmap, the numbers printed in the cells and shown on hover with (row, col)."""
    z = np.asarray(z, dtype=np.float64)
    finite = z[np.isfinite(z)]
    limit = zmax if zmax is not None else (float(np.abs(finite).max()) if finite.size else 1.0)
    limit = limit or 1.0
    row, col, value = t("conv.fig.row", lang), t("conv.fig.col", lang), t("conv.fig.value", lang)
    trace = dict(
        type="heatmap", z=z, xaxis=panel.xref, yaxis=panel.yref, colorscale=DIVERGING, zmid=0,
        zmin=-limit, zmax=limit, showscale=False, xgap=1, ygap=1, name=name,
        hovertemplate=hover or f"{row} %{{y}}, {col} %{{x}}<br>{value} %{{z:.6~g}}<extra>{name}</extra>",
    )
    if text == "nonzero" and z.size <= TEXT_CELL_BUDGET:  # sparse matrices: print only the non-zero entries
        trace.update(text=[[fmt(float(v), 3) if v else "" for v in line] for line in z], texttemplate="%{text}",
                     textfont=dict(size=11))
    elif text and z.size <= TEXT_CELL_BUDGET:
        trace.update(texttemplate="%{z:.3~g}", textfont=dict(size=11))
    trace.update(extra)
    return trace


def _pad_cells(panel: _Panel, pad_mask: np.ndarray, *, label: str, lang: str) -> dict:
    """Grey cells with ``label`` (0 or −∞) where the input is padding, not part of the learner's input."""
    z = np.where(pad_mask, 0.0, np.nan)
    text = np.where(pad_mask, label, "").tolist() if pad_mask.size <= TEXT_CELL_BUDGET else None
    row, col = t("conv.fig.row", lang), t("conv.fig.col", lang)
    return dict(type="heatmap", z=z, xaxis=panel.xref, yaxis=panel.yref, showscale=False, xgap=1, ygap=1,
                colorscale=[[0, PAD_COLOUR], [1, PAD_COLOUR]], zmin=0, zmax=1, text=text,
                texttemplate="%{text}" if text is not None else None, textfont=dict(size=11, color="#888"),
                hovertemplate=f"{row} %{{y}}, {col} %{{x}}<br>{t('conv.fig.pad', lang)}: {label}<extra></extra>")


def _window_overlay(panel: _Panel, kernel_h: int, kernel_w: int, dilation: int, top: int, left: int) -> dict:
    """The cells a (dilated) window reads, tinted; frames move it by changing only x0 and y0."""
    reach_h, reach_w = dilation * (kernel_h - 1) + 1, dilation * (kernel_w - 1) + 1
    z = np.full((reach_h, reach_w), np.nan)
    z[::dilation, ::dilation] = 1.0  # the sampled cells; the gaps between them stay clear
    return dict(type="heatmap", z=z, x0=left, dx=1, y0=top, dy=1, xaxis=panel.xref, yaxis=panel.yref,
                colorscale=[[0, WINDOW_COLOUR], [1, WINDOW_COLOUR]], zmin=0, zmax=1, showscale=False,
                opacity=0.45, hoverinfo="skip", xgap=1, ygap=1)


def _outline(panel: _Panel, xy: Outline, *, colour: str, width: float = 3, dash: str = "solid",
             fill: str | None = None) -> dict:
    """A rectangle (or several, separated by None) drawn over a panel; ``fill`` makes it an opaque cover."""
    trace = dict(type="scatter", x=xy[0], y=xy[1], mode="lines", xaxis=panel.xref, yaxis=panel.yref,
                 line=dict(color=colour, width=width, dash=dash), hoverinfo="skip", showlegend=False)
    if fill:
        trace.update(fill="toself", fillcolor=fill, line=dict(width=0, color=fill))
    return trace


def _animation_controls(labels: Sequence[str], *, prefix: str, lang: str) -> dict:
    """Play/Pause buttons and a slider with one step per frame (frames are named "0", "1", …)."""
    play = [None, {"frame": {"duration": 300, "redraw": True}, "fromcurrent": True, "transition": {"duration": 0}}]
    pause = [[None], {"mode": "immediate", "frame": {"duration": 0, "redraw": False}}]
    return dict(
        updatemenus=[dict(
            type="buttons", direction="left", showactive=False, x=0, xanchor="left", y=0, yanchor="top",
            pad=dict(t=8, r=8), buttons=[dict(label=t("conv.fig.play", lang), method="animate", args=play),
                                         dict(label=t("conv.fig.pause", lang), method="animate", args=pause)],
        )],
        sliders=[dict(
            active=0, x=0.16, len=0.84, y=0, yanchor="top", pad=dict(t=8),
            currentvalue=dict(prefix=prefix, font=dict(size=12, color="#444")),
            # with many steps the labels under the slider overlap: hide them, the current value still shows
            font=dict(color="rgba(0,0,0,0)" if len(labels) > 30 else "#444", size=10),
            steps=[dict(method="animate", label=label,
                        args=[[str(i)], {"mode": "immediate", "frame": {"duration": 0, "redraw": True},
                                         "transition": {"duration": 0}}])
                   for i, label in enumerate(labels)],
        )],
    )


def _wrap(text: str, width: int = NOTE_WIDTH) -> str:
    """Break a long note into lines for plotly (annotations never wrap): at spaces, or between CJK characters."""
    lines = []
    for paragraph in text.split("<br>"):
        line, used = "", 0
        for token in re.findall(r"[\u2e80-\u9fff\uff00-\uffef]|[^\s\u2e80-\u9fff\uff00-\uffef]+|\s+", paragraph):
            size = sum(2 if "\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" else 1 for ch in token)
            if used + size > width and line.strip():
                lines.append(line.rstrip())
                line, used = ("", 0) if token.isspace() else (token, size)
            else:
                line, used = line + token, used + size
        lines.append(line.rstrip())
    return "<br>".join(lines)


def _note(text: str, *, top_margin: int) -> dict:
    """The explanation line(s) under the title (the sum of products); frames replace it."""
    return dict(text=text, xref="paper", yref="paper", x=0, y=1, xanchor="left", yanchor="top",
                yshift=top_margin - TITLE_PX, showarrow=False, align="left",
                font=dict(size=13, family=FONT["family"]))


def _top_margin(*notes: str) -> int:
    lines = max(1 + note.count("<br>") for note in notes)
    return TITLE_PX + LINE_PX * lines + AXIS_TITLE_PX


def _title(text: str) -> dict:
    return dict(text=text, x=0.01, xanchor="left", yref="container", y=1, yanchor="top", pad=dict(t=12))


def _figure(sheet: _Sheet, *, title: str, animated: list[int], frame_data: Sequence[list[dict]],
            notes: Sequence[str], labels: Sequence[str], prefix: str, lang: str) -> go.Figure:
    """The panels showing the first step, one frame per step (new data for the ``animated`` traces and a new
    note), Play/Pause and a slider."""
    notes = [_wrap(note) for note in notes]
    top = _top_margin(*notes)
    _, plot_height = sheet.fit()
    layout = base_layout(None, height=int(max(360, plot_height + top + 90)))
    layout.update(sheet.layout(), title=_title(title), annotations=[_note(notes[0], top_margin=top)],
                  hovermode="closest", showlegend=False, margin=dict(l=20, r=20, t=top, b=80),
                  plot_bgcolor="white", **_animation_controls(labels, prefix=prefix, lang=lang))
    # plain dicts: go.Figure validates each frame once (building go.Frame objects first would do it twice)
    frames = [dict(name=str(i), data=data, traces=animated, layout=dict(annotations=[_note(note, top_margin=top)]))
              for i, (data, note) in enumerate(zip(frame_data, notes))]
    # Frames are many and alike: skip plotly's per-property validation here (it was 90 % of the time);
    # tests/unit/test_viz_conv.py re-validates every figure kind by rebuilding it from its dict.
    return go.Figure(data=sheet.traces, layout=layout, frames=frames, _validate=False)


# --- convolution --------------------------------------------------------------------------------------


def _window_box(result: ConvResult | PoolResult, step: ConvStep) -> Outline:
    """The outline around everything the (dilated) window spans at ``step``."""
    return _box(step.rows[0], step.cols[0], step.rows[-1] - step.rows[0] + 1, step.cols[-1] - step.cols[0] + 1)


def _conv_note(result: ConvResult, out_channel: int, index: int, lang: str) -> str:
    """out[o][i, j] = 1·0 + 2·1 + … + bias 1 = 7, one line per input channel when there are several."""
    step = result.steps[index]
    inputs = result.group_inputs[out_channel]
    total = float(result.output[out_channel, step.row, step.col])
    bias = None if result.bias is None else float(result.bias[out_channel])
    head = f"out[{out_channel}][{step.row}, {step.col}] = "
    bias_term = [] if bias is None else [f"{t('conv.fig.bias', lang)} {_factor(bias)}"]
    products = []  # per input channel: "window value·kernel value" for every cell the kernel touches
    for m, c in enumerate(inputs):
        window = _np(result.window(c, step)).ravel()
        kernel = _np(result.weight[out_channel, m]).ravel()
        products.append([f"{_factor(v)}·{_factor(w)}" for v, w in zip(window, kernel)])
    if len(inputs) == 1:
        return head + _sum_text(products[0] + bias_term) + f" = {_num(total)}"
    lines, shares = [], []
    for m, c in enumerate(inputs):
        share = float(result.partials[out_channel, m, step.row, step.col])
        lines.append(f"{t('conv.fig.input', lang, c=c)}: {_sum_text(products[m])} = {_num(share)}")
        shares.append(_factor(share))
    return "<br>".join([*lines, head + _sum_text(shares + bias_term) + f" = {_num(total)}"])


def _conv_figure(result: ConvResult, out_channel: int, lang: str, title: str | None) -> go.Figure:
    o = check_channel_index(out_channel, result.output.shape[0])
    inputs = result.group_inputs[o]
    padded_h, padded_w = result.padded.shape[1:]
    kernel_h, kernel_w = result.weight.shape[2:]
    out_h, out_w = result.output.shape[1:]
    row_h = max(padded_h, kernel_h, out_h)
    gap = _title_gap(padded_w + kernel_w + 2 * out_w, len(inputs) * row_h)
    col_x = [0.0, padded_w + gap, padded_w + kernel_w + 2 * gap, padded_w + kernel_w + out_w + 3 * gap]
    pad_mask = _np(result.pad_mask).astype(bool)
    has_padding = bool(pad_mask.any())
    input_max = float(np.abs(_np(result.padded)[:, ~pad_mask]).max()) if (~pad_mask).any() else 1.0
    kernel_max = float(np.abs(_np(result.weight)).max())
    out_max = max(float(np.abs(_np(result.partials[o])).max()), float(np.abs(_np(result.output[o])).max()))

    sheet = _Sheet()
    first = result.steps[0]
    animated: list[int] = []  # traces that change per frame, in the order frames list them
    per_frame: list[str] = []  # what each animated trace is: "window", "box", "cover", "current"
    for m, c in enumerate(inputs):
        top = m * (row_h + gap)
        label = t("conv.fig.input_padded" if has_padding else "conv.fig.input", lang, c=c)
        panel_in = sheet.panel(col_x[0], top + (row_h - padded_h) / 2, padded_w, padded_h, label)
        z = np.where(pad_mask, np.nan, _np(result.padded[c]))
        sheet.add(_heatmap(panel_in, z, name=label, lang=lang, zmax=input_max))
        if has_padding:
            sheet.add(_pad_cells(panel_in, pad_mask, label="0", lang=lang))
        animated.append(sheet.add(_window_overlay(panel_in, kernel_h, kernel_w, result.dilation, first.rows[0],
                                                  first.cols[0])))
        per_frame.append("window")
        animated.append(sheet.add(_outline(panel_in, _window_box(result, first), colour=CURRENT_COLOUR,
                                           dash="dot" if result.dilation > 1 else "solid")))
        per_frame.append("box")

        kernel_label = "× " + t("conv.fig.kernel", lang, o=o, m=m)
        panel_k = sheet.panel(col_x[1], top + (row_h - kernel_h) / 2, kernel_w, kernel_h, kernel_label)
        sheet.add(_heatmap(panel_k, _np(result.weight[o, m]), name=kernel_label, lang=lang, zmax=kernel_max))

        share_label = "= " + t("conv.fig.partial", lang, c=c)
        panel_p = sheet.panel(col_x[2], top + (row_h - out_h) / 2, out_w, out_h, share_label)
        sheet.add(_heatmap(panel_p, _np(result.partials[o, m]), name=share_label, lang=lang, zmax=out_max))
        animated.append(sheet.add(_outline(panel_p, _remaining(1, out_h, out_w), colour=COVER_COLOUR,
                                           fill=COVER_COLOUR)))
        per_frame.append("cover")
        animated.append(sheet.add(_outline(panel_p, _box(0, 0, 1, 1), colour=CURRENT_COLOUR)))
        per_frame.append("current")

    rows_height = len(inputs) * row_h + (len(inputs) - 1) * gap
    if result.bias is None:
        out_label = t("conv.fig.output", lang, o=o)
    else:
        out_label = t("conv.fig.output_bias", lang, o=o, b=_num(float(result.bias[o])))
    panel_out = sheet.panel(col_x[3], (rows_height - out_h) / 2, out_w, out_h, out_label)
    sheet.add(_heatmap(panel_out, _np(result.output[o]), name=out_label, lang=lang, zmax=out_max))
    animated.append(sheet.add(_outline(panel_out, _remaining(1, out_h, out_w), colour=COVER_COLOUR,
                                       fill=COVER_COLOUR)))
    per_frame.append("cover")
    animated.append(sheet.add(_outline(panel_out, _box(0, 0, 1, 1), colour=CURRENT_COLOUR)))
    per_frame.append("current")

    frame_data = []
    for index, step in enumerate(result.steps):
        cover = _remaining(index + 1, out_h, out_w)
        current = _box(step.row, step.col, 1, 1)
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
    return _figure(sheet, title=title, animated=animated, frame_data=frame_data, notes=notes, labels=labels,
                   prefix=t("conv.fig.cell", lang), lang=lang)


def conv_animation(result: ConvResult, *, out_channel: int = 0, lang: str = "en") -> go.Figure:
    """One output channel computed cell by cell: each input channel's window × kernel slice, then Σ + bias.

    One row per input channel the output channel reads (its group): the padded input with the window on it,
    the kernel slice, and that channel's share; on the right the output = Σ shares + bias. One frame per output
    cell; the annotation writes the cell's sum of products.
    """
    return _conv_figure(result, out_channel, lang, None)


# --- pooling ------------------------------------------------------------------------------------------


def _pool_note(result: PoolResult, channel: int, index: int, lang: str) -> str:
    """max(1, 2, 0, 4) = 4, or (1 + 2 + 0 + 4) / 4 = 1.75."""
    step = result.steps[index]
    window = _np(result.window(channel, step)).ravel()
    total = float(result.output[channel, step.row, step.col])
    head = f"out[{channel}][{step.row}, {step.col}] = "
    if result.kind == "max":
        values = ["−∞" if np.isneginf(v) else _num(v) for v in window]
        return head + "max(" + ", ".join(_shorten(values)) + f") = {_num(total)}"
    return head + "(" + _sum_text([_factor(v) for v in window]) + f") / {result.divisor} = {_num(total)}"


def pool_animation(result: PoolResult, *, channel: int = 0, lang: str = "en") -> go.Figure:
    """Pooling of one channel window by window: the window on the padded input, its maximum marked (max)
    or its sum ÷ window size written out (average), and the output filling in cell by cell."""
    c = check_channel_index(channel, result.output.shape[0], name="conv.channel_shown")
    padded_h, padded_w = result.padded.shape[1:]
    out_h, out_w = result.output.shape[1:]
    pad_mask = _np(result.pad_mask).astype(bool)
    values = _np(result.padded[c])
    real = values[~pad_mask]
    zmax = float(np.abs(real).max()) if real.size else 1.0
    gap = _title_gap(padded_w + out_w, max(padded_h, out_h))
    sheet = _Sheet()
    label = t("conv.fig.input_padded" if pad_mask.any() else "conv.fig.input", lang, c=c)
    panel_in = sheet.panel(0, max(0, (out_h - padded_h) / 2), padded_w, padded_h, label)
    sheet.add(_heatmap(panel_in, np.where(pad_mask, np.nan, values), name=label, lang=lang, zmax=zmax))
    if pad_mask.any():
        sheet.add(_pad_cells(panel_in, pad_mask, label="−∞" if result.kind == "max" else "0", lang=lang))
    first = result.steps[0]
    animated = [sheet.add(_window_overlay(panel_in, result.kernel, result.kernel, result.dilation, first.rows[0],
                                          first.cols[0])),
                sheet.add(_outline(panel_in, _window_box(result, first), colour=CURRENT_COLOUR,
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
    sheet.add(_heatmap(panel_out, _np(result.output[c]), name=out_label, lang=lang, zmax=zmax))
    animated += [sheet.add(_outline(panel_out, _remaining(1, out_h, out_w), colour=COVER_COLOUR,
                                    fill=COVER_COLOUR)),
                 sheet.add(_outline(panel_out, _box(0, 0, 1, 1), colour=CURRENT_COLOUR))]

    frame_data = []
    for index, step in enumerate(result.steps):
        box = _window_box(result, step)
        cover = _remaining(index + 1, out_h, out_w)
        current = _box(step.row, step.col, 1, 1)
        data = [dict(type="heatmap", x0=step.cols[0], y0=step.rows[0]), dict(type="scatter", x=box[0], y=box[1])]
        if result.kind == "max":
            row, col = best[index]
            data.append(dict(type="scatter", x=[col], y=[row]))
        data += [dict(type="scatter", x=cover[0], y=cover[1]), dict(type="scatter", x=current[0], y=current[1])]
        frame_data.append(data)
    title = t(f"conv.fig.pool_title.{result.kind}", lang, c=c, count=len(result.steps))
    notes = [_pool_note(result, c, index, lang) for index in range(len(result.steps))]
    return _figure(sheet, title=title, animated=animated, frame_data=frame_data, notes=notes,
                   labels=[f"{s.row},{s.col}" for s in result.steps], prefix=t("conv.fig.cell", lang), lang=lang)


# --- transposed convolution -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TransposedFigures:
    """The three views of one transposed convolution, for one output channel."""

    scatter: go.Figure  # (a) scatter-add animation
    zero_insert: go.Figure  # (b) zero insertion + ordinary convolution animation
    matrix: go.Figure  # (c) C, Cᵀ, x and y = Cᵀx


def _scatter_note(result: TransposedResult, o: int, index: int, lang: str) -> str:
    step = result.scatter_steps[index]
    terms = [f"{_factor(float(result.input[c, step.row, step.col]))} × "
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
    gap = _title_gap(width + kernel_w + canvas_w + out_w, max(in_channels * row_h, canvas_h))
    sheet = _Sheet()
    animated: list[int] = []
    per_frame: list[str] = []
    input_max = float(np.abs(_np(result.input)).max()) or 1.0
    kernel_max = float(np.abs(_np(result.weight)).max()) or 1.0
    for c in range(in_channels):
        top = c * (row_h + gap)
        label = t("conv.fig.t_input", lang, c=c)
        panel_in = sheet.panel(0, top + (row_h - height) / 2, width, height, label)
        sheet.add(_heatmap(panel_in, _np(result.input[c]), name=label, lang=lang, zmax=input_max))
        animated.append(sheet.add(_outline(panel_in, _box(0, 0, 1, 1), colour=CURRENT_COLOUR)))
        per_frame.append("input")
        kernel_label = t("conv.fig.t_kernel", lang, c=c, o=o)
        panel_k = sheet.panel(width + gap, top + (row_h - kernel_h) / 2, kernel_w, kernel_h, kernel_label)
        sheet.add(_heatmap(panel_k, _np(result.weight[c, o]), name=kernel_label, lang=lang, zmax=kernel_max))
    left = width + kernel_w + 2 * gap

    # The canvas after each input cell's copy, for output channel o; cells no copy has reached yet stay blank.
    contributions = np.einsum("chw,cab->hwab", _np(result.input), _np(result.weight[:, o]))  # (H, W, kh, kw)
    canvases, touched = [], np.zeros((canvas_h, canvas_w), dtype=bool)
    running = np.zeros((canvas_h, canvas_w))
    for step in result.scatter_steps:
        rows, cols = np.ix_(step.rows, step.cols)
        running[rows, cols] += contributions[step.row, step.col]
        touched[rows, cols] = True
        canvases.append(np.where(touched, running, np.nan).astype(np.float32))
    canvas_max = max(float(np.abs(_np(result.canvas[o])).max()), float(np.abs(_np(result.output[o])).max())) or 1.0

    canvas_label = t("conv.fig.canvas", lang, p=p)
    panel_c = sheet.panel(left, 0, canvas_w, canvas_h, canvas_label)
    animated.append(sheet.add(_heatmap(panel_c, canvases[0], name=canvas_label, lang=lang, zmax=canvas_max)))
    per_frame.append("canvas")
    first = result.scatter_steps[0]
    animated.append(sheet.add(_window_overlay(panel_c, kernel_h, kernel_w, d, first.rows[0], first.cols[0])))
    per_frame.append("window")
    sheet.add(_outline(panel_c, _box(p, p, out_h, out_w), colour=POSITIVE, width=2, dash="dash"))

    if result.bias is None:
        out_label = t("conv.fig.t_output", lang, o=o)
    else:
        out_label = t("conv.fig.t_output_bias", lang, o=o, b=_num(float(result.bias[o])))
    panel_out = sheet.panel(left + canvas_w + gap, max(0.0, (canvas_h - out_h) / 2), out_w, out_h, out_label)
    sheet.add(_heatmap(panel_out, _np(result.output[o]), name=out_label, lang=lang, zmax=canvas_max))

    frame_data = []
    for index, step in enumerate(result.scatter_steps):
        data = []
        for kind in per_frame:
            if kind == "input":
                box = _box(step.row, step.col, 1, 1)
                data.append(dict(type="scatter", x=box[0], y=box[1]))
            elif kind == "canvas":
                data.append(dict(type="heatmap", z=canvases[index]))
            else:
                data.append(dict(type="heatmap", x0=step.cols[0], y0=step.rows[0]))
        frame_data.append(data)
    labels = [f"{step.row},{step.col}" for step in result.scatter_steps]
    notes = [_scatter_note(result, o, index, lang) for index in range(len(result.scatter_steps))]
    return _figure(sheet, title=t("conv.fig.scatter_title", lang, o=o), animated=animated, frame_data=frame_data,
                   notes=notes, labels=labels, prefix=t("conv.fig.input_cell", lang), lang=lang)


def _matrix_figure(result: TransposedResult, lang: str) -> go.Figure:
    """C, then Cᵀ · x = y side by side, all with cells of one size (zeros left blank)."""
    _, height, width = result.input.shape
    _, out_h, out_w = result.output.shape
    matrix, x, y = _np(result.matrix), _np(result.x_vector), _np(result.y_vector)
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

    sheet = _Sheet(right=gap / 2)
    label_c = t("conv.fig.matrix_c", lang, rows=m_rows, cols=m_cols)
    panel_c = sheet.panel(0, 0, m_cols, m_rows, label_c, ticks=max(m_rows, m_cols) <= 60)
    sheet.add(_heatmap(panel_c, matrix.astype(np.float32), name=label_c, lang=lang, zmax=zmax, text="nonzero",
                       hover="C[%{y}, %{x}] = %{z:.6~g}<extra></extra>"))
    left = m_cols + gap
    label_ct = t("conv.fig.matrix_ct", lang, rows=m_rows, cols=m_cols)
    panel_ct = sheet.panel(left, 0, m_rows, m_cols, label_ct, ticks=max(m_rows, m_cols) <= 60)
    sheet.add(_heatmap(panel_ct, matrix.T.astype(np.float32), name=label_ct, lang=lang, zmax=zmax, text="nonzero",
                       hover="Cᵀ[%{y}, %{x}] = %{z:.6~g}<extra></extra>"))
    left += m_rows + gap
    label_x = t("conv.fig.x_vec", lang, n=x.size)
    panel_x = sheet.panel(left, 0, 1, x.size, label_x, ticks=False)
    sheet.add(_heatmap(panel_x, x[:, None], name=label_x, lang=lang, zmax=vmax,
                       hover="x[%{y}] = %{z:.6~g}<extra></extra>"))
    left += 1 + gap
    label_y = t("conv.fig.y_vec", lang, n=y.size)
    panel_y = sheet.panel(left, 0, 1, y.size, label_y, ticks=False)
    sheet.add(_heatmap(panel_y, y[:, None], name=label_y, lang=lang, zmax=vmax,
                       hover="y[%{y}] = %{z:.6~g}<extra></extra>"))

    note = _wrap("<br>".join(notes))
    top = _top_margin(note)
    _, plot_height = sheet.fit()
    layout = base_layout(None, height=int(max(320, plot_height + top + 30)))
    layout.update(sheet.layout(), title=_title(t("conv.fig.matrix_title", lang)), showlegend=False,
                  plot_bgcolor="white", margin=dict(l=20, r=20, t=top, b=20), hovermode="closest",
                  annotations=[_note(note, top_margin=top)])
    return go.Figure(data=sheet.traces, layout=layout)


def transposed_figures(result: TransposedResult, *, out_channel: int = 0, lang: str = "en") -> TransposedFigures:
    """(a) the scatter-add animation, (b) the zero-inserted convolution animation, (c) the matrix view."""
    o = check_channel_index(out_channel, result.output.shape[0])
    zero_insert = _conv_figure(result.zero_inserted, o, lang, t("conv.fig.zero_insert_title", lang, o=o))
    return TransposedFigures(_scatter_figure(result, o, lang), zero_insert, _matrix_figure(result, lang))


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
