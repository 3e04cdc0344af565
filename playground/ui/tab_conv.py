"""Tab 2 · Convolution & pooling (primer §2, §8, §11): animated step by step, checked against PyTorch."""

from __future__ import annotations

import gradio as gr

from playground import limits
from playground.lessons import conv_arithmetic, conv_views, convolution, transposed
from playground.runtime import resolve_device
from playground.ui.common import (
    WIDE,
    AppContext,
    LessonDropdown,
    LessonNumber,
    LessonRadio,
    LessonSlider,
    animate,
    code_panel,
    session_device,
    session_lang,
)
from playground.viz import conv as conv_viz
from playground.viz import transposed as transposed_viz

PRESETS = {preset.name: preset for preset in conv_arithmetic.CONV_ARITHMETIC_PRESETS}
CUSTOM = "custom"
_PRESET_CHOICES = {CUSTOM: "conv.preset.custom", **{name: p.key for name, p in PRESETS.items()}}

# Whole-number sliders by name: (i18n key, lowest, highest). A view's sliders get elem_id "<prefix>-<name>".
_SLIDERS = {
    "size": ("conv.in_size", 1, limits.MAX_CONV_INPUT_SIDE),
    "channels": ("conv.in_channels", 1, limits.MAX_CONV_CHANNELS),
    "kernel": ("conv.kernel", 1, limits.MAX_CONV_KERNEL),
    "stride": ("conv.stride", 1, limits.MAX_CONV_STRIDE),
    "padding": ("conv.padding", 0, limits.MAX_CONV_PADDING),
    "outpad": ("conv.output_padding", 0, limits.MAX_OUTPUT_PADDING),
    "dilation": ("conv.dilation", 1, limits.MAX_CONV_DILATION),
    "cin": ("conv.in_channels", 1, limits.MAX_CONV_CHANNELS),
    "cout": ("conv.out_channels", 1, limits.MAX_CONV_CHANNELS),
    "groups": ("conv.groups", 1, limits.MAX_CONV_CHANNELS),
    "shown": ("conv.channel_shown", 0, limits.MAX_CONV_CHANNELS - 1),
}
# pooling's window: its own labels, and a stride no larger than the largest window
_POOL_SLIDERS = {**_SLIDERS, "kernel": ("conv.pool_kernel", 1, limits.MAX_CONV_KERNEL),
                 "stride": ("conv.pool_stride", 1, limits.MAX_CONV_KERNEL)}


def _sliders(ctx: AppContext, prefix: str, table: dict[str, tuple[str, int, int]] = _SLIDERS,
             **defaults: int) -> list[gr.Slider]:
    """One whole-number slider per ``name=default``, in that order, labelled and bounded by ``table``."""
    return [ctx.tr(LessonSlider(low, high, value=value, step=1, elem_id=f"{prefix}-{name}"), key)
            for name, value in defaults.items() for key, low, high in [table[name]]]


def _seed(ctx: AppContext, prefix: str) -> gr.Number:
    return ctx.tr(LessonNumber(0, precision=0, minimum=0, maximum=limits.MAX_SEED - 2, elem_id=f"{prefix}-seed"),
                  "conv.seed")


def _typed_values(ctx: AppContext, prefix: str, *keys: str) -> list[gr.Textbox]:
    """The collapsed "type your own numbers" boxes, one per i18n key; elem_id "<prefix>-typed-<input|kernel|bias>"."""
    with ctx.tr(gr.Accordion(open=False), "conv.typed"):
        _explain(ctx, "conv.typed.md")
        return [ctx.tr(gr.Textbox(lines=1 if key.endswith("bias") else 4, max_lines=16,
                                  elem_id=f"{prefix}-typed-{key.rsplit('_', 1)[1]}"), key) for key in keys]


# --- handlers: parse, call the lesson, call viz --------------------------------------------------


def on_conv(size, kernel, stride, padding, dilation, c_in, c_out, groups, bias, seed,
            typed_input, typed_kernel, typed_bias, shown, session):
    view = conv_views.conv_view(size=size, kernel=kernel, stride=stride, padding=padding, dilation=dilation,
                                in_channels=c_in, out_channels=c_out, groups=groups, bias=bias, seed=seed,
                                typed_input=typed_input, typed_kernel=typed_kernel, typed_bias=typed_bias,
                                channel=shown, device=resolve_device(session_device(session)))
    return conv_viz.conv_outputs(view, lang=session_lang(session))


def on_conv_preset(name):
    """The five size controls of one conv_arithmetic example; 'custom' leaves them as they are."""
    preset = PRESETS.get(name)
    if preset is None:
        return [gr.update()] * 5
    return preset.n, preset.kernel, preset.stride, preset.padding, preset.dilation


def on_pool(kind, size, channels, kernel, stride, padding, dilation, seed, typed_input, shown, session):
    view = conv_views.pool_view(kind=kind, size=size, channels=channels, kernel=kernel, stride=stride,
                                padding=padding, dilation=dilation, seed=seed, typed_input=typed_input,
                                channel=shown, device=resolve_device(session_device(session)))
    return conv_viz.pool_outputs(view, lang=session_lang(session))


def on_transposed(size, kernel, stride, padding, output_padding, dilation, c_in, c_out, bias, seed,
                  typed_input, typed_kernel, shown, session):
    view = conv_views.transposed_view(size=size, kernel=kernel, stride=stride, padding=padding,
                                      output_padding=output_padding, dilation=dilation, in_channels=c_in,
                                      out_channels=c_out, bias=bias, seed=seed, typed_input=typed_input,
                                      typed_kernel=typed_kernel, channel=shown,
                                      device=resolve_device(session_device(session)))
    return transposed_viz.transposed_outputs(view, lang=session_lang(session))


def on_transposed_preset(name):
    """Input size = the example's output, output_padding chosen so the result is the example's input size."""
    preset = PRESETS.get(name)
    if preset is None:
        return [gr.update()] * 6
    return (preset.output, preset.kernel, preset.stride, preset.padding, preset.output_padding_to_invert,
            preset.dilation)


def on_separable(c_in, c_out, kernel, out_size, bias, session):
    cost = conv_arithmetic.separable_cost(c_in, c_out, kernel, out_size, out_size, bias=bias)
    return conv_viz.cost_figure(cost, lang=session_lang(session))


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
            preset = ctx.tr(LessonDropdown(list(_PRESET_CHOICES), value=CUSTOM, elem_id="conv-preset"), "conv.preset",
                            choices=_PRESET_CHOICES)
            size, kernel, stride, padding, dilation, c_in, c_out, groups = _sliders(
                ctx, "conv", size=5, kernel=3, stride=1, padding=0, dilation=1, cin=1, cout=1, groups=1)
            with gr.Row():
                bias = ctx.tr(gr.Checkbox(value=True, elem_id="conv-bias"), "conv.bias")
                seed = _seed(ctx, "conv")
            (shown,) = _sliders(ctx, "conv", shown=0)
            typed_input, typed_kernel, typed_bias = _typed_values(ctx, "conv", "conv.typed_input", "conv.typed_kernel",
                                                                  "conv.typed_bias")
        with gr.Column(scale=3):
            plot = gr.Plot(elem_id="conv-anim", elem_classes=WIDE, show_label=False)
            check = gr.Markdown(elem_id="conv-check")
            formula = gr.Markdown(elem_id="conv-formula")
            _explain(ctx, "conv.explain.arithmetic", "conv.explain.channels")
    animate(plot, tab.select)
    preset.change(on_conv_preset, preset, [size, kernel, stride, padding, dilation], api_name="conv_preset")
    ctx.live(on_conv, [size, kernel, stride, padding, dilation, c_in, c_out, groups, bias, seed,
                       typed_input, typed_kernel, typed_bias, shown], [plot, formula, check], api_name="conv")
    code_panel(ctx, convolution.slide_kernel, convolution.conv2d_steps)


def _build_pool(ctx: AppContext, tab: gr.Tab) -> None:
    _explain(ctx, "conv.explain.pool")
    with gr.Row():
        with gr.Column(scale=1, min_width=280):
            kind = ctx.tr(LessonRadio(["max", "avg"], value="max", elem_id="pool-kind"), "conv.pool_kind",
                          choices={"max": "conv.pool_kind.max", "avg": "conv.pool_kind.avg"})
            size, channels, kernel, stride, padding, dilation = _sliders(
                ctx, "pool", _POOL_SLIDERS, size=6, channels=1, kernel=2, stride=2, padding=0, dilation=1)
            seed = _seed(ctx, "pool")
            (shown,) = _sliders(ctx, "pool", shown=0)
            (typed_input,) = _typed_values(ctx, "pool", "conv.typed_input")
        with gr.Column(scale=3):
            plot = gr.Plot(elem_id="pool-anim", elem_classes=WIDE, show_label=False)
            check = gr.Markdown(elem_id="pool-check")
            formula = gr.Markdown(elem_id="pool-formula")
    animate(plot, tab.select)
    ctx.live(on_pool, [kind, size, channels, kernel, stride, padding, dilation, seed, typed_input, shown],
             [plot, formula, check], api_name="pool")
    code_panel(ctx, convolution.pool2d_steps)


def _build_transposed(ctx: AppContext, tab: gr.Tab) -> None:
    _explain(ctx, "conv.explain.transposed")
    with gr.Row():
        with gr.Column(scale=1, min_width=280):
            preset = ctx.tr(LessonDropdown(list(_PRESET_CHOICES), value=CUSTOM, elem_id="t-preset"), "conv.t_preset",
                            choices=_PRESET_CHOICES)
            size, kernel, stride, padding, output_padding, dilation, c_in, c_out = _sliders(
                ctx, "t", size=3, kernel=3, stride=2, padding=1, outpad=0, dilation=1, cin=1, cout=1)
            with gr.Row():
                bias = ctx.tr(gr.Checkbox(value=False, elem_id="t-bias"), "conv.bias")
                seed = _seed(ctx, "t")
            (shown,) = _sliders(ctx, "t", shown=0)
            typed_input, typed_kernel = _typed_values(ctx, "t", "conv.typed_input", "conv.typed_transposed_kernel")
        with gr.Column(scale=3):
            check = gr.Markdown(elem_id="t-check")
            formula = gr.Markdown(elem_id="t-formula")
            _explain(ctx, "conv.explain.transposed_a")
            scatter = gr.Plot(elem_id="t-scatter", elem_classes=WIDE, show_label=False)
            _explain(ctx, "conv.explain.transposed_b")
            zero_insert = gr.Plot(elem_id="t-zero-insert", elem_classes=WIDE, show_label=False)
            _explain(ctx, "conv.explain.transposed_c")
            matrix = gr.Plot(elem_id="t-matrix", elem_classes=WIDE, show_label=False)
    animate(scatter, tab.select)
    animate(zero_insert, tab.select)
    preset.change(on_transposed_preset, preset, [size, kernel, stride, padding, output_padding, dilation],
                  api_name="transposed_preset")
    ctx.live(on_transposed, [size, kernel, stride, padding, output_padding, dilation, c_in, c_out, bias, seed,
                             typed_input, typed_kernel, shown],
             [scatter, zero_insert, matrix, formula, check], api_name="transposed")
    code_panel(ctx, transposed.conv_transpose2d_three_ways, transposed.scatter_add, transposed.zero_insertion,
               transposed.matrix_view)


def _build_separable(ctx: AppContext) -> None:
    _explain(ctx, "conv.explain.separable")
    with gr.Row():
        with gr.Column(scale=1, min_width=280):
            c_in = ctx.tr(LessonNumber(3, precision=0, minimum=1, maximum=limits.MAX_COST_CHANNELS), "conv.cost_in")
            c_out = ctx.tr(LessonNumber(4, precision=0, minimum=1, maximum=limits.MAX_COST_CHANNELS), "conv.cost_out")
            (kernel,) = _sliders(ctx, "separable", kernel=3)
            out_size = ctx.tr(LessonNumber(5, precision=0, minimum=1, maximum=limits.MAX_COST_SIDE), "conv.out_size")
            bias = ctx.tr(gr.Checkbox(value=False), "conv.bias")
        with gr.Column(scale=3):
            plot = gr.Plot(elem_id="separable-plot", elem_classes=WIDE, show_label=False)
    ctx.live(on_separable, [c_in, c_out, kernel, out_size, bias], [plot], api_name="separable_cost")
    code_panel(ctx, conv_arithmetic.separable_cost)
