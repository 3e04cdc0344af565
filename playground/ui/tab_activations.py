"""Tab 1 · Neurons & activations (primer §1): curves, a neuron, softmax, linear collapse, losses."""

from __future__ import annotations

import gradio as gr

from playground import limits
from playground.lessons import activations as lesson
from playground.models import ACTIVATION_NAMES
from playground.ui.common import (
    WIDE,
    AppContext,
    LessonCheckboxGroup,
    LessonDropdown,
    LessonNumber,
    LessonRadio,
    LessonSlider,
    code_panel,
    session_device,
    session_lang,
)
from playground.viz import activations as viz

_MATH = [{"left": "$$", "right": "$$", "display": True}, {"left": "$", "right": "$", "display": False}]


def _md(ctx: AppContext, key: str, **kwargs) -> gr.Markdown:
    return ctx.tr(gr.Markdown(latex_delimiters=_MATH, **kwargs), key)


def _slider(ctx: AppContext, key: str, low: float, high: float, value: float, step: float, **kwargs) -> gr.Slider:
    return ctx.tr(LessonSlider(low, high, value=value, step=step, **kwargs), key)


# --- handlers: parse, call the lesson, call viz --------------------------------------------------


def on_curves(names, x_min, x_max, negative_slope, alpha, beta, session):
    curves = lesson.activation_curves(names or [], x_min=x_min, x_max=x_max, negative_slope=negative_slope,
                                      alpha=alpha, beta=beta, device=session_device(session))
    return viz.curves_figure(curves, lang=session_lang(session))


def on_neuron(x1, x2, x3, w1, w2, w3, b, activation, session):
    view = lesson.neuron_view([x1, x2, x3], [w1, w2, w3], b, activation=activation)
    return viz.neuron_page(view, lang=session_lang(session))


def on_softmax(numbers, temperature, session):
    return viz.softmax_page(lesson.softmax(numbers, temperature=temperature), lang=session_lang(session))


def on_collapse(hidden, seed, activation, session):
    result = lesson.linear_collapse(hidden=hidden, seed=seed, activation=activation)
    return viz.collapse_page(result, lang=session_lang(session))


def on_losses(z1, z2, z3, target, session):
    return viz.loss_page(lesson.loss_comparison([z1, z2, z3], target), lang=session_lang(session))


# --- layout and wiring ---------------------------------------------------------------------------


def build(ctx: AppContext) -> None:
    with ctx.tr(gr.Tab(id="activations", elem_id="tab-activations"), "act.tab"):
        _md(ctx, "act.intro")
        with gr.Tabs():
            with ctx.tr(gr.Tab(id="act-curves"), "act.sub.curves"):
                _md(ctx, "act.curves.md")
                with gr.Row():
                    with gr.Column(scale=1, min_width=260):
                        names = ctx.tr(LessonCheckboxGroup(list(ACTIVATION_NAMES), value=["sigmoid", "tanh", "relu"],
                                                        elem_id="act-names"), "act.choose")
                        with gr.Row():
                            x_min = ctx.tr(LessonNumber(-5, minimum=-limits.MAX_CURVE_RANGE,
                                                     maximum=limits.MAX_CURVE_RANGE, elem_id="act-xmin"), "act.x_min")
                            x_max = ctx.tr(LessonNumber(5, minimum=-limits.MAX_CURVE_RANGE,
                                                     maximum=limits.MAX_CURVE_RANGE, elem_id="act-xmax"), "act.x_max")
                        slope = _slider(ctx, "act.negative_slope", 0, 1, 0.1, 0.01)
                        alpha = _slider(ctx, "act.alpha", 0.01, 5, 1.0, 0.01)
                        beta = _slider(ctx, "act.beta", 0.1, 20, 1.0, 0.1)
                    curves_plot = gr.Plot(elem_id="act-curves-plot", elem_classes=WIDE, show_label=False, scale=3)
                ctx.live(on_curves, [names, x_min, x_max, slope, alpha, beta], [curves_plot],
                         api_name="activation_curves")

            with ctx.tr(gr.Tab(id="act-neuron"), "act.sub.neuron"):
                _md(ctx, "act.neuron.md")
                with gr.Row():
                    with gr.Column(scale=1, min_width=260):
                        with gr.Row():
                            xs = [_slider(ctx, f"act.x{i}", -5, 5, v, 0.1) for i, v in ((1, 1.0), (2, 0.5), (3, -1.0))]
                        with gr.Row():
                            ws = [_slider(ctx, f"act.w{i}", -3, 3, v, 0.1) for i, v in ((1, 0.8), (2, -0.4), (3, 0.3))]
                        bias = _slider(ctx, "act.bias", -5, 5, 0.1, 0.1)
                        fn = ctx.tr(LessonDropdown(list(ACTIVATION_NAMES), value="sigmoid"), "act.function")
                    with gr.Column(scale=2):
                        neuron_plot = gr.Plot(elem_id="act-neuron-plot", show_label=False)
                        neuron_md = gr.Markdown(latex_delimiters=_MATH, elem_id="act-neuron-md")
                ctx.live(on_neuron, [*xs, *ws, bias, fn], [neuron_plot, neuron_md], api_name="neuron")

            with ctx.tr(gr.Tab(id="act-softmax"), "act.sub.softmax"):
                _md(ctx, "act.softmax.md")
                with gr.Row():
                    with gr.Column(scale=1, min_width=260):
                        numbers = ctx.tr(gr.Textbox("3, 1, -3", max_lines=2, elem_id="softmax-numbers"),
                                         "act.numbers")
                        temperature = _slider(ctx, "act.temperature", limits.MIN_TEMPERATURE, 10, 1.0, 0.01,
                                              elem_id="softmax-temperature")
                        examples = gr.Examples([["3, 1, -3", 1.0], ["1000, 1001", 1.0], ["-1e308, 0, 3", 1.0],
                                                ["2, 1, 0.1", 0.2], ["2, 1, 0.1", 5.0], ["1, -1", 1.0]],
                                               [numbers, temperature])
                        ctx.tr(examples.dataset, "common.examples", headers=["act.numbers", "act.temperature"])
                    with gr.Column(scale=2):
                        softmax_plot = gr.Plot(elem_id="softmax-plot", show_label=False)
                        softmax_md = gr.Markdown(latex_delimiters=_MATH, elem_id="softmax-md")
                ctx.live(on_softmax, [numbers, temperature], [softmax_plot, softmax_md], api_name="softmax",
                         examples=examples)

            with ctx.tr(gr.Tab(id="act-collapse"), "act.sub.collapse"):
                _md(ctx, "act.collapse.md")
                with gr.Row():
                    with gr.Column(scale=1, min_width=260):
                        hidden = _slider(ctx, "act.hidden", 1, limits.MAX_LAYER_WIDTH, 4, 1)
                        seed = ctx.tr(LessonNumber(0, precision=0, minimum=0, maximum=limits.MAX_SEED), "act.seed")
                        inserted = ctx.tr(LessonDropdown(list(ACTIVATION_NAMES), value="relu"),
                                          "act.collapse_activation")
                    with gr.Column(scale=2):
                        collapse_plot = gr.Plot(elem_id="collapse-plot", elem_classes=WIDE, show_label=False)
                        collapse_md = gr.Markdown(elem_id="collapse-md")
                ctx.live(on_collapse, [hidden, seed, inserted], [collapse_plot, collapse_md],
                         api_name="linear_collapse")

            with ctx.tr(gr.Tab(id="act-losses"), "act.sub.losses"):
                _md(ctx, "act.losses.md")
                with gr.Row():
                    with gr.Column(scale=1, min_width=260):
                        logits = [_slider(ctx, f"act.z{i}", -10, 10, v, 0.1)
                                  for i, v in ((1, -2.0), (2, 3.0), (3, 0.5))]
                        target = ctx.tr(LessonRadio([0, 1, 2], value=0), "act.target",
                                        choices={0: "act.class1", 1: "act.class2", 2: "act.class3"})
                    with gr.Column(scale=2):
                        loss_plot = gr.Plot(elem_id="loss-plot", show_label=False)
                        loss_md = gr.Markdown(elem_id="loss-md")
                ctx.live(on_losses, [*logits, target], [loss_plot, loss_md], api_name="losses")

        code_panel(ctx, lesson.activation_curves, lesson.softmax, lesson.linear_collapse)
