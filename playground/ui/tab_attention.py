"""Tab · Attention (primer §13–§15): the date Transformer's attention on the learner's text, step by step and
down to one head's Q·Kᵀ/√d; the Vision Transformer's CLS attention and rollout on the learner's picture."""

from __future__ import annotations

import gradio as gr

from playground import zoo
from playground.data import dates
from playground.lessons import attention as lesson
from playground.lessons import attention_views as views
from playground.models.transformer import MultiHeadAttention, Seq2SeqTransformer, VisionTransformer
from playground.ui.common import (
    EXAMPLES,
    AppContext,
    LessonRadio,
    LessonSlider,
    code_panel,
    picture_input,
    session_device,
    session_lang,
)
from playground.viz import attention as viz

DEFAULT_DATE = dates.examples()[0]


def on_read(text, layer, head, step, mech_kind, session):
    view = views.date_view(text, layer=layer, head=head, step=step, mechanism_kind=mech_kind,
                           device=session_device(session))
    return viz.date_page(view, lang=session_lang(session))


def on_vit(weights, image, layer, head, view, opacity, session, progress=gr.Progress(track_tqdm=True)):
    shown = views.vit_view(weights, image, layer=layer, head=head, view=view, opacity=opacity,
                           device=session_device(session), progress=True)
    return viz.vit_page(shown, lang=session_lang(session))


def build(ctx: AppContext) -> None:
    layers, heads = zoo.ATTENTION_LAYOUT["transformer", zoo.BUNDLED]
    head_choices = [views.AVERAGE, *(str(h) for h in range(1, heads + 1))]
    with ctx.tr(gr.Tab(id="attention", elem_id="tab-attention"), "attn.tab"):
        ctx.tr(gr.Markdown(), "attn.intro")
        with gr.Tabs():
            with ctx.tr(gr.Tab(id="attention-text", elem_id="tab-attention-text"), "attn.text_tab"):
                ctx.tr(gr.Markdown(), "attn.text_intro")
                with gr.Row():
                    with gr.Column(scale=1, min_width=300):
                        text = ctx.tr(gr.Textbox(DEFAULT_DATE, max_lines=1, elem_id="attn-text"), "attn.text")
                        shown = gr.Examples([[example] for example in dates.examples()], inputs=[text],
                                            examples_per_page=20)
                        ctx.tr(shown.dataset, "common.examples", headers=["attn.text"])
                        layer = ctx.tr(LessonRadio([str(i) for i in range(1, layers + 1)], value=str(layers),
                                                elem_id="attn-layer"), "attn.layer")
                        head = ctx.tr(LessonRadio(head_choices, value=views.AVERAGE, elem_id="attn-head"), "attn.head",
                                      choices={value: "attn.head.average" if value == views.AVERAGE else None
                                               for value in head_choices})
                    with gr.Column(scale=2):
                        result = gr.Markdown(elem_id="attn-result")
                        output = gr.HTML(elem_id="attn-output")
                        step = ctx.tr(LessonSlider(1, dates.TARGET_LENGTH + 1, value=1, step=1, elem_id="attn-step"),
                                      "attn.step")
                        lit = gr.HTML(elem_id="attn-lit")
                with gr.Row():
                    encoder = gr.Plot(elem_id="attn-encoder", show_label=False)
                    decoder = gr.Plot(elem_id="attn-decoder", show_label=False)
                cross = gr.Plot(elem_id="attn-cross", show_label=False)
                with ctx.tr(gr.Accordion(open=True, elem_id="attn-mechanism"), "attn.mechanism"):
                    ctx.tr(gr.Markdown(), "attn.mechanism.md")
                    mech_kind = ctx.tr(LessonRadio(list(lesson.KINDS), value="cross", elem_id="attn-mech-kind"),
                                       "attn.mech_kind", choices={k: f"attn.kind.{k}" for k in lesson.KINDS})
                    with gr.Row():
                        mech_plot = gr.Plot(elem_id="attn-mech-plot", show_label=False)
                        mech_md = gr.Markdown(elem_id="attn-mech-check")
                ctx.tr(gr.Markdown(elem_id="attn-caveat"), "attn.caveat")
                ctx.live(on_read, [text, layer, head, step, mech_kind],
                         [result, output, encoder, decoder, cross, lit, mech_plot, mech_md], api_name="attention",
                         examples=shown, concurrency_id="attention", gpu=True)
                code_panel(ctx, MultiHeadAttention, Seq2SeqTransformer)

            with ctx.tr(gr.Tab(id="attention-vit", elem_id="tab-attention-vit"), "attn.vit_tab"):
                ctx.tr(gr.Markdown(), "attn.vit.intro")
                vit_layers, _ = zoo.ATTENTION_LAYOUT["vit", zoo.BUNDLED]
                with gr.Row():
                    with gr.Column(scale=1, min_width=300):
                        weights = ctx.tr(LessonRadio(list(views.VIT_WEIGHTS), value="bundled", elem_id="vit-weights"),
                                         "attn.vit.weights",
                                         choices={w: f"attn.vit.weights.{w}" for w in views.VIT_WEIGHTS})
                        image = picture_input(ctx, "vit", default=EXAMPLES / "digit-3.png", examples_per_page=14,
                                              brush_size=18, examples=[path for path in sorted(EXAMPLES.glob("*"))
                                                                       if path.name.startswith("digit-")
                                                                       or path.suffix == ".jpg"])
                        vit_view = ctx.tr(LessonRadio(list(views.VIT_VIEWS), value="rollout", elem_id="vit-view"),
                                          "attn.vit.view", choices={v: f"attn.vit.view.{v}" for v in views.VIT_VIEWS})
                        # one range for both networks (Gradio checks a slider against the range it was built
                        # with); the view shows the last layer or head when a number goes beyond this network's
                        vit_layer = ctx.tr(LessonSlider(1, views.MAX_VIT_LAYERS, value=vit_layers, step=1,
                                                     elem_id="vit-layer"), "attn.vit.layer_pick")
                        vit_head = ctx.tr(LessonSlider(0, views.MAX_VIT_LAYERS, value=0, step=1, elem_id="vit-head"),
                                          "attn.vit.head_pick")
                        opacity = ctx.tr(LessonSlider(0, 1, value=0.7, step=0.05, elem_id="vit-opacity"),
                                         "attn.vit.opacity")
                    with gr.Column(scale=2):
                        with gr.Row():
                            patches = ctx.tr(gr.Image(format="png", interactive=False, height=300,
                                                      elem_id="vit-patches"), "attn.vit.patches")
                            vit_overlay = ctx.tr(gr.Image(format="png", interactive=False, height=300,
                                                          elem_id="vit-overlay"), "attn.vit.overlay")
                            predictions = gr.Markdown(elem_id="vit-predictions")
                        summary = gr.Markdown(elem_id="vit-summary")
                grid = gr.Plot(elem_id="vit-grid", show_label=False)
                ctx.tr(gr.Markdown(), "attn.caveat")
                ctx.live(on_vit, [weights, image, vit_layer, vit_head, vit_view, opacity],
                         [patches, vit_overlay, predictions, summary, grid], api_name="vit_attention",
                         concurrency_id="cnn", gpu=True)
                code_panel(ctx, VisionTransformer, lesson.rollout)
