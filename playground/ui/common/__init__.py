"""What every tab shares, one concern per module:

* ``errors``     — ``ui_errors``: a failed handler becomes a message in the learner's language, never a traceback;
* ``sessions``   — the per-session state (language, device), ``SessionRuns`` (each learner's background run) and
  ``forget_closed_sessions`` (a closed page's server memory given back);
* ``repeats``    — ``reuse_repeats``: one upload, one computation;
* ``translate``  — ``Translator`` (``ctx.tr``): components registered by i18n key, relabelled by the header;
* ``context``    — ``AppContext`` and ``ctx.live``, which wires a view to its controls in one line; a picture that
  no longer shows the learner's input is labelled so (``follow_staleness``, ``stale_on_change``);
* ``widgets``    — the learner's picture with its sketchpad, animated plots, the code panel;
* ``components`` — ``RawImage``/``RawSketchpad``: Gradio components that hand files over undecoded;
  ``LessonNumber``/``LessonSlider``/``LessonRadio``/``LessonDropdown``/``LessonCheckboxGroup``: controls whose
  values the lesson checks;
* ``files``      — downloads, drawings and gallery pictures, written into Gradio's cache (cleaned by it);
* ``browser``    — every JavaScript program the app runs in the page.

A tab imports what it needs from here: ``from playground.ui.common import AppContext, code_panel, session_lang``.
"""

from playground.ui.common.components import (
    LessonCheckboxGroup,
    LessonDropdown,
    LessonNumber,
    LessonRadio,
    LessonSlider,
)
from playground.ui.common.context import AppContext, follow_staleness, stale_on_change
from playground.ui.common.errors import ui_errors
from playground.ui.common.files import EXAMPLES, cache_file, jpeg_gallery
from playground.ui.common.repeats import reuse_repeats
from playground.ui.common.sessions import (
    SessionRuns,
    forget_closed_sessions,
    new_session,
    session_device,
    session_key,
    session_lang,
)
from playground.ui.common.translate import Translator
from playground.ui.common.widgets import WIDE, animate, code_panel, picture_input

__all__ = ["EXAMPLES", "WIDE", "AppContext", "LessonCheckboxGroup", "LessonDropdown", "LessonNumber", "LessonRadio",
           "LessonSlider", "SessionRuns", "Translator", "animate", "cache_file", "code_panel", "follow_staleness",
           "forget_closed_sessions", "jpeg_gallery", "new_session", "picture_input", "reuse_repeats",
           "session_device", "session_key", "session_lang", "stale_on_change", "ui_errors"]
