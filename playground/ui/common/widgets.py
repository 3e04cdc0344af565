"""Pieces of layout several tabs share: the learner's picture (upload, webcam, examples, sketchpad), an animated
plot, and the code panel that shows the source of what runs."""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import gradio as gr
import numpy as np

from playground.errors import InputError
from playground.lessons.images import open_image, sketch_to_image
from playground.ui.common import browser
from playground.ui.common.components import RawImage, RawSketchpad
from playground.ui.common.context import AppContext
from playground.ui.common.errors import ui_errors
from playground.ui.common.files import png_file

# A figure of side-by-side panels: on a phone it keeps the width its panels need and scrolls sideways
# (assets/playground.css, .wide-figure).
WIDE = ["wide-figure"]


def code_panel(ctx: AppContext, *objects: Any) -> gr.Code:
    """A collapsed panel with the source of the functions/classes that compute this tab."""
    source = "\n\n".join(inspect.getsource(obj) for obj in objects)
    with ctx.tr(gr.Accordion(open=False), "common.code"):
        return gr.Code(source, language="python", interactive=False, show_label=False)


def animate(plot: gr.Plot, *also_on: Any) -> None:
    """Make a plotly animation (frames + Play + slider) work inside ``plot`` (which needs an elem_id).

    ``also_on`` are extra triggers, e.g. the tab's ``select``: a plot in a hidden tab mounts later.
    """
    js = browser.PLOT_FRAMES % plot.elem_id
    for trigger in (plot.change, *also_on):
        trigger(None, plot, None, js=js)


# --- the learner's picture: upload, webcam, clipboard, examples or a drawing --------------------------------


def on_sketch(sketch: dict | None) -> str:
    """The sketchpad drawing becomes the picture (saved as a PNG file like any upload). The drawing arrives
    undecoded (``RawSketchpad``) and is read like any upload, so a damaged file sent as a drawing gets a message."""
    composite = (sketch or {}).get("composite")
    if composite is None:
        raise InputError("img.err.empty_sketch")
    drawing = sketch_to_image(np.asarray(open_image(composite).image))
    return png_file(drawing, "drawing.png")


def picture_input(ctx: AppContext, prefix: str, *, default: Path, examples: Iterable[Path], examples_per_page: int,
                  brush_size: int, api_name: str | None = None) -> gr.Image:
    """The picture a tab works on (its file path, read by ``lessons.images.open_image``), with the examples and
    a sketchpad whose "use my drawing" button puts the drawing in it. Labels are ``{prefix}.image``,
    ``{prefix}.draw`` and ``{prefix}.use_drawing``; element ids start with ``{prefix}-``."""
    image = ctx.tr(RawImage(value=str(default), type="filepath", image_mode=None,
                            sources=["upload", "webcam", "clipboard"], height=240, elem_id=f"{prefix}-image"),
                   f"{prefix}.image")
    shown = gr.Examples([[str(path)] for path in examples], inputs=[image], examples_per_page=examples_per_page)
    ctx.tr(shown.dataset, "common.examples", headers=[f"{prefix}.image"])
    with ctx.tr(gr.Accordion(open=False, elem_id=f"{prefix}-draw"), f"{prefix}.draw") as draw:
        sketch = RawSketchpad(canvas_size=(280, 280), fixed_canvas=True, layers=False,
                              brush=gr.Brush(default_size=brush_size, colors=["#000000"], color_mode="fixed"),
                              elem_id=f"{prefix}-sketch", show_label=False)
        use_drawing = ctx.tr(gr.Button(elem_id=f"{prefix}-use-drawing"), f"{prefix}.use_drawing")
    exposed = {"api_name": api_name} if api_name else {"api_visibility": "private"}
    use_drawing.click(ui_errors(on_sketch), sketch, image, **exposed)
    draw.expand(None, None, None, js=browser.PICK_BRUSH % f"{prefix}-sketch")
    return image
