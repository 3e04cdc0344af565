"""The Gradio app: a header (title, language, device) and one tab per section of the primer.

``build_app()`` returns the Blocks without launching; ``launch_options()`` holds the safe defaults
(loopback unless on Spaces or asked, no share link, an upload limit, messages instead of tracebacks).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import gradio as gr
import torch

from playground import limits
from playground.i18n import normalize_lang, t
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
from playground.ui.common import AppContext, Translator, browser, new_session, ui_errors

ASSETS = Path(__file__).resolve().parents[2] / "assets"
TABS = (tab_activations, tab_mlp, tab_training, tab_conv, tab_features, tab_transfer, tab_segmentation,
        tab_recurrent, tab_attention)  # the primer's order

def _device_note(session: dict[str, str]) -> str:
    return t("common.device_now", session["lang"], device=describe_device(session["device"], session["lang"]),
             torch=torch.__version__)


def build_app() -> gr.Blocks:
    tr = Translator()
    with gr.Blocks(title=t("app.title"), fill_width=True, delete_cache=(3600, 3600),
                   analytics_enabled=False) as demo:
        session = gr.State(new_session())
        trained = gr.State({})
        with gr.Row(equal_height=True, elem_id="header"):
            with gr.Column(scale=4):
                tr(gr.Markdown(elem_id="app-title"), "app.title.md")
                tr(gr.Markdown(elem_id="app-intro"), "app.intro")
            with gr.Column(scale=1, min_width=220):
                lang = tr(gr.Radio([("English", "en"), ("中文", "zh")], value="en", elem_id="lang"),
                          "common.lang")
                devices = available_devices()
                device = tr(gr.Dropdown(devices, value=session.value["device"], elem_id="device"),
                            "common.device")
                device_note = gr.Markdown(_device_note(session.value), elem_id="device-note")

        ctx = AppContext(demo=demo, tr=tr, session=session, trained=trained)
        with gr.Tabs(elem_id="tabs"):
            for tab in TABS:
                tab.build(ctx)

        @ui_errors
        def switch_language(choice: str, state: dict[str, str]) -> list[Any]:
            state = {**state, "lang": normalize_lang(choice)}
            return [state, _device_note(state), *tr.updates(state["lang"])]

        @ui_errors
        def switch_device(choice: str, state: dict[str, str]) -> list[Any]:
            state = {**state, "device": choice}
            return [state, _device_note(state)]

        lang.change(switch_language, [lang, session], [session, device_note, *tr.components],
                    api_name="set_language", api_visibility="undocumented")
        device.change(switch_device, [device, session], [session, device_note],
                      api_name="set_device", api_visibility="undocumented")
        demo.load(None, None, lang, js=browser.DETECT_LANGUAGE)  # ?lang= or the browser's
    return demo


def launch_options(host: str | None = None, port: int | None = None) -> dict[str, Any]:
    """Keyword arguments for ``demo.launch``: safe by default, 0.0.0.0 only when asked or on Spaces."""
    options: dict[str, Any] = {
        "share": False,
        "show_error": False,  # gr.Error messages always show; anything else stays a generic message
        "max_file_size": limits.MAX_UPLOAD_SIZE,
        "theme": gr.themes.Soft(primary_hue="indigo"),
        "css_paths": [ASSETS / "playground.css"],
        "run_history": False,
        "state_session_capacity": limits.MAX_KEPT_SESSIONS,
    }
    if host or not on_spaces():  # on Spaces, GRADIO_SERVER_NAME=0.0.0.0 from the environment applies
        options["server_name"] = host or os.environ.get("GRADIO_SERVER_NAME", "127.0.0.1")
    if port:
        options["server_port"] = port
    return options


def prepare_queue(demo: gr.Blocks) -> gr.Blocks:
    return demo.queue(default_concurrency_limit=limits.DEFAULT_CONCURRENCY, max_size=limits.QUEUE_MAX_SIZE)
