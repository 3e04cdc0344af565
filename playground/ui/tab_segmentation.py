"""Tab · Segmentation with an FCN (primer §11): every pixel's class on the learner's picture, the coarse score
map before the transposed convolution, and that convolution's kernel."""

from __future__ import annotations

import gradio as gr

from playground import zoo
from playground.errors import InputError
from playground.i18n import t
from playground.lessons import segmentation as lesson
from playground.lessons.images import open_image
from playground.lessons.networks import Network, resolve
from playground.models import FCN
from playground.runtime import resolve_device
from playground.ui.common import (EXAMPLES, AppContext, code_panel, picture_input, session_device, session_lang,
                                   ui_errors)
from playground.viz import segmentation as viz

WEIGHTS = ("bundled", "imagenet")  # "imagenet": torchvision's pretrained FCN (COCO, VOC classes)
DEFAULT_IMAGE = EXAMPLES / "scene-3.png"  # the digits 5, 0 and 6, all found by the bundled FCN


def _network(weights: str, session, *, progress: bool = False) -> Network:
    device = str(resolve_device(session_device(session)))
    return resolve("fcn", weights, device=device, progress=progress)


def _classes(weights: str) -> tuple[str, ...]:
    """The classes of each choice, without loading anything (torchvision's from its weights' metadata)."""
    return zoo.torchvision_categories("fcn") if weights == "imagenet" else zoo.get_entry("fcn").classes


def on_segment(weights, image, opacity, shown, score_class, session, progress=gr.Progress(track_tqdm=True)):
    lang = session_lang(session)
    if not image:
        raise InputError("img.err.no_image")
    network = _network(weights, session, progress=True)
    loaded = open_image(image)
    result = lesson.segment(network, loaded.image)
    notes = [t(note.key, lang, **note.params) for note in loaded.notes]
    steps = " → ".join(t(step.key, lang, **step.params) for step in result.steps)
    markdown = "\n".join([f"**{network.label}** · " + t("seg.steps", lang, steps=steps), *[f"- {n}" for n in notes]])
    names = result.classes
    # None, or names of another network's classes (the weights just changed): show every class
    known = [names.index(name) for name in shown or () if name in names]
    shown_indices = known if known or shown == [] else None
    picture = viz.overlay(result, opacity=opacity, shown=shown_indices)
    present = [names[index] for index, _ in result.shares if index > 0]
    # the class the learner picked; none picked: the largest class found in this picture (chosen anew each time)
    picked = score_class if score_class in names else None
    chosen = picked or (present[0] if present else names[0])
    figure = viz.scores_figure(result, names.index(chosen), lang=lang)
    if network.weights == "imagenet":
        kernel, kernel_note = None, t("seg.interpolation_note", lang)
    else:
        up = network.model.up_final
        kernel = viz.kernel_figure(lesson.transposed_kernel(network, names.index(chosen)), lang=lang)
        kernel_note = t("seg.kernel_note", lang, k=up.kernel_size[0], stride=up.stride[0], padding=up.padding[0])
    return (picture, markdown, viz.legend_html(result, lang=lang), figure, kernel, kernel_note,
            gr.update(choices=list(names), value=picked))


def on_weights(weights, shown):
    """Another network has other classes: offer its classes (all shown) in both class controls."""
    names = list(_classes(weights))
    return gr.update(choices=names, value=names), gr.update(choices=names, value=None)


def build(ctx: AppContext) -> None:
    names = list(_classes("bundled"))
    with ctx.tr(gr.Tab(id="segmentation", elem_id="tab-segmentation"), "seg.tab"):
        ctx.tr(gr.Markdown(), "seg.intro")
        with gr.Row():
            with gr.Column(scale=1, min_width=300):
                weights = ctx.tr(gr.Radio(list(WEIGHTS), value="bundled", elem_id="seg-weights"), "seg.weights",
                                 choices={w: f"seg.weights.{w}" for w in WEIGHTS})
                image = picture_input(ctx, "seg", default=DEFAULT_IMAGE, examples_per_page=13, brush_size=10,
                                      examples=[path for path in sorted(EXAMPLES.glob("*"))
                                                if path.name.startswith(("scene-", "digit-")) or path.suffix == ".jpg"])
                opacity = ctx.tr(gr.Slider(0, 1, value=0.65, step=0.05, elem_id="seg-opacity"), "seg.opacity")
                shown = ctx.tr(gr.CheckboxGroup(names, value=names, elem_id="seg-shown"), "seg.shown")
            with gr.Column(scale=2):
                with gr.Row():
                    overlay = ctx.tr(gr.Image(format="png", interactive=False, height=360, elem_id="seg-overlay"),
                                     "seg.overlay")
                    with gr.Column():
                        steps = gr.Markdown(elem_id="seg-steps")
                        legend = gr.HTML(elem_id="seg-legend")
                score_class = ctx.tr(gr.Dropdown(names, value=None, allow_custom_value=True,
                                                 elem_id="seg-score-class"), "seg.score_class")
                scores = gr.Plot(elem_id="seg-scores", show_label=False)
                with gr.Row():
                    kernel = gr.Plot(elem_id="seg-kernel", show_label=False)
                    kernel_note = gr.Markdown(elem_id="seg-kernel-note")
        outputs = [overlay, steps, legend, scores, kernel, kernel_note, score_class]
        ctx.live(on_segment, [weights, image], outputs, api_name="segment",
                 also_read=[opacity, shown, score_class], concurrency_id="cnn", gpu=True)
        # controls that only change the drawing (the learner's own moves; the view sets some of them itself)
        gr.on([opacity.release, shown.input, score_class.input], ui_errors(on_segment, gpu=True),
              [weights, image, opacity, shown, score_class, ctx.session], outputs, api_visibility="private",
              concurrency_id="cnn", trigger_mode="always_last")
        weights.input(on_weights, [weights, shown], [shown, score_class], api_visibility="private")
        code_panel(ctx, FCN, lesson.segment)
