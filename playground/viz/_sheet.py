"""The layout engine behind the convolution figures: square-cell panels, animation controls, the note.

Every panel is a heatmap with its numbers printed in the cells, row 0 on top (like a matrix) and square cells of
one size across the figure: a ``Sheet`` places panels in cell units and computes the axes' domains once all are
placed. Animations follow GRADIO6.md §2c: frames named ``str(i)``, a Play/Pause menu and a slider with one step
per frame; gr.Plot drops the frames and the app re-attaches them in the browser. The note under the title (the
sum of products of the current step) is wrapped here, since plotly annotations never wrap.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from torch import Tensor

from playground.i18n import t
from playground.viz.theme import DIVERGING, FONT, NEGATIVE, PALETTE, base_layout, fmt

WINDOW_COLOUR = PALETTE[4]  # orange: where the kernel (or pooling window) is now
CURRENT_COLOUR = NEGATIVE  # the output cell being computed
PAD_COLOUR = "#e4e4e4"
COVER_COLOUR = "white"
CELL_PX = 30  # the largest cell, in pixels; big inputs get smaller cells
PLOT_WIDTH_PX = 1000  # a guess at the plot's width in the app (it is responsive), to size the cells
MAX_PLOT_HEIGHT_PX = 1000
MIN_TEXT_PX = 15  # cells smaller than this show colours only; the numbers stay on hover
MAX_TERMS = 12  # products written out in an annotation before it shortens to "a + b + … + y + z"
TEXT_CELL_BUDGET = 900  # heatmaps with more cells than this show colours only, no numbers
TITLE_PX = 44  # the title's band at the top of a figure; the note sits right under it
AXIS_TITLE_PX = 48  # panel titles and column numbers above the plotting area
LINE_PX = 18  # one line of the note
NOTE_WIDTH = 118  # characters per note line (a CJK character counts as two)


# --- numbers in the notes, and outlines of cells ----------------------------------------------------------


def to_numpy(tensor: Tensor) -> np.ndarray:
    return tensor.detach().to("cpu").double().numpy()


def largest(*tensors: Tensor) -> float:
    """The largest |value| in the tensors: where a shared colour scale ends."""
    return max(float(np.abs(to_numpy(tensor)).max()) for tensor in tensors)


def number(value: float) -> str:
    return fmt(float(value), 4)


def factor(value: float) -> str:
    """A number inside a product: negative ones in parentheses, "2·(-1)"."""
    text = number(value)
    return f"({text})" if text.startswith("-") else text


def shorten(terms: Sequence[str], limit: int = MAX_TERMS) -> list[str]:
    return list(terms) if len(terms) <= limit else [*terms[:4], "…", *terms[-2:]]


def sum_text(terms: Sequence[str]) -> str:
    return " + ".join(shorten(terms))


Outline = tuple[list, list]  # x and y of a polyline; None separates the pieces (small lists: compact JSON)


def cell_box(top: float, left: float, height: float, width: float) -> Outline:
    """The outline of a block of cells (row ``top``, column ``left``, ``height``×``width`` cells)."""
    x0, x1, y0, y1 = left - 0.5, left + width - 0.5, top - 0.5, top + height - 0.5
    return [x0, x1, x1, x0, x0], [y0, y0, y1, y1, y0]


def remaining_cells(done: int, rows: int, cols: int) -> Outline:
    """Outlines of the cells not computed yet (row-major order, ``done`` finished): at most two rectangles."""
    if done >= rows * cols:
        return [None], [None]  # nothing to cover (an empty trace would keep the previous frame's shape)
    row, col = divmod(done, cols)
    xs: list = []
    ys: list = []
    if col:  # the rest of the current row
        x, y = cell_box(row, col, 1, cols - col)
        xs += [*x, None]
        ys += [*y, None]
        row += 1
    if row < rows:  # every row below it
        x, y = cell_box(row, 0, rows - row, cols)
        xs += x
        ys += y
    return xs, ys


# --- layout: panels in one figure, all with square cells of the same size ------------------------------


@dataclass(frozen=True)
class Panel:
    """One heatmap's axes: ``xref``/``yref`` name them in traces ("x2", "y2")."""

    xref: str
    yref: str


class Sheet:
    """Panels placed in cell units (left, top, width, height); domains are computed once all are placed."""

    def __init__(self, *, right: float = 0.0) -> None:
        self.right = right  # empty cells after the last panel, so its title is not cut off
        self.boxes: list[tuple[float, float, float, float, str, bool]] = []
        self.traces: list[dict] = []

    def panel(self, left: float, top: float, cols: int, rows: int, title: str, *, ticks: bool = True) -> Panel:
        self.boxes.append((left, top, cols, rows, title, ticks))
        n = len(self.boxes)
        suffix = "" if n == 1 else str(n)
        return Panel("x" + suffix, "y" + suffix)

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


def title_gap(width: float, height: float) -> float:
    """Cells between panels: about 50 px (a panel title and its column numbers) at the expected cell size."""
    cell = min(CELL_PX, PLOT_WIDTH_PX / width, MAX_PLOT_HEIGHT_PX / height)
    return max(1.6, 50 / cell)


def heatmap(panel: Panel, z: np.ndarray, *, name: str, lang: str, zmax: float | None = None,
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


def pad_cells(panel: Panel, pad_mask: np.ndarray, *, label: str, lang: str) -> dict:
    """Grey cells with ``label`` (0 or −∞) where the input is padding, not part of the learner's input."""
    z = np.where(pad_mask, 0.0, np.nan)
    text = np.where(pad_mask, label, "").tolist() if pad_mask.size <= TEXT_CELL_BUDGET else None
    row, col = t("conv.fig.row", lang), t("conv.fig.col", lang)
    return dict(type="heatmap", z=z, xaxis=panel.xref, yaxis=panel.yref, showscale=False, xgap=1, ygap=1,
                colorscale=[[0, PAD_COLOUR], [1, PAD_COLOUR]], zmin=0, zmax=1, text=text,
                texttemplate="%{text}" if text is not None else None, textfont=dict(size=11, color="#888"),
                hovertemplate=f"{row} %{{y}}, {col} %{{x}}<br>{t('conv.fig.pad', lang)}: {label}<extra></extra>")


def window_overlay(panel: Panel, kernel_h: int, kernel_w: int, dilation: int, top: int, left: int) -> dict:
    """The cells a (dilated) window reads, tinted; frames move it by changing only x0 and y0."""
    reach_h, reach_w = dilation * (kernel_h - 1) + 1, dilation * (kernel_w - 1) + 1
    z = np.full((reach_h, reach_w), np.nan)
    z[::dilation, ::dilation] = 1.0  # the sampled cells; the gaps between them stay clear
    return dict(type="heatmap", z=z, x0=left, dx=1, y0=top, dy=1, xaxis=panel.xref, yaxis=panel.yref,
                colorscale=[[0, WINDOW_COLOUR], [1, WINDOW_COLOUR]], zmin=0, zmax=1, showscale=False,
                opacity=0.45, hoverinfo="skip", xgap=1, ygap=1)


def outline(panel: Panel, xy: Outline, *, colour: str, width: float = 3, dash: str = "solid",
            fill: str | None = None) -> dict:
    """A rectangle (or several, separated by None) drawn over a panel; ``fill`` makes it an opaque cover."""
    trace = dict(type="scatter", x=xy[0], y=xy[1], mode="lines", xaxis=panel.xref, yaxis=panel.yref,
                 line=dict(color=colour, width=width, dash=dash), hoverinfo="skip", showlegend=False)
    if fill:
        trace.update(fill="toself", fillcolor=fill, line=dict(width=0, color=fill))
    return trace


BUTTONS_PIXELS = 160  # the Play and Pause buttons' width, in either language


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
        sliders=[dict(  # starts right of the buttons at any width (a phone's 640 px too): padded in pixels
            active=0, x=0, len=1, y=0, yanchor="top", pad=dict(t=8, l=BUTTONS_PIXELS),
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


def _layout(sheet: Sheet, *, title: str, note: str, top: int, bottom: int, min_height: int) -> dict:
    """The panels' axes, the title and the note above them, and ``bottom`` pixels below them."""
    _, plot_height = sheet.fit()
    layout = base_layout(None, height=int(max(min_height, plot_height + top + bottom + 10)))
    layout.update(sheet.layout(), annotations=[_note(note, top_margin=top)], hovermode="closest", showlegend=False,
                  margin=dict(l=20, r=20, t=top, b=bottom), plot_bgcolor="white",
                  title=dict(text=title, x=0.01, xanchor="left", yref="container", y=1, yanchor="top",
                             pad=dict(t=12)))
    return layout


def still_figure(sheet: Sheet, *, title: str, note: str) -> go.Figure:
    """The panels with a title and a note (``<br>`` between its paragraphs), no animation."""
    note = _wrap(note)
    top = _top_margin(note)
    return go.Figure(data=sheet.traces, layout=_layout(sheet, title=title, note=note, top=top, bottom=20,
                                                       min_height=320))


def animated_figure(sheet: Sheet, *, title: str, animated: list[int], frame_data: Sequence[list[dict]],
                    notes: Sequence[str], labels: Sequence[str], prefix: str, lang: str) -> go.Figure:
    """The panels showing the first step, one frame per step (new data for the ``animated`` traces and a new
    note), Play/Pause and a slider (whose current value starts with ``prefix``)."""
    notes = [_wrap(note) for note in notes]
    top = _top_margin(*notes)
    layout = _layout(sheet, title=title, note=notes[0], top=top, bottom=80, min_height=360)
    layout.update(_animation_controls(labels, prefix=prefix, lang=lang))
    # plain dicts: go.Figure validates each frame once (building go.Frame objects first would do it twice)
    frames = [dict(name=str(i), data=data, traces=animated, layout=dict(annotations=[_note(note, top_margin=top)]))
              for i, (data, note) in enumerate(zip(frame_data, notes, strict=True))]
    # Frames are many and alike: skip plotly's per-property validation here (it was 90 % of the time);
    # tests/unit/test_viz_conv.py re-validates every figure kind by rebuilding it from its dict.
    return go.Figure(data=sheet.traces, layout=layout, frames=frames, _validate=False)
