"""Small Gradio component variants the app needs: pictures handed over undecoded, numbers whose range and
choices whose names the lesson checks."""

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


class LessonNumber(gr.Number):
    """``gr.Number`` whose range is checked by the lesson, not by Gradio's preprocessing.

    Gradio refuses a value outside ``minimum``/``maximum`` before any handler runs, with "Value 80 is greater than
    maximum value 50.0." in English whatever the learner's language, naming no control. Every lesson checks its
    own arguments (an ``InputError`` in the learner's language that names the control), for API callers too; here
    the value only gets the component's rounding. The browser side is the ordinary number box, bounds included.
    """

    def get_block_name(self) -> str:
        return "number"

    def preprocess(self, payload: float | None) -> float | int | None:
        return None if payload is None else self.round_to_precision(payload, self.precision)


class LessonSlider(gr.Slider):
    """``gr.Slider`` whose range is checked by the lesson, not by Gradio's preprocessing (see ``LessonNumber``):
    a value typed into the slider's box beyond its end gets the lesson's message."""

    def get_block_name(self) -> str:
        return "slider"

    def preprocess(self, payload: float) -> float:
        return gr.Number.round_to_precision(payload, self.precision)


class LessonCheckboxGroup(gr.CheckboxGroup):
    """``gr.CheckboxGroup`` whose ticked names the lesson reads as they are, including names that are not (or no
    longer) among its choices.

    The segmentation tab's class toggles change their choices with the network; a view that starts while the
    other network's names are still ticked in the page was refused by Gradio ("Value: 'aeroplane' (type: <class
    'str'>) is not in the list of choices", English and cut short) before any handler, and the tab stayed broken.
    The lesson already treats names it does not know as "every class". ``type="value"`` only.
    """

    def get_block_name(self) -> str:
        return "checkboxgroup"

    def preprocess(self, payload: list[str | int | float]) -> list[str | int | float]:
        return list(payload)
