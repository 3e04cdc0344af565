"""The Gradio app: a header (title, language, device) and one tab per section of the primer.

``build_app()`` returns the Blocks without launching; ``launch_options()`` holds the safe defaults
(loopback unless on Spaces or asked, no share link, an upload limit, messages instead of tracebacks).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import gradio as gr
import torch
from starlette.middleware import Middleware

from playground import limits
from playground.i18n import DEFAULT_LANG, LANGS, normalize_lang, t
from playground.runtime import available_devices, describe_device, on_spaces
from playground.ui import (
    tab_activations,
    tab_attention,
    tab_conv,
    tab_features,
    tab_mlp,
    tab_recurrent,
    tab_segmentation,
    tab_training,
    tab_transfer,
)
from playground.ui.common import (
    AppContext,
    LessonDropdown,
    LessonRadio,
    Translator,
    browser,
    forget_closed_sessions,
    new_session,
    ui_errors,
)
from playground.ui.common.context import show_progress_on_pictures
from playground.ui.common.files import hand_uploads_to_sessions, managed_files
from playground.ui.common.server import (
    AssetCache,
    RequestLimits,
    limit_work_per_session,
    poll_queue_calmly,
    wrap_outermost,
)
from playground.ui.common.sessions import keep_sessions_lean

ASSETS = Path(__file__).resolve().parents[2] / "assets"
TABS = (tab_activations, tab_mlp, tab_training, tab_conv, tab_features, tab_transfer, tab_segmentation,
        tab_recurrent, tab_attention)  # the primer's order

def _device_note(session: dict[str, str]) -> str:
    return t("common.device_now", session["lang"], device=describe_device(session["device"], session["lang"]),
             torch=torch.__version__)


def _opener(tab_id: str):
    """The learner opened tab ``tab_id``: it is now the one on screen, and is drawn for the current session
    (once the page has opened: Gradio's tabs also fire this when they mount, before the page knows its language)."""
    def open_tab(state: dict[str, str], page_open: bool) -> list[Any]:
        return [tab_id, state if page_open else gr.skip()]
    return open_tab


def build_app() -> gr.Blocks:
    tr = Translator()
    with gr.Blocks(title=t("app.title"), fill_width=True, delete_cache=(limits.FILE_SECONDS, limits.FILE_SECONDS),
                   analytics_enabled=False) as demo:
        session = gr.State(new_session())
        trained = gr.State({})
        with gr.Row(equal_height=True, elem_id="header"):
            with gr.Column(scale=4):
                tr(gr.Markdown(elem_id="app-title"), "app.title.md")
                tr(gr.Markdown(elem_id="app-intro"), "app.intro")
            with gr.Column(scale=1, min_width=220):
                lang = tr(LessonRadio([("English", "en"), ("中文", "zh")], value="en", elem_id="lang"),
                          "common.lang")
                devices = available_devices()
                device = tr(LessonDropdown(devices, value=session.value["device"], elem_id="device"),
                            "common.device")
                device_note = gr.Markdown(_device_note(session.value), elem_id="device-note")

        first_tab = gr.Textbox(visible=False)  # ?tab= of the page's address (see browser.OPEN_PAGE)
        stamps = [gr.State(None) for _ in TABS]  # per tab: the session it was last drawn for (AppContext)
        ctx = AppContext(demo=demo, tr=tr, session=session, trained=trained)
        with gr.Tabs(elem_id="tabs") as tabs:
            for tab, stamp in zip(TABS, stamps, strict=True):
                ctx.stamp = stamp
                tab.build(ctx)
        tab_ids = [item.id for item in tabs.children]  # each module's gr.Tab(id=...): "activations", "mlp", ...
        visible = gr.State(tab_ids[0])  # the tab on screen
        page_open = gr.State(False)  # the page's opening answered: its language is known
        relabel_to = gr.State(None)  # the page's language, once known, when its labels are not the built ones

        def restamp(state: dict[str, str], tab_id: str) -> list[Any]:
            """The tab on screen is drawn for ``state``; the others wait until they are opened."""
            return [state if tab_id == other else gr.skip() for other in tab_ids]

        @ui_errors
        def open_page(choice: str, wanted_tab: str, state: dict[str, str], tab_id: str) -> list[Any]:
            """The page's language, and its first tab drawn: the address's ?tab=, else the one on screen (the
            learner may have clicked another before this answer came)."""
            state = {**state, "lang": normalize_lang(choice)}
            shown = gr.skip()
            if wanted_tab in tab_ids:
                tab_id, shown = wanted_tab, gr.Tabs(selected=wanted_tab)
            relabel = state["lang"] if state["lang"] != DEFAULT_LANG else gr.skip()
            return [state["lang"], state, _device_note(state), shown, tab_id, True, relabel, *restamp(state, tab_id)]

        @ui_errors
        def switch_language(choice: str, state: dict[str, str], tab_id: str) -> list[Any]:
            state = {**state, "lang": normalize_lang(choice)}
            return [state, _device_note(state), *tr.updates(state["lang"]), *restamp(state, tab_id)]

        @ui_errors
        def switch_device(choice: str, state: dict[str, str], tab_id: str) -> list[Any]:
            state = {**state, "device": choice}
            return [state, _device_note(state), *restamp(state, tab_id)]

        # The page's opening and a tab's select (the learner's click, or Gradio's as the tabs mount) must not
        # both see an unstamped tab: one at a time (they take milliseconds). A stamp already equal to the
        # session does not change, so a tab already drawn so costs nothing more when opened again.
        one_at_a_time = dict(concurrency_id="open-tab", concurrency_limit=1, api_visibility="private")
        # These three relabel or restamp the whole page: their progress shows on the device note alone (why:
        # show_progress_on_pictures).
        demo.load(open_page, [lang, first_tab, session, visible],
                  [lang, session, device_note, tabs, visible, page_open, relabel_to, *stamps],
                  js=browser.OPEN_PAGE, show_progress_on=[device_note], **one_at_a_time)
        # An English page keeps the labels it was built with: Gradio keeps a copy of every component an event
        # updates, per session (even for gr.skip()), ~5 MiB for the ~270 labels.
        relabel_to.change(tr.updates, relabel_to, tr.components, show_progress_on=[device_note],
                          api_visibility="private")
        # .input, not .change: the page's opening sets the radio, and must not relabel everything twice
        lang.input(switch_language, [lang, session, visible], [session, device_note, *tr.components, *stamps],
                   api_name="set_language", api_visibility="undocumented", show_progress_on=[device_note])
        device.input(switch_device, [device, session, visible], [session, device_note, *stamps],
                     api_name="set_device", api_visibility="undocumented", show_progress_on=[device_note])
        for item, stamp in zip(tabs.children, stamps, strict=True):
            item.select(_opener(item.id), [session, page_open], [visible, stamp], **one_at_a_time)
        forget_closed_sessions(demo)
    show_progress_on_pictures(demo)
    return demo


def launch_options(host: str | None = None, port: int | None = None) -> dict[str, Any]:
    """Keyword arguments for ``demo.launch``: safe by default, 0.0.0.0 only when asked or on Spaces."""
    options: dict[str, Any] = {
        "share": False,
        "show_error": False,  # gr.Error messages always show; anything else stays a generic message
        "max_file_size": limits.MAX_UPLOAD_SIZE,
        "theme": gr.themes.Soft(primary_hue="indigo"),
        "css_paths": [ASSETS / "playground.css"],
        "head": (browser.toast_titles_head({lang: t("common.error_title", lang) for lang in LANGS})
                 + browser.retry_when_busy_head({lang: t("common.busy_retry", lang, seconds="{seconds}")
                                                 for lang in LANGS}, limits.BUSY_RETRY_SECONDS)),
        "run_history": False,
        "state_session_capacity": limits.MAX_KEPT_SESSIONS,
        "app_kwargs": {"middleware": [Middleware(RequestLimits)], "lifespan": serving},
    }
    if host or not on_spaces():  # on Spaces, GRADIO_SERVER_NAME=0.0.0.0 from the environment applies
        options["server_name"] = host or os.environ.get("GRADIO_SERVER_NAME", "127.0.0.1")
    if port:
        options["server_port"] = port
    return options


@contextlib.asynccontextmanager
async def serving(app: Any) -> AsyncIterator[None]:
    """The server's lifespan: lean sessions from the first page on, the page's own files served from memory, and
    the file cache kept within its bounds."""
    keep_sessions_lean(app)
    wrap_outermost(app, AssetCache)
    async with managed_files(app):
        yield


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def exposure_warning(host: str | None, *, login: bool = False) -> str | None:
    """What binding ``host`` exposes, said when the app starts: who can reach it, and whether a login is asked."""
    if host is None or host in LOOPBACK:
        return None
    reach = "every network this machine is on" if host in ("0.0.0.0", "::") else f"the network of {host}"
    if login:
        return f"Serving on {host}: anyone on {reach} who has the login can run the app's networks on this machine."
    return (f"Serving on {host}: anyone on {reach} can open the app and run its networks on this machine; there is "
            "no login (add --auth USER:PASSWORD to ask for one).")


def prepare_queue(demo: gr.Blocks) -> gr.Blocks:
    demo.queue(default_concurrency_limit=limits.DEFAULT_CONCURRENCY, max_size=limits.QUEUE_MAX_SIZE)
    hand_uploads_to_sessions(demo._queue)
    limit_work_per_session(demo._queue)  # outermost: a refused request hands nothing
    poll_queue_calmly(demo._queue)
    return demo
