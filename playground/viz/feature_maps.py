"""Pictures of feature maps: one tiled uint8 image per layer, an enlarged layer with values on hover, and
the layer table as rows.

Colour: one diverging scale for every picture (negative blue, 0 white, positive red), so a ReLU's zeros
look the same everywhere. What "most red" means is the learner's choice, as in CNN Explainer: each channel's
own largest |value| (``channel``), the layer's (``layer``), or the whole network's (``network``, where deep
layers that are small next to the input look pale — that is the lesson).
All of it is numpy on whole arrays: no per-pixel Python, no plotly subplot per channel.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
import torch
from torch import Tensor

from playground.i18n import t
from playground.lessons.feature_maps import FeatureMaps, Layer, check_scale
from playground.limits import GRID_CHANNELS, MAX_ENLARGED_VALUES
from playground.viz.theme import base_layout

CELL_PIXELS = 48  # small maps are enlarged (nearest neighbour, by an integer factor) to at least this side
MAX_CELL_PIXELS = 64  # larger maps are averaged down by an integer factor in the overview (the enlarged view is exact)
GAP = 2  # pixels between channels in a tile
GAP_COLOUR = (205, 205, 210)

# negative → blue, 0 → white, positive → red (ColorBrewer RdBu, reversed): levels 0..254, 255 the gap colour
_ANCHORS = np.array([[33, 102, 172], [103, 169, 207], [209, 229, 240], [247, 247, 247],
                     [253, 219, 199], [239, 138, 98], [178, 24, 43]], dtype=np.float64)
LUT = np.vstack([np.stack([np.interp(np.linspace(0, 1, 255), np.linspace(0, 1, len(_ANCHORS)), _ANCHORS[:, c])
                           for c in range(3)], axis=1).round(), [GAP_COLOUR]]).astype(np.uint8)  # (256, 3)
PLOTLY_SCALE = [[i / (len(_ANCHORS) - 1), f"rgb({r:.0f},{g:.0f},{b:.0f})"] for i, (r, g, b) in enumerate(_ANCHORS)]


def network_bound(result: FeatureMaps) -> float:
    """The largest |value| over every feature map of the network (the ``network`` colour scale)."""
    return max((layer.peak for layer in result.layers if layer.is_map), default=0.0)


def _bounds(maps: Tensor, scale: str, layer_peak: float | None, bound: float | None) -> Tensor:
    """The |value| that gets the strongest colour, per channel (C, 1, 1) or one for all; never 0."""
    check_scale(scale)
    if scale == "channel":
        limits = maps.abs().amax(dim=(1, 2), keepdim=True) if maps.numel() else torch.ones(len(maps), 1, 1)
    else:
        given = layer_peak if scale == "layer" else bound
        limits = torch.tensor(given if given is not None else float(maps.abs().max()) if maps.numel() else 1.0)
    return torch.where(limits > 0, limits, torch.ones_like(limits))  # an all-zero map stays white, no 0 / 0


def normalise(maps: Tensor, scale: str, *, layer_peak: float | None = None, bound: float | None = None) -> Tensor:
    """(C, H, W) values → [-1, 1] by the chosen scale."""
    return (maps / _bounds(maps, scale, layer_peak, bound)).clamp(-1.0, 1.0)


def _levels(normalised: Tensor) -> np.ndarray:
    """[-1, 1] → uint8 colour levels 0..254 (127 = zero); 255 is kept for the gaps between channels."""
    return ((normalised + 1.0) * 127.0).round().to(torch.uint8).numpy()


def _mosaic(cells: np.ndarray, columns: int, gap: int, fill: float | int) -> np.ndarray:
    """(N, h, w) → one (rows·(h+gap)−gap, columns·(w+gap)−gap) array, ``fill`` in the gaps."""
    n, h, w = cells.shape
    rows = math.ceil(n / columns)
    canvas = np.full((rows * columns, h + gap, w + gap), fill, dtype=cells.dtype)
    canvas[:n, :h, :w] = cells
    tiled = canvas.reshape(rows, columns, h + gap, w + gap).transpose(0, 2, 1, 3)
    tiled = tiled.reshape(rows * (h + gap), columns * (w + gap))
    return tiled[:tiled.shape[0] - gap, :tiled.shape[1] - gap] if gap else tiled


def layer_tile(output: Tensor, *, scale: str = "layer", layer_peak: float | None = None, bound: float | None = None,
               channels: int = GRID_CHANNELS) -> np.ndarray:
    """The first ``channels`` channels of a (C, H, W) output as one RGB uint8 picture: a thumbnail per channel,
    small maps enlarged, large ones averaged down (colours are scaled on the exact values first)."""
    normalised = normalise(output[:channels], scale, layer_peak=layer_peak, bound=bound)
    shrink = math.ceil(max(normalised.shape[1:], default=1) / MAX_CELL_PIXELS)
    if shrink > 1:
        normalised = torch.nn.functional.avg_pool2d(normalised[None], shrink, ceil_mode=True)[0]
    levels = _levels(normalised)
    factor = max(1, math.ceil(CELL_PIXELS / max(levels.shape[1], 1)))
    if factor > 1:
        levels = levels.repeat(factor, axis=1).repeat(factor, axis=2)
    columns = math.ceil(math.sqrt(len(levels)))
    return np.take(LUT, _mosaic(levels, columns, GAP, 255), axis=0)  # 4× faster than LUT[...] here


def role_text(layer: Layer, lang: str) -> str:
    """What the layer does, in words: '⧉ concatenation 16 + 32 + 8 + 8', '⊕ skip addition', 'depthwise'."""
    if layer.role == "concat" and layer.parts:
        return t("feat.role.concat_parts", lang, parts=" + ".join(map(str, layer.parts)))
    return t(f"feat.role.{layer.role}", lang)


def caption(layer: Layer, lang: str, shown: int) -> str:
    shape = "×".join(map(str, layer.shape))
    text = f"{layer.index + 1} · {layer.name} · {role_text(layer, lang)} · {shape}"
    if shown < layer.shape[0]:
        text += " · " + t("feat.shown", lang, shown=shown, total=layer.shape[0])
    return text


def layer_gallery(result: FeatureMaps, *, scale: str = "layer", lang: str = "en",
                  roles: Sequence[str] | None = None) -> list[tuple[np.ndarray, str]]:
    """One (picture, caption) per feature-map layer, in call order (``roles`` keeps only those roles)."""
    check_scale(scale)
    bound = network_bound(result) if scale == "network" else None
    items = []
    for layer, output in zip(result.layers, result.outputs):
        if layer.is_map and output is not None and (roles is None or layer.role in roles):
            shown = min(GRID_CHANNELS, layer.shape[0])
            tile = layer_tile(output, scale=scale, layer_peak=layer.peak, bound=bound)
            items.append((tile, caption(layer, lang, shown)))
    return items


def channel_page(layer: Layer, first: int) -> tuple[int, int]:
    """Which channels the enlarged view shows: a page that keeps the values sent to the browser bounded."""
    channels, h, w = layer.shape
    per_page = max(1, min(channels, MAX_ENLARGED_VALUES // max(h * w, 1)))
    first = int(min(max(0, first), max(0, channels - 1)))
    return first, min(channels, first + per_page)


def layer_figure(layer: Layer, output: Tensor, *, scale: str = "layer", bound: float | None = None,
                 first_channel: int = 0, classes: Sequence[str] | None = None, lang: str = "en") -> go.Figure:
    """One layer large: all channels of a page in one heatmap, each value on hover; a vector layer as bars."""
    if not layer.is_map:
        return _vector_figure(layer, output, classes=classes, lang=lang)
    first, last = channel_page(layer, first_channel)
    maps = output[first:last]
    _, h, w = maps.shape
    columns = math.ceil(math.sqrt(len(maps)))
    z = _mosaic(normalise(maps, scale, layer_peak=layer.peak, bound=bound).numpy(), columns, 1, np.nan)
    raw = _mosaic(maps.numpy(), columns, 1, np.nan)
    # hover: which channel, row and column inside it, and the value PyTorch computed
    rows_idx, cols_idx = np.indices(z.shape)
    channel = first + (rows_idx // (h + 1)) * columns + cols_idx // (w + 1)
    custom = np.stack([channel, rows_idx % (h + 1), cols_idx % (w + 1), raw], axis=-1).astype(np.float32)
    title = t("feat.fig.layer", lang, name=layer.name, kind=layer.kind, shape="×".join(map(str, layer.shape)),
              first=first, last=last - 1)
    fig = go.Figure(layout=base_layout(title, height=640))
    fig.add_trace(go.Heatmap(
        z=z, customdata=custom, zmin=-1, zmax=1, colorscale=PLOTLY_SCALE, showscale=False, hoverongaps=False,
        hovertemplate=t("feat.fig.hover", lang) + "<extra></extra>"))
    fig.update_yaxes(autorange="reversed", scaleanchor="x", showticklabels=False, showgrid=False, zeroline=False)
    fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=False, constrain="domain")
    return fig


def _vector_figure(layer: Layer, output: Tensor, *, classes: Sequence[str] | None, lang: str) -> go.Figure:
    values = output.flatten()[:MAX_ENLARGED_VALUES].numpy()
    labels = list(classes) if classes is not None and len(classes) == len(values) else list(range(len(values)))
    title = t("feat.fig.vector", lang, name=layer.name, kind=layer.kind, size=layer.shape[0] if layer.shape else 0)
    fig = go.Figure(layout=base_layout(title, height=360))
    colours = np.where(values >= 0, "#b2182b", "#2166ac")
    fig.add_trace(go.Bar(x=[str(label) for label in labels], y=values, marker_color=colours,
                         hovertemplate="%{x}: %{y:.4g}<extra></extra>"))
    fig.update_xaxes(type="category", showticklabels=len(values) <= 40)
    return fig


TABLE_COLUMNS = ("feat.col.index", "feat.col.name", "feat.col.kind", "feat.col.role", "feat.col.shape",
                 "feat.col.params", "feat.col.macs", "feat.col.comment")


def table_rows(result: FeatureMaps, lang: str = "en") -> list[list[object]]:
    """The layer table: one row per layer in call order, indented by nesting depth. Numbers with thousands
    separators; a block's, which are its parts' on their own rows, as "(Σ …)" so a column adds up once."""
    rows = []
    for layer in result.layers:
        shape = "×".join(map(str, layer.shape)) if layer.shape else "—"
        count = (lambda n: f"(Σ {n:,})") if layer.sums_its_parts else (lambda n: f"{n:,}")
        rows.append([layer.index + 1, "· " * layer.depth + layer.name, layer.kind, role_text(layer, lang), shape,
                     count(layer.params), count(layer.macs), layer.comment])
    return rows


def predictions_label(predictions) -> dict[str, float]:
    """For gr.Label: {class: probability}."""
    return {p.label: p.probability for p in predictions}
