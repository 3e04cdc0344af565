"""Pictures of a segmentation: the classes over the learner's picture, a legend with each class's share, the
coarse score map next to the upsampled one, and the transposed convolution's kernel."""

from __future__ import annotations

import html
from collections.abc import Collection

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots
from torch import Tensor

from playground.errors import InputError
from playground.i18n import has, t
from playground.lessons.segmentation import Segmentation, SegmentView, check_opacity
from playground.viz.images import steps_markdown
from playground.viz.theme import DIVERGING, base_layout

# Background (class 0) is never painted; the digits get ten colours far apart (Okabe–Ito first).
DIGIT_COLOURS = ((0, 114, 178), (213, 94, 0), (0, 158, 115), (204, 121, 167), (230, 159, 0), (86, 180, 233),
                 (240, 228, 66), (120, 40, 140), (150, 75, 0), (255, 0, 110))


def voc_colours(n: int) -> np.ndarray:
    """Pascal VOC's colour map (the bit-interleaving one its masks use), (n, 3) uint8."""
    colours = np.zeros((n, 3), dtype=np.uint8)
    for index in range(n):
        value, r, g, b = index, 0, 0, 0
        for bit in range(8):
            r |= ((value >> 0) & 1) << (7 - bit)
            g |= ((value >> 1) & 1) << (7 - bit)
            b |= ((value >> 2) & 1) << (7 - bit)
            value >>= 3
        colours[index] = (r, g, b)
    return colours


def palette(classes: tuple[str, ...]) -> np.ndarray:
    """(C, 3) uint8: our digits' colours for the bundled FCN's 11 classes, VOC's for torchvision's 21."""
    if len(classes) == 1 + len(DIGIT_COLOURS):
        return np.array([(0, 0, 0), *DIGIT_COLOURS], dtype=np.uint8)
    return voc_colours(len(classes))


def overlay(result: Segmentation, *, opacity: float = 0.6, shown: Collection[int] | None = None) -> np.ndarray:
    """The learner's picture with each shown class's pixels tinted by its colour, (H, W, 3) uint8; the
    background is left as it is."""
    check_opacity(opacity)
    picture = np.asarray(result.picture, dtype=np.float32)
    labels = result.labels_on_picture
    colours = palette(result.classes).astype(np.float32)[labels]  # (H, W, 3)
    keep = labels > 0
    if shown is not None:
        keep &= np.isin(labels, np.asarray(list(shown), dtype=np.int64))
    alpha = opacity * keep[..., None]
    return np.clip(picture * (1 - alpha) + colours * alpha, 0, 255).round().astype(np.uint8)


def class_label(name: str, lang: str = "en") -> str:
    """A class as the learner reads it: "background" and the VOC classes of torchvision's FCN in the page's
    language, a digit as itself."""
    return t(f"seg.class.{name}", lang) if has(f"seg.class.{name}") else name


def class_choices(classes: Collection[str], lang: str = "en") -> list[tuple[str, str]]:
    """(label, name) pairs for the class controls: the label in the page's language, the name for the lesson."""
    return [(class_label(name, lang), name) for name in classes]


def legend_html(result: Segmentation, *, lang: str = "en") -> str:
    """The classes found, each with its colour swatch and share of the picture's pixels."""
    colours = palette(result.classes)
    items = []
    for index, share in result.shares:
        r, g, b = colours[index]
        swatch = "transparent; border: 1px dashed #888" if index == 0 else f"rgb({r},{g},{b})"
        items.append(f'<span class="seg-class"><span class="seg-swatch" style="background:{swatch}"></span>'
                     f"{html.escape(class_label(result.classes[index], lang))} · {share:.1%}</span>")
    return f'<div class="seg-legend"><b>{html.escape(t("seg.legend", lang))}</b> {" ".join(items)}</div>'


def scores_figure(result: Segmentation, class_index: int, *, lang: str = "en") -> go.Figure:
    """One class's score: the coarse map the 1×1 convolution makes, and the map after upsampling."""
    if not 0 <= class_index < len(result.classes):
        raise InputError("seg.err.class", index=class_index, count=len(result.classes))
    coarse = result.coarse[class_index].numpy()
    fine = result.scores[class_index].numpy()
    name = class_label(result.classes[class_index], lang)
    fig = make_subplots(1, 2, subplot_titles=(
        t("seg.fig.coarse", lang, h=coarse.shape[0], w=coarse.shape[1]),
        t("seg.fig.fine", lang, h=fine.shape[0], w=fine.shape[1])), horizontal_spacing=0.08)
    for col, values in ((1, coarse), (2, fine)):
        # each panel its own symmetric range: the skip connections add to the scores on the way up
        bound = float(max(np.abs(values).max(), 1e-6))
        fig.add_trace(go.Heatmap(z=values, colorscale=DIVERGING, reversescale=True, zmid=0, zmin=-bound, zmax=bound,
                                 showscale=False, hovertemplate="row %{y}, col %{x}<br>%{z:.3f}<extra></extra>"),
                      1, col)
    fig.update_layout(base_layout(t("seg.fig.scores", lang, name=name), height=380))
    fig.update_yaxes(autorange="reversed", scaleanchor="x", showticklabels=False)
    fig.update_yaxes(autorange="reversed", scaleanchor="x2", showticklabels=False, row=1, col=2)
    fig.update_xaxes(showticklabels=False)
    return fig


def kernel_figure(kernel: Tensor, *, lang: str = "en") -> go.Figure:
    """The transposed convolution's k×k kernel, with its values written in."""
    values = kernel.numpy()
    fig = go.Figure(layout=base_layout(t("seg.fig.kernel", lang, k=values.shape[0]), height=380))
    fig.add_trace(go.Heatmap(z=values, colorscale="Viridis", texttemplate="%{z:.2f}",
                             hovertemplate="row %{y}, col %{x}: %{z:.4f}<extra></extra>"))
    fig.update_yaxes(autorange="reversed", scaleanchor="x")
    return fig


def segment_page(view: SegmentView, *, lang: str = "en") -> tuple:
    """Everything the segmentation view shows, in the order of its outputs: the classes over the picture, the
    preprocessing in words, the legend, the chosen class's scores, the kernel (None for torchvision's FCN) and a
    note on how the scores are upsampled."""
    result = view.result
    steps = steps_markdown(result.network.label, "seg.steps", result.steps, view.loaded.notes, lang=lang)
    if view.upsampling is None:
        kernel, note = None, t("seg.interpolation_note", lang)
    else:
        size, stride, padding = view.upsampling
        kernel, note = kernel_figure(view.kernel, lang=lang), t("seg.kernel_note", lang, k=size, stride=stride,
                                                                 padding=padding)
    return (overlay(result, opacity=view.opacity, shown=view.shown), steps, legend_html(result, lang=lang),
            scores_figure(result, view.chosen, lang=lang), kernel, note)
