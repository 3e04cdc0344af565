"""Pictures of attention (primer §13–§15): heatmaps with token labels, the masked cells of the decoder, the
mechanism of one head at one step, the source text lit by one decoding step, and ViT's CLS maps on the picture.

Token labels repeat ("2", "0", "2", "6"), and plotly merges repeated category names, so every axis is numeric
with the tokens as tick labels.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from PIL import Image
from plotly.subplots import make_subplots
from torch import Tensor

from playground.i18n import t
from playground.lessons.attention import KINDS, DateReading, Mechanism, VitReading, rollout
from playground.lessons.attention_views import DateView, VitView
from playground.viz.attribution import overlay
from playground.viz.images import note_lines, steps_line

HEAT = [[0.0, "rgb(255,255,255)"], [0.25, "rgb(254,224,144)"], [0.6, "rgb(244,109,67)"], [1.0, "rgb(128,0,38)"]]
MASKED_COLOUR = "rgb(200,200,206)"
GRID_COLOUR = (255, 255, 255)


def _shown(token: str) -> str:
    """Spaces made visible; the start and end tokens in angle quotes (plotly would read "<s>" as strike-through)."""
    return {" ": "␣", "\t": "⇥", "<s>": "⟨s⟩", "</s>": "⟨/s⟩"}.get(token, token)


def _axis(labels: Sequence[str]) -> dict:
    # plotly reads a few HTML tags in labels: a typed "<b>" is escaped to stay text
    return {"tickmode": "array", "tickvals": list(range(len(labels))),
            "ticktext": [html.escape(_shown(x)) for x in labels],
            "tickfont": {"size": 12}, "showgrid": False, "zeroline": False}


def attention_figure(reading: DateReading, kind: str, weights: Tensor, *, title: str, lang: str = "en") -> go.Figure:
    """One map (rows × columns) with token labels; in the decoder's map, the future cells grey and hatched."""
    rows, columns = reading.labels(kind)
    values = weights.double().numpy()  # (R, C)
    hover = [[t("attn.hover", lang, query=html.escape(_shown(rows[i])), key=html.escape(_shown(columns[j])),
                weight=f"{values[i, j]:.3f}")
              for j in range(len(columns))] for i in range(len(rows))]
    figure = go.Figure(go.Heatmap(z=values, zmin=0, zmax=max(float(values.max()), 1e-6), colorscale=HEAT,
                                  hovertext=hover, hoverinfo="text", xgap=1, ygap=1,
                                  colorbar={"title": {"text": t("attn.weight", lang)}, "thickness": 12}))
    if kind == "decoder":  # the mask: cells the step may not see (weights exactly 0), drawn apart
        future = np.triu(np.ones_like(values), 1)
        figure.add_trace(go.Heatmap(z=np.where(future > 0, 1.0, np.nan), colorscale=[[0, MASKED_COLOUR],
                                    [1, MASKED_COLOUR]], showscale=False, xgap=1, ygap=1, hoverinfo="text",
                                    hovertext=[[t("attn.hover_masked", lang) for _ in columns] for _ in rows],
                                    texttemplate="×", textfont={"color": "rgb(120,120,128)"},
                                    text=np.where(future > 0, "×", "")))
    figure.update_layout(title={"text": title, "font": {"size": 14}}, margin={"l": 10, "r": 10, "t": 40, "b": 10},
                         height=max(240, 28 * len(rows) + 110), plot_bgcolor="white",
                         xaxis={**_axis(columns), "title": t(f"attn.axis.keys.{kind}", lang)},
                         yaxis={**_axis(rows), "autorange": "reversed", "title": t(f"attn.axis.queries.{kind}", lang)})
    return figure


def lit_source_html(reading: DateReading, step: int, weights: Tensor, *, lang: str = "en") -> str:
    """The source characters, each on a background as strong as step ``step``'s attention to it."""
    values = weights.double().numpy()
    top = max(float(values.max()), 1e-9)
    cells = []
    for token, value in zip(reading.source_tokens, values):
        strength = value / top
        colour = f"rgba(244,109,67,{strength:.3f})"
        cells.append(f'<span class="attn-char" title="{value:.3f}" style="background:{colour}">'
                     f"{html.escape(_shown(token))}</span>")
    written = reading.output_tokens[step]
    caption = t("attn.lit_caption", lang, step=step + 1, token=html.escape(_shown(written)))
    return (f'<div class="attn-lit"><div class="attn-lit-caption">{caption}</div>'
            f'<div class="attn-lit-text">{"".join(cells)}</div></div>')


def output_html(reading: DateReading, step: int, *, lang: str = "en") -> str:
    """The decoded characters, the chosen step underlined; under each, how sure the network was (a bar as wide as
    its probability, red under ``UNSURE``), and on hover the three most probable characters of that step."""
    spans = []
    for index, (token, p, best) in enumerate(zip(reading.output_tokens, reading.confidence, reading.alternatives)):
        cls = "attn-out attn-out-now" if index == step else "attn-out"
        tip = " · ".join(f"{_shown(other)} {q:.0%}" for other, q in best)
        bar = "attn-sure" if p >= UNSURE else "attn-unsure"
        spans.append(f'<span class="{cls}" title="{html.escape(tip)}">{html.escape(_shown(token))}'
                     f'<span class="{bar}" style="width:{max(p, 0.05) * 90:.0f}%"></span></span>')
    caption = t("attn.output_caption", lang)
    return f'<div class="attn-output">{"".join(spans)}</div><div class="attn-output-caption">{caption}</div>'


def mechanism_figure(mech: Mechanism, *, lang: str = "en") -> go.Figure:
    """Three rows for one head at one step: Q·Kᵀ/√d, the mask, softmax → weights (masked keys: exactly 0)."""
    keys = list(mech.keys)
    x = list(range(len(keys)))
    scores = mech.scores.double().numpy()
    masked = mech.masked.numpy()
    weights = mech.weights.double().numpy()
    figure = make_subplots(rows=3, cols=1, shared_xaxes=True, vertical_spacing=0.08,
                           subplot_titles=[t("attn.mech.scores", lang, d=mech.head_dim), t("attn.mech.mask", lang),
                                           t("attn.mech.softmax", lang)])
    figure.add_trace(go.Bar(x=x, y=np.where(masked, np.nan, scores), marker_color="rgb(49,130,189)",
                            hovertemplate="%{y:.3f}<extra></extra>", name=""), row=1, col=1)
    figure.add_trace(go.Bar(x=x, y=np.where(masked, scores, np.nan), marker_color=MASKED_COLOUR,
                            hovertemplate="%{y:.3f} → −∞<extra></extra>", name=""), row=1, col=1)
    figure.add_trace(go.Bar(x=x, y=masked.astype(float), marker_color="rgb(120,120,128)",
                            text=["−∞" if m else "0" for m in masked], textposition="outside",
                            hoverinfo="skip", name=""), row=2, col=1)
    figure.add_trace(go.Bar(x=x, y=weights, marker_color="rgb(244,109,67)", text=[f"{w:.2f}" for w in weights],
                            textposition="outside", hovertemplate="%{y:.4f}<extra></extra>", name=""), row=3, col=1)
    figure.update_xaxes(**_axis(keys), row=3, col=1)
    figure.update_yaxes(visible=False, row=2, col=1)
    figure.update_yaxes(range=[0, 1.2], row=3, col=1)
    figure.update_layout(showlegend=False, height=430, margin={"l": 10, "r": 10, "t": 40, "b": 10},
                         plot_bgcolor="white", bargap=0.25)
    return figure


def mechanism_markdown(mech: Mechanism, *, lang: str = "en") -> str:
    ok = mech.max_difference <= 1e-5
    return t("attn.mech.check_ok" if ok else "attn.mech.check_bad", lang, delta=f"{mech.max_difference:.1e}",
             head=mech.head + 1, layer=mech.layer + 1, step=mech.step + 1)


UNSURE = 0.9  # a character written with less probability than this is named as a doubt


def result_markdown(reading: DateReading, *, lang: str = "en") -> str:
    """The output, whether it exists on the calendar (which says nothing of whether it is right), how sure the
    network was of its least sure character and what it nearly wrote instead, and the characters it could not
    read."""
    verdict = "attn.valid" if reading.is_valid_date else "attn.invalid"
    lines = [t(verdict, lang, output=reading.output or "∅")]  # the model's own alphabet: digits and "-"
    step = min(range(len(reading.confidence)), key=reading.confidence.__getitem__)
    if reading.confidence[step] < UNSURE:
        others = ", ".join(f"`{_shown(token)}` {p:.0%}" for token, p in reading.alternatives[step][1:])
        lines.append(t("attn.unsure", lang, position=step + 1, token=_shown(reading.output_tokens[step]),
                       p=f"{reading.confidence[step]:.0%}", others=others))
    else:
        lines.append(t("attn.sure", lang, p=f"{min(math.floor(min(reading.confidence) * 100), 99)}%"))
    if reading.unknown:
        lines.append(t("attn.unknown_note", lang, chars=" ".join(reading.unknown)))
    return "\n\n".join(lines)


def date_page(view: DateView, *, lang: str = "en") -> tuple:
    """Everything the date view shows, in the order of its outputs: the verdict, the output with the step
    underlined, the encoder, decoder and cross-attention maps, the source lit by the step, and the mechanism
    (figure and check)."""
    reading = view.reading
    head = t("attn.head.average", lang) if view.head is None else view.head + 1
    figures = [attention_figure(reading, kind, view.maps[kind], lang=lang,
                                title=t(f"attn.title.{kind}", lang, layer=view.layer + 1, head=head))
               for kind in KINDS]
    check = mechanism_markdown(view.mechanism, lang=lang)
    if view.head is None:
        check += "\n\n" + t("attn.mech.average_note", lang)
    return (result_markdown(reading, lang=lang), output_html(reading, view.step, lang=lang), *figures,
            lit_source_html(reading, view.step, view.lit, lang=lang), mechanism_figure(view.mechanism, lang=lang),
            check)


# --- ViT --------------------------------------------------------------------------------------------------


def patches_picture(seen: Image.Image, grid: int, *, side: int = 256) -> np.ndarray:
    """The picture the network saw, enlarged, with the patch borders drawn: (side', side', 3) uint8."""
    factor = max(1, side // seen.width)
    picture = np.asarray(seen.convert("RGB").resize((seen.width * factor, seen.height * factor), Image.NEAREST))
    picture = picture.copy()
    step = picture.shape[0] / grid
    for index in range(1, grid):
        edge = int(round(index * step))
        picture[max(0, edge - 1) : edge + 1, :] = GRID_COLOUR
        picture[:, max(0, edge - 1) : edge + 1] = GRID_COLOUR
    return picture


def map_on_picture(seen: Image.Image, grid_map: Tensor, *, opacity: float = 0.6) -> np.ndarray:
    """A (grid, grid) map of patch weights over the picture, each patch one colour."""
    values = grid_map.double().numpy()
    factor = seen.width // values.shape[0]
    heat = np.kron(values, np.ones((factor, factor)))
    if heat.shape[0] != seen.height:  # the patches do not tile the picture exactly (not for these networks)
        heat = np.asarray(Image.fromarray(values.astype(np.float32)).resize(seen.size, Image.NEAREST))
    picture, _ = overlay(seen, heat, sign="positive", opacity=opacity, clip_percentile=100.0)
    return picture


def cls_grid_figure(reading: VitReading, *, lang: str = "en", max_layers: int = 12) -> go.Figure:
    """Small multiples: one row per layer, one column per head plus the head average and the rollout so far;
    each cell is CLS's attention over the patches (rows of CLS sum to 1 with CLS itself; CLS's own share is
    left out of the picture)."""
    layers = min(len(reading.attention), max_layers)
    heads = reading.attention[0].shape[0]
    rolled = rollout(reading.attention[:layers], keep_steps=True)
    titles = [*(t("attn.vit.head", lang, head=h + 1) for h in range(heads)), t("attn.vit.average", lang),
              t("attn.vit.rollout", lang)]
    figure = make_subplots(rows=layers, cols=heads + 2, horizontal_spacing=0.01, vertical_spacing=0.02,
                           column_titles=titles, row_titles=[t("attn.vit.layer", lang, layer=i + 1)
                                                             for i in range(layers)])
    g = reading.grid
    for layer in range(layers):
        cells = [*(reading.cls_map(layer, h) for h in range(heads)), reading.cls_map(layer, None),
                 rolled[layer][0, 1:].reshape(g, g)]
        for column, cell in enumerate(cells):
            values = cell.double().numpy()
            figure.add_trace(go.Heatmap(z=values, colorscale=HEAT, showscale=False, zmin=0,
                                        zmax=max(float(values.max()), 1e-9),
                                        hovertemplate=t("attn.vit.hover", lang) + "<extra></extra>"),
                             row=layer + 1, col=column + 1)
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False, autorange="reversed", scaleanchor=None)
    figure.update_annotations(font_size=11)
    cell = min(170, 1300 // (heads + 2))  # pixels per map: about square on a wide page
    figure.update_layout(height=min(1900, 60 + cell * layers), margin={"l": 10, "r": 30, "t": 40, "b": 10},
                         plot_bgcolor="white")
    return figure


def top_predictions_markdown(predictions, *, lang: str = "en") -> str:
    rows = "\n".join(f"| {p.label} | {p.probability:.1%} |" for p in predictions)
    return f"| {t('attn.vit.class', lang)} | p |\n|---|---|\n{rows}"


def vit_summary_markdown(view: VitView, *, lang: str = "en") -> str:
    """How the picture became patches, which map is shown, the notes on reading the file, and the rollout's check."""
    reading = view.reading
    steps = steps_line(view.network.label, "attn.vit.steps", view.prepared.steps, lang=lang, grid=reading.grid,
                       patch=reading.patch, tokens=reading.grid**2 + 1)
    if view.view == "rollout" or view.head is None:
        head = t("attn.vit.average", lang)
    else:
        head = t("attn.vit.head", lang, head=view.head + 1)
    shown = t("attn.vit.shown", lang, view=t(f"attn.vit.view.{view.view}", lang), layer=view.layer + 1, head=head)
    if view.view == "rollout":
        check = t("attn.vit.check", lang, delta=f"{view.rollout_error:.1e}", layers=len(reading.attention))
    else:  # the check of what is shown: this layer's CLS row, not the rollout
        check = t("attn.vit.check_cls", lang, layer=view.layer + 1, head=head, tokens=reading.grid**2 + 1,
                  delta=f"{view.cls_row_error:.1e}", cls=f"{view.cls_self:.1%}")
    return "\n".join([steps, "", shown, *note_lines(view.loaded.notes, lang=lang), "", check])


def vit_page(view: VitView, *, lang: str = "en") -> tuple:
    """Everything the ViT view shows, in the order of its outputs: the patches, the map over the picture, the
    predictions, the summary and the CLS maps of every layer and head."""
    seen = view.prepared.seen
    return (patches_picture(seen, view.reading.grid), map_on_picture(seen, view.grid_map, opacity=view.opacity),
            top_predictions_markdown(view.predictions, lang=lang), vit_summary_markdown(view, lang=lang),
            cls_grid_figure(view.reading, lang=lang))
