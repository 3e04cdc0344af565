"""Small Gradio component variants the app needs: pictures handed over undecoded, numbers whose range and
choices whose names the lesson checks."""

from __future__ import annotations

import math
from typing import Any

import gradio as gr


def _rounded_or_nan(payload: Any, precision: int | None) -> float | int:
    """What a client sent as a number, rounded as the control rounds; anything else becomes NaN. Every lesson
    refuses a non-finite number with its message (a list or an object sent as a number made Gradio fail with a
    traceback in its log)."""
    if not isinstance(payload, (int, float)):
        return math.nan
    if not math.isfinite(payload):  # NaN and ±inf cannot be rounded to a whole number: the lesson refuses them
        return payload
    return gr.Number.round_to_precision(payload, precision)


def _scalar(payload: Any) -> str | int | float:
    """A choice sent as a list or an object becomes its text, which the lesson refuses as an unknown name."""
    return payload if isinstance(payload, (str, int, float)) else str(payload)[:100]


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
        if payload is None:
            return None
        return _rounded_or_nan(payload, self.precision)


class LessonSlider(gr.Slider):
    """``gr.Slider`` whose range is checked by the lesson, not by Gradio's preprocessing (see ``LessonNumber``):
    a value typed into the slider's box beyond its end gets the lesson's message."""

    def get_block_name(self) -> str:
        return "slider"

    def preprocess(self, payload: float) -> float:
        return _rounded_or_nan(payload, self.precision)


class _NamesTheLessonChecks:
    """Choices (``type="value"``) handed to the handler as sent: Gradio's own check refuses a name that is not
    among them with "Value: '…' (type: <class 'str'>) is not in the list of choices: […]" — English, cut short in
    the toast, naming no control, and echoing the value as HTML (a name holding ``<img src=…>`` showed a
    third-party picture). Every lesson checks the names it is given (``InputError`` in the learner's language)."""

    def preprocess(self, payload: Any) -> Any:
        if not self.takes_several:
            return None if payload is None else _scalar(payload)
        if payload is None:
            return []
        return [_scalar(item) for item in payload] if isinstance(payload, list) else [_scalar(payload)]

    @property
    def takes_several(self) -> bool:
        return isinstance(self, gr.CheckboxGroup) or bool(getattr(self, "multiselect", False))


class LessonRadio(_NamesTheLessonChecks, gr.Radio):
    def get_block_name(self) -> str:
        return "radio"


class LessonDropdown(_NamesTheLessonChecks, gr.Dropdown):
    def get_block_name(self) -> str:
        return "dropdown"


class LessonCheckboxGroup(_NamesTheLessonChecks, gr.CheckboxGroup):
    """``gr.CheckboxGroup`` whose ticked names the lesson reads as they are, including names that are not (or no
    longer) among its choices.

    The segmentation tab's class toggles change their choices with the network; a view that starts while the
    other network's names are still ticked in the page was refused by Gradio ("Value: 'aeroplane' (type: <class
    'str'>) is not in the list of choices", English and cut short) before any handler, and the tab stayed broken.
    The lesson already treats names it does not know as "every class". ``type="value"`` only.
    """

    def get_block_name(self) -> str:
        return "checkboxgroup"
