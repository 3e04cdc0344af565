"""Tab · Recurrent networks (primer §12): an RNN, a GRU and an LSTM read the learner's text."""

from __future__ import annotations

from dataclasses import replace

import gradio as gr

from playground import limits, zoo
from playground.i18n import t
from playground.lessons import recurrent as lesson
from playground.lessons.networks import resolve
from playground.inputs import as_whole
from playground.runtime import resolve_device
from playground.train.language import LANGUAGE_MODELS
from playground.ui.common import AppContext, code_panel, session_device, session_lang, ui_errors
from playground.viz import recurrent as viz


def _model(kind: str, session):
    device = str(resolve_device(session_device(session)))
    return resolve(kind, "bundled", device=device)


def _metrics(kind: str) -> dict[str, float]:
    return zoo.bundled_record(kind)["metrics"]


def on_trace(kind, text, layer, state, unit, temperature, session):
    """Read the text with one model; every layer's states and gates, the coloured text, the unit finder, gate
    saturation, and the gradient flow of all three models on the same text."""
    lang = session_lang(session)
    model = _model(kind, session).model
    trace = lesson.trace(model, text, temperature=temperature)
    state = state if state in viz.states(kind) else "h"
    found = lesson.unit_finder(trace)
    layer = as_whole(layer, 1, len(trace.layers), "rnn.layer")
    unit = as_whole(unit if unit is not None else -1, -1, model.hidden_size - 1, "rnn.unit")
    if unit < 0:  # the unit of the chosen layer that best follows a property of the text
        in_layer = lesson.unit_finder(replace(trace, layers=(trace.layers[layer - 1],)))
        unit = (viz.best_unit(in_layer) or (1, 0))[1]
    notes = []
    if trace.unknown:
        notes.append(lesson.unknown_note(trace.unknown, lang))
    metrics = _metrics(kind)
    bits = lesson.bits_per_char(model, text) if len(trace.chars) > 1 else float("nan")
    summary = t("rnn.summary", lang, kind=t(f"rnn.kind.{kind}", lang), count=len(trace.chars), bits=f"{bits:.2f}",
                held_out=f"{metrics['held_out_bits_per_char']:.2f}", unigram=f"{metrics['unigram_bits_per_char']:.2f}")
    flows = {name: lesson.gradient_flow(_model(name, session).model, text) for name in LANGUAGE_MODELS}
    window = lesson.gradient_window_note(flows[kind], lang)
    return ("\n\n".join([summary, *notes, *([window] if window else [])]),
            viz.coloured_text_html(trace, layer, state, unit, lang=lang),
            viz.heatmap_figure(trace, layer, state, lang=lang),
            viz.gradient_figure(flows, lang=lang),
            t("rnn.saturation.title", lang) + "\n\n" + viz.saturation_markdown(lesson.gate_saturation(trace), lang=lang),
            viz.units_markdown(found, lang=lang),
            gr.update(choices=[(t(f"rnn.gate.{s}", lang), s) for s in viz.states(kind)], value=state))


def on_sample(kind, prompt, length, temperature, seed, session):
    result = lesson.sample(_model(kind, session).model, prompt, length=length, temperature=temperature, seed=seed)
    return result.prompt + result.continuation


def build(ctx: AppContext) -> None:
    kinds = {kind: f"rnn.kind.{kind}" for kind in LANGUAGE_MODELS}
    with ctx.tr(gr.Tab(id="recurrent", elem_id="tab-recurrent"), "rnn.tab"):
        ctx.tr(gr.Markdown(), "rnn.intro")
        with gr.Row():
            with gr.Column(scale=1, min_width=300):
                kind = ctx.tr(gr.Radio(list(LANGUAGE_MODELS), value="lstm", elem_id="rnn-kind"), "rnn.model",
                              choices=kinds)
                text = ctx.tr(gr.Textbox(t("rnn.default_text"), lines=4, max_lines=12, elem_id="rnn-text"),
                              "rnn.text")
                layer = ctx.tr(gr.Radio([1, 2], value=2, elem_id="rnn-layer"), "rnn.layer")
                state = ctx.tr(gr.Dropdown([(t(f"rnn.gate.{s}"), s) for s in viz.states("lstm")], value="h",
                                           elem_id="rnn-state"), "rnn.state")
                unit = ctx.tr(gr.Number(-1, precision=0, minimum=-1, maximum=1023, elem_id="rnn-unit"), "rnn.unit")
                temperature = ctx.tr(gr.Slider(limits.MIN_TEMPERATURE, 10, value=1.0, step=0.01,
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
                    length = ctx.tr(gr.Slider(1, limits.MAX_SAMPLE_CHARS, value=200, step=1, elem_id="rnn-length"),
                                    "rnn.length")
                    seed = ctx.tr(gr.Number(0, precision=0, minimum=0, maximum=limits.MAX_SEED, elem_id="rnn-seed"),
                                  "rnn.seed")
                    sample = ctx.tr(gr.Button(variant="primary", elem_id="rnn-sample"), "rnn.sample")
            continuation = ctx.tr(gr.Textbox(lines=6, interactive=False, elem_id="rnn-continuation"),
                                  "rnn.continuation")
        ctx.live(on_trace, [kind, text, layer, state, unit, temperature],
                 [summary, coloured, heatmap, gradient, saturation, units, state], api_name="rnn_trace", gpu=True)
        sample.click(ui_errors(on_sample, gpu=True), [kind, prompt, length, temperature, seed, ctx.session], continuation,
                     api_name="rnn_sample")
        code_panel(ctx, lesson.trace)
