"""Small Gradio component variants the app needs."""

from __future__ import annotations

from typing import Any

import gradio as gr


class RawImage(gr.Image):
    """``gr.Image`` that hands the handler the uploaded file's path *without decoding it*.

    ``gr.Image`` opens every upload with PIL before the handler runs, so a damaged file, a text file renamed
    .png or a decompression bomb fails inside Gradio with a generic message. Here
    ``playground.lessons.images.open_image`` decodes it, with size checks first and a message for each case.
    The browser side is the ordinary image component.
    """

    def get_block_name(self) -> str:
        return "image"

    def preprocess(self, payload: Any) -> str | None:
        if payload is None:
            return None
        if getattr(payload, "url", None) and payload.url.startswith("data:"):
            return super().preprocess(payload)  # pasted/webcam data URLs: Gradio writes them to a file
        return payload.path


class RawSketchpad(gr.Sketchpad):
    """``gr.Sketchpad`` that hands the handler the drawing *without decoding it*: ``{"composite": ...}`` holding
    the file's path (an API call) or the PNG bytes the browser sent, or None.

    ``gr.ImageEditor`` decodes every layer with PIL before the handler runs, so an API call sending a damaged file
    or a decompression bomb as the "drawing" failed inside Gradio with a generic message (found by the hostile-file
    corpus). Here ``playground.lessons.images.open_image`` decodes it, with size checks first and a message each.
    """

    def get_block_name(self) -> str:
        return "imageeditor"

    def preprocess(self, payload: Any) -> dict[str, Any] | None:
        if payload is None:
            return None
        source = self.blob_storage.pop(payload.id, None) if payload.id is not None else payload
        composite = getattr(source, "composite", None)
        return {"composite": getattr(composite, "path", composite)}
