"""Tab · Segmentation with an FCN (primer §11): every pixel's class on the learner's picture, the coarse score
map before the transposed convolution, and that convolution's kernel."""

from __future__ import annotations

import gradio as gr

from playground.lessons import segmentation as lesson
from playground.models import FCN
from playground.ui.common import (
    EXAMPLES,
    WIDE,
    AppContext,
    LessonCheckboxGroup,
    LessonDropdown,
    LessonRadio,
    LessonSlider,
    code_panel,
    picture_input,
    session_device,
    session_lang,
    ui_errors,
)
from playground.viz import segmentation as viz

WEIGHTS = ("bundled", "imagenet")  # "imagenet": torchvision's pretrained FCN (COCO, VOC classes)
DEFAULT_IMAGE = EXAMPLES / "scene-3.png"  # the digits 5, 0 and 6, all found by the bundled FCN


def on_segment(weights, image, opacity, shown, score_class, session, progress=gr.Progress(track_tqdm=True)):
    view = lesson.segment_view(weights, image, opacity=opacity, shown=shown, score_class=score_class,
                               device=session_device(session), progress=True)
    lang = session_lang(session)
    choices = viz.class_choices(view.result.classes, lang)  # named in the page's language
    return (*viz.segment_page(view, lang=lang), gr.update(choices=choices, value=view.picked),
            gr.update(choices=choices))


def on_weights(weights, shown, session):
    """Another network has other classes: offer its classes (all shown) in both class controls."""
    names = list(lesson.segment_classes(weights))
    choices = viz.class_choices(names, session_lang(session))
    return gr.update(choices=choices, value=names), gr.update(choices=choices, value=None)


def build(ctx: AppContext) -> None:
    names = list(lesson.segment_classes("bundled"))
    with ctx.tr(gr.Tab(id="segmentation", elem_id="tab-segmentation"), "seg.tab"):
        ctx.tr(gr.Markdown(), "seg.intro")
        with gr.Row():
            with gr.Column(scale=1, min_width=300):
                weights = ctx.tr(LessonRadio(list(WEIGHTS), value="bundled", elem_id="seg-weights"), "seg.weights",
                                 choices={w: f"seg.weights.{w}" for w in WEIGHTS})
                image = picture_input(ctx, "seg", default=DEFAULT_IMAGE, examples_per_page=13, brush_size=10,
                                      examples=[path for path in sorted(EXAMPLES.glob("*"))
                                                if path.name.startswith(("scene-", "digit-")) or path.suffix == ".jpg"])
                opacity = ctx.tr(LessonSlider(0, 1, value=0.65, step=0.05, elem_id="seg-opacity"), "seg.opacity")
                shown = ctx.tr(LessonCheckboxGroup(names, value=names, elem_id="seg-shown"), "seg.shown")
            with gr.Column(scale=2):
                with gr.Row():
                    overlay = ctx.tr(gr.Image(format="png", interactive=False, height=360, elem_id="seg-overlay"),
                                     "seg.overlay")
                    with gr.Column():
                        steps = gr.Markdown(elem_id="seg-steps")
                        legend = gr.HTML(elem_id="seg-legend")
                score_class = ctx.tr(LessonDropdown(names, value=None, allow_custom_value=True,
                                                 elem_id="seg-score-class"), "seg.score_class")
                scores = gr.Plot(elem_id="seg-scores", elem_classes=WIDE, show_label=False)
                with gr.Row():
                    kernel = gr.Plot(elem_id="seg-kernel", show_label=False)
                    kernel_note = gr.Markdown(elem_id="seg-kernel-note")
        outputs = [overlay, steps, legend, scores, kernel, kernel_note, score_class, shown]
        ctx.live(on_segment, [weights, image], outputs, api_name="segment",
                 also_read=[opacity, shown, score_class], concurrency_id="cnn", gpu=True)
        # controls that only change the drawing (the learner's own moves; the view sets some of them itself)
        gr.on([opacity.release, shown.input, score_class.input], ui_errors(on_segment, gpu=True),
              [weights, image, opacity, shown, score_class, ctx.session], outputs, api_visibility="private",
              concurrency_id="cnn", trigger_mode="always_last")
        weights.input(on_weights, [weights, shown, ctx.session], [shown, score_class], api_visibility="private")
        code_panel(ctx, FCN, lesson.segment)
