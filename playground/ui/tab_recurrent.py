"""Tab · Recurrent networks (primer §12): an RNN, a GRU and an LSTM read the learner's text."""

from __future__ import annotations

import gradio as gr

from playground import limits, zoo
from playground.i18n import t
from playground.lessons import recurrent as lesson
from playground.lessons import recurrent_views as views
from playground.ui.common import (
    AppContext,
    LessonDropdown,
    LessonNumber,
    LessonRadio,
    LessonSlider,
    code_panel,
    session_device,
    session_lang,
    ui_errors,
)
from playground.viz import recurrent as viz


def on_trace(kind, text, layer, state, unit, temperature, session):
    """Read the text with one model; every layer's states and gates, the coloured text, the unit finder, gate
    saturation, and the gradient flow of all three models on the same text."""
    view = views.read(kind, text, layer=layer, state=state, unit=unit, temperature=temperature,
                      device=session_device(session))
    *shown, states = viz.trace_page(view, lang=session_lang(session))
    return (*shown, gr.update(choices=states, value=view.state))


def on_sample(kind, prompt, length, temperature, seed, session):
    return views.sample_view(kind, prompt, length=length, temperature=temperature, seed=seed,
                             device=session_device(session)).text


def build(ctx: AppContext) -> None:
    names = zoo.list_models("language")
    kinds = {kind: f"rnn.kind.{kind}" for kind in names}
    with ctx.tr(gr.Tab(id="recurrent", elem_id="tab-recurrent"), "rnn.tab"):
        ctx.tr(gr.Markdown(), "rnn.intro")
        with gr.Row():
            with gr.Column(scale=1, min_width=300):
                kind = ctx.tr(LessonRadio(names, value="lstm", elem_id="rnn-kind"), "rnn.model",
                              choices=kinds)
                text = ctx.tr(gr.Textbox(t("rnn.default_text"), lines=4, max_lines=12, elem_id="rnn-text"),
                              "rnn.text")
                layer = ctx.tr(LessonRadio([1, 2], value=2, elem_id="rnn-layer"), "rnn.layer")
                state = ctx.tr(LessonDropdown([(t(f"rnn.gate.{s}"), s) for s in lesson.states("lstm")], value="h",
                                           elem_id="rnn-state"), "rnn.state")
                unit = ctx.tr(LessonNumber(-1, precision=0, minimum=-1, maximum=1023, elem_id="rnn-unit"), "rnn.unit")
                temperature = ctx.tr(LessonSlider(limits.MIN_TEMPERATURE, 10, value=1.0, step=0.01,
                                               elem_id="rnn-temperature"), "rnn.temperature")
            with gr.Column(scale=2):
                summary = gr.Markdown(elem_id="rnn-summary")
                coloured = gr.HTML(elem_id="rnn-coloured")
                heatmap = gr.Plot(elem_id="rnn-heatmap", show_label=False)
        with gr.Row():
            gradient = gr.Plot(elem_id="rnn-gradient", show_label=False)
            with gr.Column():
                saturation = gr.Markdown(elem_id="rnn-saturation")
                units = gr.Markdown(elem_id="rnn-units")
        with ctx.tr(gr.Accordion(open=False, elem_id="rnn-sampling"), "rnn.section.sample"):
            with gr.Row():
                prompt = ctx.tr(gr.Textbox("The ", lines=2, elem_id="rnn-prompt"), "rnn.prompt")
                with gr.Column():
                    length = ctx.tr(LessonSlider(1, limits.MAX_SAMPLE_CHARS, value=200, step=1, elem_id="rnn-length"),
                                    "rnn.length")
                    seed = ctx.tr(LessonNumber(0, precision=0, minimum=0, maximum=limits.MAX_SEED, elem_id="rnn-seed"),
                                  "rnn.seed")
                    sample = ctx.tr(gr.Button(variant="primary", elem_id="rnn-sample"), "rnn.sample")
            continuation = ctx.tr(gr.Textbox(lines=6, interactive=False, elem_id="rnn-continuation"),
                                  "rnn.continuation")
        ctx.live(on_trace, [kind, text, layer, state, unit, temperature],
                 [summary, coloured, heatmap, gradient, saturation, units, state], api_name="rnn_trace", gpu=True)
        sample.click(ui_errors(on_sample, gpu=True), [kind, prompt, length, temperature, seed, ctx.session],
                     continuation, api_name="rnn_sample")
        code_panel(ctx, lesson.trace)
