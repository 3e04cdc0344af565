"""What every tab's ``build(ctx)`` receives, and ``ctx.live``: one line that wires a view to its controls.

Views are computed when their tab is on screen, not at page load: each tab has a *stamp*, a ``gr.State``
holding the session (language, device) the tab was last drawn for. The app sets the stamp of the tab on screen
when the page opens, when the learner opens a tab, and when the language or device changes; a stamp that
changes redraws its tab's views (``ctx.live``, ``ctx.on_open``). A page load thus computes one tab, not nine,
and a language switch redraws the tab the learner looks at; the others are redrawn when opened.

``show_progress_on_pictures(demo)`` keeps every event's progress animation on the pictures it draws (below).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import gradio as gr
from gradio.blocks import BlockFunction

from playground.ui.common import browser
from playground.ui.common.errors import ui_errors
from playground.ui.common.repeats import reuse_repeats
from playground.ui.common.translate import Translator


@dataclass
class AppContext:
    """Handed to every tab's ``build``: the app, the translator and the per-session state components."""

    demo: gr.Blocks
    tr: Translator
    session: gr.State
    trained: gr.State  # {name: {"state_dict", "accuracy", "epochs"}}: networks this learner trained
    stamp: gr.State | None = None  # the tab being built: the session it was last drawn for (set by build_app)

    def live(self, fn: Callable[..., Any], controls: list[Any], outputs: list[Any], *, api_name: str,
             examples: gr.Examples | None = None, also_read: list[Any] = (), gpu: bool = False,
             **event_options: Any) -> Any:
        """Recompute ``fn(*controls, *also_read, session)`` when a control changes, or when the tab comes on
        screen for the first time or after the learner switched language or device (module docstring). ``also_read`` are
        inputs that do not trigger a recomputation themselves (e.g. the learner's trained networks). ``gpu``: the
        view runs a network (see ``ui_errors``).

        Text boxes recompute on Enter or when the learner leaves the box, not on every keystroke (a
        half-typed "3, -" is not an error worth a message); a clicked example recomputes at once.
        """
        handler = ui_errors(fn, gpu=gpu)
        if not inspect.isgeneratorfunction(fn):
            handler = reuse_repeats(handler)
        inputs = [*controls, *also_read, self.session]
        triggers = [self.stamp.change]
        for control in controls:
            triggers += [control.submit, control.blur] if isinstance(control, gr.Textbox) else [control.change]
        event = gr.on(triggers, handler, inputs=inputs, outputs=outputs, api_name=api_name,
                      trigger_mode="always_last", **event_options)
        follow_staleness(event, outputs)
        if examples is not None:
            examples.load_input_event.then(handler, inputs, outputs, api_name=f"{api_name}_example",
                                           api_visibility="private")
        return event

    def on_open(self, fn: Callable[..., Any], inputs: list[Any], outputs: list[Any], **event_options: Any) -> Any:
        """Run ``fn(*inputs, session)`` when the tab comes on screen for the first time, or again after the
        learner switched language or device: for a tab whose pictures are not a ``live`` view of its controls."""
        return self.stamp.change(ui_errors(fn), [*inputs, self.session], outputs, **event_options)


# Controls a view also updates (the enlarged layer's dropdown, its first channel): the learner's own settings, not
# a result; labelled "last good result", the label covered their names.
CONTROLS = (gr.Dropdown, gr.Number, gr.Slider, gr.Radio, gr.Checkbox, gr.CheckboxGroup, gr.Textbox, gr.Button)


def shown_ids(outputs: list[Any]) -> list[str]:
    """The element ids of the results a learner sees among ``outputs``: not States (nothing on the page), not the
    controls a view updates (unless they only display, ``interactive=False``)."""
    return [block.elem_id for block in outputs
            if not isinstance(block, gr.State) and getattr(block, "elem_id", None)
            and not (isinstance(block, CONTROLS) and block.interactive is not False)]


def follow_staleness(event: Any, outputs: list[Any]) -> None:
    """When ``event`` fails, its outputs keep the last good result (the CSS hides Gradio's error badge) and are
    labelled as such; when it succeeds, they show the current input again. In the browser only: no request."""
    ids = shown_ids(outputs)
    if ids:
        event.failure(None, js=browser.mark_stale(ids, "failed"), api_visibility="private")
        event.success(None, js=browser.clear_stale(ids), api_visibility="private")


def stale_on_change(inputs: list[Any], event: Any, outputs: list[Any]) -> None:
    """A panel computed on a button press (``event``) is labelled stale as soon as one of its inputs changes, and
    fresh again when the button's computation succeeds."""
    ids = shown_ids(outputs)
    if ids:
        triggers = [block.change for block in inputs if not isinstance(block, gr.State)]
        gr.on(triggers, None, js=browser.mark_stale(ids, "changed"), api_visibility="private")
        follow_staleness(event, outputs)


PICTURES = (gr.Plot, gr.Image, gr.Gallery, gr.AnnotatedImage, gr.Label)  # a Label: the predictions' bars


def show_progress_on_pictures(demo: gr.Blocks) -> None:
    """Every event whose ``show_progress_on`` is not set shows its progress (and an error's badge) on the
    pictures among its outputs; an event that draws none, on its visible outputs (none when all are States).

    Why: Gradio 6's page refreshes the progress state of *every* component any event has ever shown progress
    on, at every status change of every event (queued, running, each streamed frame, done), and finds each one
    by a search of the whole layout (~520 components). With all outputs as targets (the default), the
    components relabelled by a language switch and the 33 restored by the MLP tab stayed in that set, and each
    status change of a later event cost the page ~0.1 s: 7 s of CPU in Chromium before a page's first figure.
    Pictures are where a learner waits; a Markdown check or a slider restored by Load need no spinner."""
    for fn in demo.fns.values():
        if fn.show_progress_on is None:
            fn.show_progress_on = progress_targets(fn)


def progress_targets(fn: BlockFunction) -> list[Any]:
    pictures = [block for block in fn.outputs if isinstance(block, PICTURES)]
    return pictures or [block for block in fn.outputs if not isinstance(block, gr.State)]
