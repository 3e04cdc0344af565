"""What every tab shares: the per-session state, translated components, and readable errors.

A tab module only lays out components and wires them to lessons and figure builders. Three helpers
keep that short:

* ``Translator`` (``ctx.tr``) registers a component with an i18n key, so the header's language switch
  can relabel every tab at once;
* ``ui_errors`` turns an :class:`~playground.errors.InputError` into a ``gr.Error`` in the learner's
  language, and any other failure into a short message (the traceback goes to the server log only);
* ``code_panel`` shows the source of the very function or class that runs.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import io
import logging
import os
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import gradio as gr
import numpy as np
from gradio.utils import get_upload_folder
from PIL import Image

from playground.errors import InputError
from playground.i18n import DEFAULT_LANG, has, normalize_lang, t
from playground.lessons.images import open_image, sketch_to_image
from playground.runtime import default_device, on_gpu
from playground.ui.components import RawImage, RawSketchpad

log = logging.getLogger("playground")


def new_session() -> dict[str, str]:
    """The per-session state: the learner's language and device (a plain dict, so gr.State can copy it)."""
    return {"lang": DEFAULT_LANG, "device": default_device()}


def session_lang(session: Mapping[str, str] | None) -> str:
    return normalize_lang((session or {}).get("lang"))


def session_device(session: Mapping[str, str] | None) -> str:
    return (session or {}).get("device") or default_device()


def _lang_of_call(args: tuple[Any, ...]) -> str:
    """Handlers take the session dict as an argument (the last one but for gr.Progress/gr.Request)."""
    for arg in reversed(args):
        if isinstance(arg, Mapping) and "lang" in arg:
            return session_lang(arg)
    return DEFAULT_LANG


def _as_gr_error(err: Exception, lang: str) -> gr.Error:
    title = t("common.error_title", lang)
    if isinstance(err, InputError):
        return gr.Error(err.message(lang), title=title, print_exception=False)
    log.exception("handler failed")
    return gr.Error(t("common.err.internal", lang), title=title, print_exception=False)


def ui_errors(fn: Callable[..., Any], *, gpu: bool = False) -> Callable[..., Any]:
    """Wrap an event handler so that no traceback ever reaches the learner (generators included).

    ``gpu=True`` marks a handler that runs a network: on a ZeroGPU Space it runs under ``spaces.GPU``
    (``playground.runtime.on_gpu``). Its errors are turned into messages inside the lent GPU's process too, so
    what crosses back is a ``gr.Error``, never an exception of ours that would have to survive pickling.
    """
    if gpu:
        fn = on_gpu(ui_errors(fn))
    if inspect.isgeneratorfunction(fn):

        @functools.wraps(fn)
        def generator_wrapper(*args: Any, **kwargs: Any):
            try:
                yield from fn(*args, **kwargs)
            except gr.Error:
                raise
            except Exception as err:  # noqa: BLE001 - the edge of the app: every failure becomes a message
                raise _as_gr_error(err, _lang_of_call(args)) from None

        return generator_wrapper

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any):
        try:
            return fn(*args, **kwargs)
        except gr.Error:
            raise
        except Exception as err:  # noqa: BLE001
            raise _as_gr_error(err, _lang_of_call(args)) from None

    return wrapper


# A view called again by the same session with the same inputs within this many seconds gets the same answer again.
REPEAT_WINDOW_SECONDS = 2.0
# (id of the session, view) → (inputs, when, result), oldest first
_RECENT: OrderedDict[tuple[int, str], tuple[Any, float, Any]] = OrderedDict()
_RECENT_LOCK = threading.Lock()


def _fingerprint(value: Any) -> Any:
    """A comparable summary of a handler's inputs: plain values as they are, anything else by identity (a learner's
    trained weights are the same object until they train again); the session's private "_" keys are left out."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, Mapping):
        return tuple(sorted(((str(k), _fingerprint(v)) for k, v in value.items() if not str(k).startswith("_"))))
    if isinstance(value, (list, tuple)):
        return tuple(_fingerprint(v) for v in value)
    return ("object", id(value))


def _fresh(result: Any) -> Any:
    """The result to hand out again: its dicts (gr.update) copied, in case Gradio's postprocessing changes them."""
    if isinstance(result, tuple):
        return tuple(dict(r) if isinstance(r, dict) else r for r in result)
    return dict(result) if isinstance(result, dict) else result


def reuse_repeats(fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` (a view) that answers a call with the result of the same session's previous call when the inputs are
    the same and that call succeeded less than ``REPEAT_WINDOW_SECONDS`` ago, instead of computing it again.

    Gradio's image component reports one upload as two changes with the same file, 30 ms apart (Chromium; Gradio
    issue 4589), and with ``trigger_mode="always_last"`` the second waited for the first and ran the whole view
    again. The answer is the same either way (views are deterministic), so an API caller sees no difference. Only
    the calls of the last few seconds are kept.
    """

    @functools.wraps(fn)
    def reusing(*args: Any, **kwargs: Any):
        session = next((a for a in reversed(args) if isinstance(a, Mapping) and "lang" in a), None)
        if session is None:
            return fn(*args, **kwargs)
        key = (id(session), fn.__qualname__)
        inputs = _fingerprint([a for a in args if not isinstance(a, (gr.Progress, gr.Request))])
        with _RECENT_LOCK:
            recent = _RECENT.get(key)
        if recent is not None and recent[0] == inputs and time.monotonic() - recent[1] < REPEAT_WINDOW_SECONDS:
            return _fresh(recent[2])
        result = fn(*args, **kwargs)
        now = time.monotonic()
        with _RECENT_LOCK:
            _RECENT[key] = (inputs, now, result)
            _RECENT.move_to_end(key)
            while _RECENT and now - next(iter(_RECENT.values()))[1] >= REPEAT_WINDOW_SECONDS:
                _RECENT.popitem(last=False)  # oldest first: nothing older than the window is kept
        return _fresh(result)

    return reusing


def session_key(request: gr.Request | None) -> str:
    """Which learner a request comes from: the browser session, or "api" for a call without one."""
    return getattr(request, "session_hash", None) or "api"


class SessionRuns:
    """The background run of each learner (``lessons.background.BackgroundRun``), so that Stop and a closed page
    reach that learner's run only. One per learner: starting another stops the first."""

    def __init__(self) -> None:
        self._runs: dict[str, Any] = {}
        self._lock = threading.Lock()

    def start(self, request: gr.Request | None, start: Callable[[], Any]) -> Any:
        key = session_key(request)
        with self._lock:
            if key in self._runs:
                self._runs[key].stop()
            run = self._runs[key] = start()
        return run

    def finished(self, request: gr.Request | None, run: Any) -> None:
        """``run`` is over (or its stream was cancelled): stop it and forget it, unless a newer one replaced it."""
        run.stop()  # normally a no-op; if the event was cancelled, the thread ends at the next mini-batch
        with self._lock:
            if self._runs.get(session_key(request)) is run:
                del self._runs[session_key(request)]

    def stop(self, request: gr.Request | None) -> None:
        with self._lock:
            run = self._runs.get(session_key(request))
        if run is not None:
            run.stop()


# Which property of a component carries its text, when it is not ``label``.
_VALUE_TEXT = (gr.Button, gr.Markdown, gr.HTML, gr.DownloadButton)


@dataclass
class Translator:
    """Registers components with i18n keys; ``updates(lang)`` relabels all of them.

    ``ctx.tr(gr.Slider(0, 1, 0.1), "act.negative_slope")`` sets the English label now (and the info
    text, when ``"act.negative_slope.info"`` exists) and remembers the component for the language switch.
    ``choices`` maps each choice's value to the key of its display name; ``headers`` gives the column
    keys of a ``gr.Examples`` table (register ``examples.dataset``).
    """

    _items: list[tuple[Any, dict[str, Any]]] = field(default_factory=list)

    def __call__(self, component: Any, key: str, *, choices: Mapping[Any, str] | None = None,
                 headers: list[str] | None = None) -> Any:
        texts: dict[str, Any] = {}
        if isinstance(component, _VALUE_TEXT):
            texts["value"] = key
        else:
            texts["label"] = key
            for prop in ("info", "placeholder"):
                if has(f"{key}.{prop}"):
                    texts[prop] = f"{key}.{prop}"
        if choices is not None:
            texts["choices"] = dict(choices)
        if headers is not None:  # a gr.Examples table (its .dataset): column titles
            texts["headers"] = list(headers)
        for prop, value in self._resolve(texts, DEFAULT_LANG).items():
            if prop == "choices":
                component.choices = value
            else:
                setattr(component, prop, value)
        self._items.append((component, texts))
        return component

    @staticmethod
    def _resolve(texts: Mapping[str, Any], lang: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for prop, key in texts.items():
            if prop == "choices":
                out[prop] = [(t(k, lang) if k else str(value), value) for value, k in key.items()]
            elif prop == "headers":
                out[prop] = [t(k, lang) for k in key]
            else:
                out[prop] = t(key, lang)
        return out

    @property
    def components(self) -> list[Any]:
        return [component for component, _ in self._items]

    def updates(self, lang: str) -> list[Any]:
        return [gr.update(**self._resolve(texts, lang)) for _, texts in self._items]


@dataclass
class AppContext:
    """Handed to every tab's ``build``: the app, the translator and the per-session state components."""

    demo: gr.Blocks
    tr: Translator
    session: gr.State
    trained: gr.State  # {name: {"state_dict", "accuracy", "epochs"}}: networks this learner trained

    def live(self, fn: Callable[..., Any], controls: list[Any], outputs: list[Any], *, api_name: str,
             examples: gr.Examples | None = None, also_read: list[Any] = (), gpu: bool = False,
             **event_options: Any) -> Any:
        """Recompute ``fn(*controls, *also_read, session)`` when a control changes, the page loads, or the
        learner switches language or device (so figures are redrawn in the new language). ``also_read`` are
        inputs that do not trigger a recomputation themselves (e.g. the learner's trained networks). ``gpu``: the
        view runs a network (see ``ui_errors``).

        Text boxes recompute on Enter or when the learner leaves the box, not on every keystroke (a
        half-typed "3, -" is not an error worth a message); a clicked example recomputes at once.
        """
        handler = ui_errors(fn, gpu=gpu)
        if not inspect.isgeneratorfunction(fn):
            handler = reuse_repeats(handler)
        inputs = [*controls, *also_read, self.session]
        triggers = [self.demo.load, self.session.change]
        for control in controls:
            triggers += [control.submit, control.blur] if isinstance(control, gr.Textbox) else [control.change]
        event = gr.on(triggers, handler, inputs=inputs, outputs=outputs, api_name=api_name,
                      trigger_mode="always_last", **event_options)
        if examples is not None:
            examples.load_input_event.then(handler, inputs, outputs, api_name=f"{api_name}_example",
                                           api_visibility="private")
        return event


# Gradio 6's gr.Plot hands plotly only data and layout, dropping `frames`; this puts them back so the
# figure's Play button and slider animate. Runs in the browser after every new value of the plot.
_FRAMES_JS = """
async (value) => {
  if (!value || !value.plot) return;
  const fig = JSON.parse(value.plot);
  if (!fig.frames || !fig.frames.length) return;
  for (let i = 0; i < 100; i++) {  // wait until Gradio has drawn the new figure
    const gd = document.querySelector('#%s .js-plotly-plot');
    if (gd && gd._fullLayout && window.Plotly) {
      gd._transitionData._frames = [];
      gd._transitionData._frameHash = {};
      await window.Plotly.addFrames(gd, fig.frames);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
"""


def animate(plot: gr.Plot, *also_on: Any) -> None:
    """Make a plotly animation (frames + Play + slider) work inside ``plot`` (which needs an elem_id).

    ``also_on`` are extra triggers, e.g. the tab's ``select``: a plot in a hidden tab mounts later.
    """
    js = _FRAMES_JS % plot.elem_id
    for trigger in (plot.change, *also_on):
        trigger(None, plot, None, js=js)


def code_panel(ctx: AppContext, *objects: Any) -> gr.Code:
    """A collapsed panel with the source of the functions/classes that compute this tab."""
    source = "\n\n".join(inspect.getsource(obj) for obj in objects)
    with ctx.tr(gr.Accordion(open=False), "common.code"):
        return gr.Code(source, language="python", interactive=False, show_label=False)


# Gradio's sketchpad starts with no tool ("select the draw tool to start"): pick the brush when it opens.
_PICK_BRUSH_JS = """
async () => {
  for (let i = 0; i < 20; i++) {
    const brush = document.querySelector('#%s button[aria-label="Brush"]');
    if (brush) { brush.click(); return; }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
"""


def pick_brush_js(elem_id: str) -> str:
    """Browser code that selects the brush of the sketchpad ``elem_id`` (run it when its accordion opens)."""
    return _PICK_BRUSH_JS % elem_id


def jpeg_gallery(items: Iterable[tuple[np.ndarray, str]]) -> list[tuple[str, str]]:
    """(RGB uint8 picture, caption) pairs → (JPEG file in Gradio's cache, caption), for a ``gr.Gallery``.

    Given arrays, ``gr.Gallery`` encodes each picture on a thread pool; on the 2-core machine that took 50 ms for
    ResNet-18's 68 layer tiles, against 18 ms encoded one after another here (bench/feature_maps.py). Files are
    named by the hash of their bytes, as Gradio names its own, inside its cache, so it serves them without a copy.
    """
    folder = Path(get_upload_folder())
    files = []
    for picture, caption in items:
        buffer = io.BytesIO()
        Image.fromarray(picture).save(buffer, format="JPEG")
        data = buffer.getvalue()
        path = folder / hashlib.sha256(data).hexdigest() / "layer.jpeg"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            staging = path.with_name(f".{os.getpid()}-{id(buffer)}.jpeg")
            staging.write_bytes(data)
            os.replace(staging, path)  # a reader never sees half a file
        files.append((str(path), caption))
    return files


# --- the learner's picture: upload, webcam, clipboard, examples or a drawing --------------------------------

EXAMPLES = Path(__file__).resolve().parents[2] / "assets" / "examples"
_DRAWINGS = Path(tempfile.mkdtemp(prefix="playground-drawings-"))


def on_sketch(sketch: dict | None):
    """The sketchpad drawing becomes the picture (saved as a PNG file like any upload). The drawing arrives
    undecoded (``RawSketchpad``) and is read like any upload, so a damaged file sent as a drawing gets a message."""
    composite = (sketch or {}).get("composite")
    if composite is None:
        raise InputError("img.err.empty_sketch")
    drawing = sketch_to_image(np.asarray(open_image(composite).image))
    path = Path(tempfile.mkdtemp(dir=_DRAWINGS)) / "drawing.png"
    drawing.save(path)
    return str(path)


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
    draw.expand(None, None, None, js=pick_brush_js(f"{prefix}-sketch"))
    return image
