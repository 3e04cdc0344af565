"""The CNN feature-map tab's pages: each view of ``playground.lessons.feature_views`` turned into what its
outputs show — the picture the network saw, the preprocessing in words, the predictions, the gallery of layers,
one layer large, the layer table, the attribution overlays and the comparison of every network."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from PIL import Image

from playground.i18n import t
from playground.lessons.compare import NetworkRow
from playground.lessons.feature_maps import Layer
from playground.lessons.feature_views import Explanation, LayerView, MapsView, Sanity
from playground.viz import attribution, compare
from playground.viz import feature_maps as maps
from playground.viz.images import steps_markdown

SEEN_SIDE = 224  # the network's input is shown at least this large, one block per pixel


def enlarged(picture: Image.Image, side: int = SEEN_SIDE) -> Image.Image:
    """A 32-pixel input shown as blocks (nearest neighbour, a whole factor): every pixel the network sees."""
    factor = max(1, side // max(picture.size))
    return picture.resize((picture.width * factor, picture.height * factor), Image.NEAREST) if factor > 1 else picture


def channel_control(layer: Layer, first: int) -> tuple[int, bool]:
    """The first channel actually shown (clamped to the layer), and whether the layer has other pages."""
    page_first, page_last = maps.channel_page(layer, first) if layer.is_map else (0, 1)
    channels = layer.shape[0] if layer.is_map else 1
    return page_first, channels > page_last - page_first


@dataclass(frozen=True)
class MapsPage:
    """Everything the feature-map view shows, in the order of its outputs."""

    seen: Image.Image  # the network's input, enlarged
    steps: str  # Markdown: the preprocessing and the notes on reading the file
    predictions: dict[str, float]  # {class: probability}
    summary: str  # Markdown: layers, maps, parameters, multiply-adds
    gallery: list[tuple[np.ndarray, str]]  # one picture per feature-map layer
    first_channel: int
    more_channels: bool  # the enlarged layer has more channels than one page shows
    figure: go.Figure  # the first convolution, large
    table: dict[str, list]  # the layer table, {"headers": ..., "data": ...}
    targets: list[tuple[str, int]]  # the classes attribution may explain; -1 is the predicted one


def maps_page(view: MapsView, *, lang: str = "en") -> MapsPage:
    network, result, seen = view.network, view.maps, view.prepared.seen
    steps = steps_markdown(network.label, "feat.steps", view.prepared.steps, view.loaded.notes, lang=lang)
    factor = SEEN_SIDE // seen.width
    if factor > 1:
        steps += f"\n- {t('feat.seen.enlarged', lang, factor=factor)}"
    layers_with_maps = sum(1 for layer in result.layers if layer.is_map)
    summary = t("feat.summary", lang, layers=len(result.layers), maps=layers_with_maps,
                params=f"{result.total_params:,}", macs=f"{result.total_macs / 1e6:,.1f}")
    bound = maps.network_bound(result) if view.scale == "network" else None
    figure = maps.layer_figure(view.layer, view.output, scale=view.scale, bound=bound, classes=network.classes,
                               lang=lang)
    table = {"headers": [t(key, lang) for key in maps.TABLE_COLUMNS], "data": maps.table_rows(result, lang)}
    targets = [(t("feat.attr.target.predicted", lang), -1), *((f"{i} · {c}", i) for i, c in enumerate(network.classes))]
    return MapsPage(enlarged(seen), steps, maps.predictions_label(view.predictions), summary,
                    maps.layer_gallery(result, scale=view.scale, lang=lang), *channel_control(view.layer, 0), figure,
                    table, targets)


def layer_page(view: LayerView, *, lang: str = "en") -> tuple[go.Figure, int, bool]:
    """(the layer large, the first channel shown, whether there are other pages)."""
    bound = maps.network_bound(view.maps) if view.maps is not None else None
    figure = maps.layer_figure(view.layer, view.output, scale=view.scale, bound=bound, first_channel=view.first_channel,
                               classes=view.network.classes, lang=lang)
    return (figure, *channel_control(view.layer, view.first_channel))


def explanation_page(view: Explanation, *, lang: str = "en") -> tuple[np.ndarray, str]:
    """(the map over the picture, the explanation in words with the overlay's notes)."""
    shading = view.shading
    picture, notes = attribution.overlay(view.seen, view.attribution.heat, sign=shading.sign, opacity=shading.opacity,
                                         clip_percentile=shading.clip_percentile)
    return picture, attribution.summary_markdown(view.attribution, lang=lang, notes=notes)


def sanity_page(view: Sanity, *, lang: str = "en") -> tuple[list[tuple[np.ndarray, str]], str]:
    """(the trained network's map and the randomised copy's, captioned; the verdict in words)."""
    shading = view.shading
    pictures = [attribution.overlay(view.seen, result.heat, sign=shading.sign, opacity=shading.opacity,
                                    clip_percentile=shading.clip_percentile)[0]
                for result in (view.check.original, view.check.randomised)]
    captions = (t("feat.attr.sanity.trained", lang), t("feat.attr.sanity.random", lang))
    return list(zip(pictures, captions, strict=True)), attribution.sanity_markdown(view.check, lang=lang)


def comparison_page(rows: list[NetworkRow], *, lang: str = "en") -> tuple[str, dict[str, list]]:
    """(every network side by side as HTML, the same as a table)."""
    return compare.comparison_html(rows, lang), compare.table_rows(rows, lang)
