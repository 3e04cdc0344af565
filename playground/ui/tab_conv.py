"""Tab 2 · Convolution & pooling (primer §2, §8, §11): animated step by step, checked against PyTorch."""

from __future__ import annotations

import gradio as gr

from playground import limits
from playground.i18n import t
from playground.lessons import convolution as lesson
from playground.inputs import as_whole
from playground.runtime import resolve_device
from playground.ui.common import AppContext, animate, code_panel, session_device, session_lang
from playground.viz import conv as viz
from playground.viz.text import check_badge

PRESETS = {preset.name: preset for preset in lesson.CONV_ARITHMETIC_PRESETS}
CUSTOM = "custom"
_PRESET_CHOICES = {CUSTOM: "conv.preset.custom", **{name: p.key for name, p in PRESETS.items()}}


def _int(ctx: AppContext, key: str, low: int, high: int, value: int, **kwargs) -> gr.Slider:
    return ctx.tr(gr.Slider(low, high, value=value, step=1, **kwargs), key)


def _typed_box(ctx: AppContext, key: str, elem_id: str, lines: int = 4) -> gr.Textbox:
    return ctx.tr(gr.Textbox(lines=lines, max_lines=16, elem_id=elem_id), key)


# --- handlers: parse, call the lesson, call viz --------------------------------------------------


def _shown_channel(shown, channels: int) -> int:
    """The channel slider's value, checked like any number (an API call can send NaN), and kept below the
    channels this result has (the slider may point past a smaller C_out)."""
    return min(as_whole(shown, 0, limits.MAX_CONV_CHANNELS - 1, "conv.channel_shown"), channels - 1)


def on_conv(size, kernel, stride, padding, dilation, c_in, c_out, groups, bias, seed,
            typed_input, typed_kernel, typed_bias, shown, session):
    lang = session_lang(session)
    x, w, b = lesson.conv_example(size=size, kernel=kernel, in_channels=c_in, out_channels=c_out, groups=groups,
                                  bias=bias, seed=seed, typed_input=typed_input, typed_kernel=typed_kernel,
                                  typed_bias=typed_bias)
    result = lesson.conv2d_steps(x, w, b, stride=stride, padding=padding, dilation=dilation, groups=groups,
                                 device=resolve_device(session_device(session)))
    shown = _shown_channel(shown, result.output.shape[0])
    formula = lesson.conv_size_formula(*x.shape[1:], *w.shape[2:], stride=result.stride, padding=result.padding,
                                       dilation=result.dilation)
    return (viz.conv_animation(result, out_channel=shown, lang=lang), viz.size_formula_markdown(formula, lang=lang),
            check_badge(result.check, lang=lang))


def on_conv_preset(name):
    """The five size controls of one conv_arithmetic example; 'custom' leaves them as they are."""
    preset = PRESETS.get(name)
    if preset is None:
        return [gr.update()] * 5
    return preset.n, preset.kernel, preset.stride, preset.padding, preset.dilation


def on_pool(kind, size, channels, kernel, stride, padding, dilation, seed, typed_input, shown, session):
    lang = session_lang(session)
    x = lesson.pool_example(size=size, channels=channels, seed=seed, typed_input=typed_input)
    result = lesson.pool2d_steps(x, kind=kind, kernel=kernel, stride=stride, padding=padding, dilation=dilation,
                                 device=resolve_device(session_device(session)))
    shown = _shown_channel(shown, result.output.shape[0])
    formula = lesson.conv_size_formula(*x.shape[1:], result.kernel, result.kernel, stride=result.stride,
                                       padding=result.padding, dilation=result.dilation)
    return (viz.pool_animation(result, channel=shown, lang=lang), viz.size_formula_markdown(formula, lang=lang),
            check_badge(result.check, lang=lang))


def on_transposed(size, kernel, stride, padding, output_padding, dilation, c_in, c_out, bias, seed,
                  typed_input, typed_kernel, shown, session):
    lang = session_lang(session)
    x, w, b = lesson.transposed_example(size=size, kernel=kernel, in_channels=c_in, out_channels=c_out, bias=bias,
                                        seed=seed, typed_input=typed_input, typed_kernel=typed_kernel)
    result = lesson.conv_transpose2d_three_ways(x, w, b, stride=stride, padding=padding,
                                                output_padding=output_padding, dilation=dilation,
                                                device=resolve_device(session_device(session)))
    shown = _shown_channel(shown, result.output.shape[0])
    figures = viz.transposed_figures(result, out_channel=shown, lang=lang)
    formula = lesson.transposed_size_formula(*x.shape[1:], *w.shape[2:], stride=result.stride,
                                             padding=result.padding, output_padding=result.output_padding,
                                             dilation=result.dilation)
    checks = "\n\n".join(t("conv.t_check", lang, way=t(way, lang), badge=check_badge(check, lang=lang))
                           for way, check in zip(("conv.way_a", "conv.way_b", "conv.way_c"), result.checks))
    return figures.scatter, figures.zero_insert, figures.matrix, viz.size_formula_markdown(formula, lang=lang), checks


def on_transposed_preset(name):
    """Input size = the example's output, output_padding chosen so the result is the example's input size."""
    preset = PRESETS.get(name)
    if preset is None:
        return [gr.update()] * 6
    return (preset.output, preset.kernel, preset.stride, preset.padding, preset.output_padding_to_invert,
            preset.dilation)


def on_separable(c_in, c_out, kernel, out_size, bias, session):
    lang = session_lang(session)
    cost = lesson.separable_cost(c_in, c_out, kernel, out_size, out_size, bias=bias)
    return viz.cost_figure(cost, lang=lang)


# --- layout and wiring ---------------------------------------------------------------------------


def _explain(ctx: AppContext, *keys: str) -> None:
    for key in keys:
        ctx.tr(gr.Markdown(), key)


def build(ctx: AppContext) -> None:
    with ctx.tr(gr.Tab(id="conv", elem_id="tab-conv"), "conv.tab"):
        _explain(ctx, "conv.intro")
        with gr.Tabs():
            with ctx.tr(gr.Tab(id="conv-conv"), "conv.section.conv") as conv_tab:
                _build_conv(ctx, conv_tab)
            with ctx.tr(gr.Tab(id="conv-pool"), "conv.section.pool") as pool_tab:
                _build_pool(ctx, pool_tab)
            with ctx.tr(gr.Tab(id="conv-transposed"), "conv.section.transposed") as transposed_tab:
                _build_transposed(ctx, transposed_tab)
            with ctx.tr(gr.Tab(id="conv-separable"), "conv.section.separable"):
                _build_separable(ctx)


def _build_conv(ctx: AppContext, tab: gr.Tab) -> None:
    _explain(ctx, "conv.explain.conv")
    with gr.Row():
        with gr.Column(scale=1, min_width=280):
            preset = ctx.tr(gr.Dropdown(list(_PRESET_CHOICES), value=CUSTOM, elem_id="conv-preset"), "conv.preset",
                            choices=_PRESET_CHOICES)
            size = _int(ctx, "conv.in_size", 1, limits.MAX_CONV_INPUT_SIDE, 5, elem_id="conv-size")
            kernel = _int(ctx, "conv.kernel", 1, limits.MAX_CONV_KERNEL, 3, elem_id="conv-kernel")
            stride = _int(ctx, "conv.stride", 1, limits.MAX_CONV_STRIDE, 1, elem_id="conv-stride")
            padding = _int(ctx, "conv.padding", 0, limits.MAX_CONV_PADDING, 0, elem_id="conv-padding")
            dilation = _int(ctx, "conv.dilation", 1, limits.MAX_CONV_DILATION, 1, elem_id="conv-dilation")
            c_in = _int(ctx, "conv.in_channels", 1, limits.MAX_CONV_CHANNELS, 1, elem_id="conv-cin")
            c_out = _int(ctx, "conv.out_channels", 1, limits.MAX_CONV_CHANNELS, 1, elem_id="conv-cout")
            groups = _int(ctx, "conv.groups", 1, limits.MAX_CONV_CHANNELS, 1, elem_id="conv-groups")
            with gr.Row():
                bias = ctx.tr(gr.Checkbox(value=True, elem_id="conv-bias"), "conv.bias")
                seed = ctx.tr(gr.Number(0, precision=0, minimum=0, maximum=limits.MAX_SEED - 2,
                                        elem_id="conv-seed"), "conv.seed")
            shown = _int(ctx, "conv.channel_shown", 0, limits.MAX_CONV_CHANNELS - 1, 0, elem_id="conv-shown")
            with ctx.tr(gr.Accordion(open=False), "conv.typed"):
                _explain(ctx, "conv.typed.md")
                typed_input = _typed_box(ctx, "conv.typed_input", "conv-typed-input")
                typed_kernel = _typed_box(ctx, "conv.typed_kernel", "conv-typed-kernel")
                typed_bias = _typed_box(ctx, "conv.typed_bias", "conv-typed-bias", lines=1)
        with gr.Column(scale=3):
            plot = gr.Plot(elem_id="conv-anim", show_label=False)
            check = gr.Markdown(elem_id="conv-check")
            formula = gr.Markdown(elem_id="conv-formula")
            _explain(ctx, "conv.explain.arithmetic", "conv.explain.channels")
    animate(plot, tab.select)
    preset.change(on_conv_preset, preset, [size, kernel, stride, padding, dilation], api_name="conv_preset")
    ctx.live(on_conv, [size, kernel, stride, padding, dilation, c_in, c_out, groups, bias, seed,
                       typed_input, typed_kernel, typed_bias, shown], [plot, formula, check], api_name="conv")
    code_panel(ctx, lesson.slide_kernel, lesson.conv2d_steps)


def _build_pool(ctx: AppContext, tab: gr.Tab) -> None:
    _explain(ctx, "conv.explain.pool")
    with gr.Row():
        with gr.Column(scale=1, min_width=280):
            kind = ctx.tr(gr.Radio(["max", "avg"], value="max", elem_id="pool-kind"), "conv.pool_kind",
                          choices={"max": "conv.pool_kind.max", "avg": "conv.pool_kind.avg"})
            size = _int(ctx, "conv.in_size", 1, limits.MAX_CONV_INPUT_SIDE, 6, elem_id="pool-size")
            channels = _int(ctx, "conv.in_channels", 1, limits.MAX_CONV_CHANNELS, 1, elem_id="pool-channels")
            kernel = _int(ctx, "conv.pool_kernel", 1, limits.MAX_CONV_KERNEL, 2, elem_id="pool-kernel")
            stride = _int(ctx, "conv.pool_stride", 1, limits.MAX_CONV_KERNEL, 2, elem_id="pool-stride")
            padding = _int(ctx, "conv.padding", 0, limits.MAX_CONV_PADDING, 0, elem_id="pool-padding")
            dilation = _int(ctx, "conv.dilation", 1, limits.MAX_CONV_DILATION, 1, elem_id="pool-dilation")
            seed = ctx.tr(gr.Number(0, precision=0, minimum=0, maximum=limits.MAX_SEED - 2), "conv.seed")
            shown = _int(ctx, "conv.channel_shown", 0, limits.MAX_CONV_CHANNELS - 1, 0)
            with ctx.tr(gr.Accordion(open=False), "conv.typed"):
                _explain(ctx, "conv.typed.md")
                typed_input = _typed_box(ctx, "conv.typed_input", "pool-typed-input")
        with gr.Column(scale=3):
            plot = gr.Plot(elem_id="pool-anim", show_label=False)
            check = gr.Markdown(elem_id="pool-check")
            formula = gr.Markdown(elem_id="pool-formula")
    animate(plot, tab.select)
    ctx.live(on_pool, [kind, size, channels, kernel, stride, padding, dilation, seed, typed_input, shown],
             [plot, formula, check], api_name="pool")
    code_panel(ctx, lesson.pool2d_steps)


def _build_transposed(ctx: AppContext, tab: gr.Tab) -> None:
    _explain(ctx, "conv.explain.transposed")
    with gr.Row():
        with gr.Column(scale=1, min_width=280):
            preset = ctx.tr(gr.Dropdown(list(_PRESET_CHOICES), value=CUSTOM, elem_id="t-preset"), "conv.t_preset",
                            choices=_PRESET_CHOICES)
            size = _int(ctx, "conv.in_size", 1, limits.MAX_CONV_INPUT_SIDE, 3, elem_id="t-size")
            kernel = _int(ctx, "conv.kernel", 1, limits.MAX_CONV_KERNEL, 3, elem_id="t-kernel")
            stride = _int(ctx, "conv.stride", 1, limits.MAX_CONV_STRIDE, 2, elem_id="t-stride")
            padding = _int(ctx, "conv.padding", 0, limits.MAX_CONV_PADDING, 1, elem_id="t-padding")
            output_padding = _int(ctx, "conv.output_padding", 0, limits.MAX_OUTPUT_PADDING, 0, elem_id="t-outpad")
            dilation = _int(ctx, "conv.dilation", 1, limits.MAX_CONV_DILATION, 1, elem_id="t-dilation")
            c_in = _int(ctx, "conv.in_channels", 1, limits.MAX_CONV_CHANNELS, 1)
            c_out = _int(ctx, "conv.out_channels", 1, limits.MAX_CONV_CHANNELS, 1)
            with gr.Row():
                bias = ctx.tr(gr.Checkbox(value=False), "conv.bias")
                seed = ctx.tr(gr.Number(0, precision=0, minimum=0, maximum=limits.MAX_SEED - 2), "conv.seed")
            shown = _int(ctx, "conv.channel_shown", 0, limits.MAX_CONV_CHANNELS - 1, 0)
            with ctx.tr(gr.Accordion(open=False), "conv.typed"):
                _explain(ctx, "conv.typed.md")
                typed_input = _typed_box(ctx, "conv.typed_input", "t-typed-input")
                typed_kernel = _typed_box(ctx, "conv.typed_transposed_kernel", "t-typed-kernel")
        with gr.Column(scale=3):
            check = gr.Markdown(elem_id="t-check")
            formula = gr.Markdown(elem_id="t-formula")
            _explain(ctx, "conv.explain.transposed_a")
            scatter = gr.Plot(elem_id="t-scatter", show_label=False)
            _explain(ctx, "conv.explain.transposed_b")
            zero_insert = gr.Plot(elem_id="t-zero-insert", show_label=False)
            _explain(ctx, "conv.explain.transposed_c")
            matrix = gr.Plot(elem_id="t-matrix", show_label=False)
    animate(scatter, tab.select)
    animate(zero_insert, tab.select)
    preset.change(on_transposed_preset, preset, [size, kernel, stride, padding, output_padding, dilation],
                  api_name="transposed_preset")
    ctx.live(on_transposed, [size, kernel, stride, padding, output_padding, dilation, c_in, c_out, bias, seed,
                             typed_input, typed_kernel, shown],
             [scatter, zero_insert, matrix, formula, check], api_name="transposed")
    code_panel(ctx, lesson.conv_transpose2d_three_ways)


def _build_separable(ctx: AppContext) -> None:
    _explain(ctx, "conv.explain.separable")
    with gr.Row():
        with gr.Column(scale=1, min_width=280):
            c_in = ctx.tr(gr.Number(3, precision=0, minimum=1, maximum=limits.MAX_COST_CHANNELS), "conv.cost_in")
            c_out = ctx.tr(gr.Number(4, precision=0, minimum=1, maximum=limits.MAX_COST_CHANNELS), "conv.cost_out")
            kernel = _int(ctx, "conv.kernel", 1, limits.MAX_CONV_KERNEL, 3)
            out_size = ctx.tr(gr.Number(5, precision=0, minimum=1, maximum=limits.MAX_COST_SIDE), "conv.out_size")
            bias = ctx.tr(gr.Checkbox(value=False), "conv.bias")
        with gr.Column(scale=3):
            plot = gr.Plot(elem_id="separable-plot", show_label=False)
    ctx.live(on_separable, [c_in, c_out, kernel, out_size, bias], [plot], api_name="separable_cost")
    code_panel(ctx, lesson.separable_cost)
