"""Tab · Attention (primer §13–§15): the date Transformer's attention on the learner's text, step by step and
down to one head's Q·Kᵀ/√d; the Vision Transformer's CLS attention and rollout on the learner's picture."""

from __future__ import annotations

import gradio as gr

from playground import zoo
from playground.data import dates
from playground.errors import InputError
from playground.i18n import t
from playground.lessons import attention as lesson
from playground.lessons.feature_maps import top_k
from playground.lessons.images import open_image, prepare
from playground.lessons.networks import resolve
from playground.models.transformer import MultiHeadAttention, Seq2SeqTransformer, VisionTransformer
from playground.runtime import resolve_device
from playground.ui.common import EXAMPLES, AppContext, code_panel, picture_input, session_device, session_lang
from playground.viz import attention as viz

KINDS = lesson.KINDS
AVERAGE = "average"
VIT_WEIGHTS = ("bundled", "imagenet")
VIT_VIEWS = ("cls", "rollout")
MAX_VIT_LAYERS = 12  # torchvision's ViT-B/16: 12 layers of 12 heads (the bundled ViT: 4 of 4)
DEFAULT_DATE = dates.examples()[0]


def _date_model(session) -> Seq2SeqTransformer:
    return zoo.MODELS.get("transformer", zoo.BUNDLED, str(resolve_device(session_device(session))))


def _head(head: str | None) -> int | None:
    """The head control's value: "average" or "1", "2", … (1-based for the learner)."""
    if head in (None, AVERAGE):
        return None
    return lesson.as_whole(head, 1, 64, "attn.head") - 1


def _result_markdown(reading: lesson.DateReading, lang: str) -> str:
    verdict = "attn.valid" if reading.is_valid_date else "attn.invalid"
    lines = [t(verdict, lang, output=reading.output or "∅")]
    if reading.unknown:
        lines.append(t("attn.unknown_note", lang, chars=" ".join(reading.unknown)))
    return "\n\n".join(lines)


def on_read(text, layer, head, step, mech_kind, session):
    lang = session_lang(session)
    model = _date_model(session)
    reading = lesson.read_date(model, text)
    layer_index = lesson.as_whole(layer, 1, len(reading.encoder), "attn.layer") - 1
    head_index = _head(head)
    step_index = min(lesson.as_whole(step, 1, dates.TARGET_LENGTH + 1, "attn.step"), len(reading.output_tokens)) - 1
    figures = []
    for kind in KINDS:
        view = lesson.head_view(reading.maps(kind), layer_index, head_index)
        title = t(f"attn.title.{kind}", lang, layer=layer_index + 1,
                  head=t("attn.head.average", lang) if head_index is None else head_index + 1)
        figures.append(viz.attention_figure(reading, kind, view, title=title, lang=lang))
    cross = lesson.head_view(reading.cross, layer_index, head_index)[step_index]
    mech_kind = mech_kind if mech_kind in KINDS else "cross"
    rows = reading.maps(mech_kind)[0].shape[1]  # the encoder has one row per source character, not per step
    mech = lesson.mechanism(model, reading, mech_kind, layer_index, head_index or 0, min(step_index, rows - 1))
    mech_md = viz.mechanism_markdown(mech, lang=lang)
    if head_index is None:
        mech_md += "\n\n" + t("attn.mech.average_note", lang)
    return (_result_markdown(reading, lang), viz.output_html(reading, step_index, lang=lang), *figures,
            viz.lit_source_html(reading, step_index, cross, lang=lang), viz.mechanism_figure(mech, lang=lang), mech_md)


def _vit_network(weights: str, session):
    device = str(resolve_device(session_device(session)))
    return resolve("vit", weights, device=device, progress=True)


def _vit_shape(weights: str) -> tuple[int, int]:
    """(layers, heads) without loading anything."""
    return (12, 12) if weights == "imagenet" else (len(zoo.get_entry("vit").build().blocks), 4)


def on_vit(weights, image, layer, head, view, opacity, session, progress=gr.Progress(track_tqdm=True)):
    lang = session_lang(session)
    if not image:
        raise InputError("img.err.no_image")
    network = _vit_network(weights, session)
    loaded = open_image(image)
    spec = network.input
    prepared = prepare(loaded.image, size=spec.size, mean=spec.mean, std=spec.std, resize=spec.resize,
                       fit="crop" if network.weights == "imagenet" else "pad")
    device = next(network.model.parameters()).device
    with network.lock:  # torchvision's ViT: pre-hooks record each block's attention inputs
        reading = lesson.read_picture(network.model, prepared.tensor.to(device))
    layers, heads = len(reading.attention), reading.attention[0].shape[0]
    layer_index = min(lesson.as_whole(layer, 1, MAX_VIT_LAYERS, "attn.vit.layer_pick"), layers) - 1
    head_number = min(lesson.as_whole(head, 0, MAX_VIT_LAYERS, "attn.vit.head_pick"), heads)
    head_index = None if head_number == 0 else head_number - 1
    if view == "rollout":
        grid_map, head_name = reading.rollout_map(layer_index), t("attn.vit.average", lang)
    else:
        grid_map = reading.cls_map(layer_index, head_index)
        head_name = t("attn.vit.average", lang) if head_index is None else t("attn.vit.head", lang, head=head_number)
    shown = t("attn.vit.shown", lang, view=t(f"attn.vit.view.{view}" if view in VIT_VIEWS else "attn.vit.view.cls",
                                            lang), layer=layer_index + 1, head=head_name)
    rows = lesson.rollout(reading.attention)
    steps = " → ".join(t(step.key, lang, **step.params) for step in prepared.steps)
    notes = [t(note.key, lang, **note.params) for note in loaded.notes]
    summary = "\n".join([
        f"**{network.label}** · " + t("attn.vit.steps", lang, steps=steps, grid=reading.grid, patch=reading.patch,
                                      tokens=reading.grid**2 + 1),
        "", shown,
        *[f"- {note}" for note in notes],
        "", t("attn.vit.check", lang, delta=f"{float((rows.sum(-1) - 1).abs().max()):.1e}", layers=layers)])
    predictions = top_k(reading.logits, network.classes, k=5)
    return (viz.patches_picture(prepared.seen, reading.grid), viz.map_on_picture(prepared.seen, grid_map,
            opacity=opacity), viz.top_predictions_markdown(predictions, lang=lang), summary,
            viz.cls_grid_figure(reading, lang=lang))


def build(ctx: AppContext) -> None:
    model_args = zoo.get_entry("transformer").build().model_args
    layers, heads = model_args["layers"], model_args["heads"]
    head_choices = [AVERAGE, *(str(h) for h in range(1, heads + 1))]
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
                        layer = ctx.tr(gr.Radio([str(i) for i in range(1, layers + 1)], value=str(layers),
                                                elem_id="attn-layer"), "attn.layer")
                        head = ctx.tr(gr.Radio(head_choices, value=AVERAGE, elem_id="attn-head"), "attn.head",
                                      choices={value: "attn.head.average" if value == AVERAGE else None
                                               for value in head_choices})
                    with gr.Column(scale=2):
                        result = gr.Markdown(elem_id="attn-result")
                        output = gr.HTML(elem_id="attn-output")
                        step = ctx.tr(gr.Slider(1, dates.TARGET_LENGTH + 1, value=1, step=1, elem_id="attn-step"),
                                      "attn.step")
                        lit = gr.HTML(elem_id="attn-lit")
                with gr.Row():
                    encoder = gr.Plot(elem_id="attn-encoder", show_label=False)
                    decoder = gr.Plot(elem_id="attn-decoder", show_label=False)
                cross = gr.Plot(elem_id="attn-cross", show_label=False)
                with ctx.tr(gr.Accordion(open=True, elem_id="attn-mechanism"), "attn.mechanism"):
                    ctx.tr(gr.Markdown(), "attn.mechanism.md")
                    mech_kind = ctx.tr(gr.Radio(list(KINDS), value="cross", elem_id="attn-mech-kind"),
                                       "attn.mech_kind", choices={k: f"attn.kind.{k}" for k in KINDS})
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
                vit_layers, _ = _vit_shape("bundled")
                with gr.Row():
                    with gr.Column(scale=1, min_width=300):
                        weights = ctx.tr(gr.Radio(list(VIT_WEIGHTS), value="bundled", elem_id="vit-weights"),
                                         "attn.vit.weights", choices={w: f"attn.vit.weights.{w}" for w in VIT_WEIGHTS})
                        image = picture_input(ctx, "vit", default=EXAMPLES / "digit-3.png", examples_per_page=14,
                                              brush_size=18, examples=[path for path in sorted(EXAMPLES.glob("*"))
                                                                       if path.name.startswith("digit-")
                                                                       or path.suffix == ".jpg"])
                        vit_view = ctx.tr(gr.Radio(list(VIT_VIEWS), value="rollout", elem_id="vit-view"),
                                          "attn.vit.view", choices={v: f"attn.vit.view.{v}" for v in VIT_VIEWS})
                        # one range for both networks (Gradio checks a slider against the range it was built
                        # with); on_vit shows the last layer or head when a number goes beyond this network's
                        vit_layer = ctx.tr(gr.Slider(1, MAX_VIT_LAYERS, value=vit_layers, step=1, elem_id="vit-layer"),
                                           "attn.vit.layer_pick")
                        vit_head = ctx.tr(gr.Slider(0, MAX_VIT_LAYERS, value=0, step=1, elem_id="vit-head"),
                                          "attn.vit.head_pick")
                        opacity = ctx.tr(gr.Slider(0, 1, value=0.7, step=0.05, elem_id="vit-opacity"),
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
