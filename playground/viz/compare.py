"""The comparison of all eight networks as a table a learner reads across: numbers, first and last feature maps,
Grad-CAM. An HTML table (pictures inline) for the page and plain rows for the API / a sortable Dataframe."""

from __future__ import annotations

import base64
import html
import io

import numpy as np
from PIL import Image

from playground.i18n import t
from playground.lessons.compare import LATENCY_REPEATS, NetworkRow, busy_while_timing
from playground.viz.attribution import overlay
from playground.viz.feature_maps import layer_tile

THUMBNAIL = 148  # pixels: the side of each picture in the table

COLUMNS = ("cmp.col.network", "cmp.col.prediction", "cmp.col.confidence", "cmp.col.params", "cmp.col.macs",
           "cmp.col.latency")


def _data_uri(picture: np.ndarray) -> str:
    image = Image.fromarray(picture)
    if max(image.size) > THUMBNAIL:
        image.thumbnail((THUMBNAIL, THUMBNAIL), Image.BOX)
    else:  # small tiles: enlarge without blurring the cells
        factor = max(1, THUMBNAIL // max(image.size))
        image = image.resize((image.width * factor, image.height * factor), Image.NEAREST)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=88)
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _img(picture: np.ndarray | None, alt: str) -> str:
    if picture is None:
        return "—"
    return (f'<img src="{_data_uri(picture)}" alt="{html.escape(alt)}" title="{html.escape(alt)}" '
            f'style="width:{THUMBNAIL}px;height:auto;image-rendering:pixelated">')


def table_rows(rows: list[NetworkRow], lang: str = "en") -> dict[str, list]:
    """{"headers", "data"} for gr.Dataframe: one row per network (missing ones say why)."""
    data = []
    for row in rows:
        if row.prediction is None:
            data.append([row.label, t(row.missing, lang), None, None, None, None])
        else:
            data.append([row.label, row.prediction.label, round(row.prediction.probability, 4), row.params, row.macs,
                         round(row.latency_ms, 2)])
    return {"headers": [t(key, lang) for key in COLUMNS], "data": data}


def comparison_html(rows: list[NetworkRow], lang: str = "en") -> str:
    """One column per network; rows: numbers, the picture it saw, first and last maps, Grad-CAM."""
    head = "".join(f"<th>{html.escape(row.label)}</th>" for row in rows)
    lines = [("cmp.row.prediction", lambda r: f"<b>{html.escape(r.prediction.label)}</b> · "
                                              f"{r.prediction.probability:.1%}"),
             ("cmp.row.params", lambda r: f"{r.params:,}"),
             ("cmp.row.macs", lambda r: f"{r.macs / 1e6:,.1f} M"),
             ("cmp.row.latency", lambda r: f"{r.latency_ms:.2f} ms<br><small>{r.latency_spread_ms[0]:.2f}–"
                                           f"{r.latency_spread_ms[1]:.2f}</small>"),
             ("cmp.row.seen", lambda r: _img(np.asarray(r.prepared.seen), t("cmp.row.seen", lang))),
             ("cmp.row.first", lambda r: _img(layer_tile(r.first[1], layer_peak=r.first[0].peak, channels=9),
                                              r.first[0].name) if r.first else "—"),
             ("cmp.row.last", lambda r: _img(layer_tile(r.last[1], layer_peak=r.last[0].peak, channels=9),
                                             r.last[0].name) if r.last else "—"),
             ("cmp.row.cam", lambda r: _img(overlay(r.prepared.seen, r.cam.heat, sign="positive", opacity=0.75)[0],
                                            f"Grad-CAM · {r.cam.layer}") if r.cam is not None else "—")]
    body = []
    for key, cell in lines:
        cells = "".join(f"<td>{cell(row)}</td>" if row.prediction is not None else
                        f"<td>{html.escape(t(row.missing, lang)) if key == lines[0][0] else ''}</td>" for row in rows)
        body.append(f"<tr><th>{html.escape(t(key, lang))}</th>{cells}</tr>")
    key = "cmp.latency_busy" if busy_while_timing(rows) else "cmp.latency_note"
    note = f'<p class="compare-note">{html.escape(t(key, lang, passes=LATENCY_REPEATS))}</p>'
    return (f'<div class="compare-scroll"><table class="compare"><thead><tr><th></th>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table></div>{note}")
