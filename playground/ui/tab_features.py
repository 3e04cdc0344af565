"""Tab · CNN feature maps (primer §2–§9): every layer of a network on the learner's picture, what the network
looked at (captum), and one picture through all eight networks (LeNet and the seven families)."""

from __future__ import annotations

import gradio as gr

from playground import limits, zoo
from playground.i18n import t
from playground.lessons import attribution as attr_lesson
from playground.lessons import feature_maps as lesson
from playground.lessons import feature_views as views
from playground.lessons.networks import WEIGHTS
from playground.ui.common import (
    EXAMPLES,
    AppContext,
    LessonDropdown,
    LessonNumber,
    LessonRadio,
    LessonSlider,
    code_panel,
    jpeg_gallery,
    picture_input,
    reuse_repeats,
    session_device,
    session_lang,
    stale_on_change,
    ui_errors,
)
from playground.viz import feature_views as pages

DEFAULT_IMAGE = EXAMPLES / "digit-7.png"
FAST_METHODS = ("grad_cam", "saliency")  # about one forward + backward pass: redone whenever the view changes


# --- handlers: read the controls, call the view, draw its page ------------------------------------------


def on_view(name, weights, image, fit, scale, temperature, trained, session, progress=gr.Progress(track_tqdm=True)):
    """The whole view: what the network sees, its predictions, every layer, the table, one layer enlarged."""
    view = views.maps_view(name, weights, image, fit=fit, scale=scale, temperature=temperature, trained=trained,
                           device=session_device(session), progress=True)
    page = pages.maps_page(view, lang=session_lang(session))
    return (page.seen, page.steps, page.predictions, page.summary, jpeg_gallery(page.gallery), view.map_names,
            gr.update(choices=view.layer_names, value=view.shown),
            gr.update(value=page.first_channel, interactive=page.more_channels), page.figure, page.table,
            gr.update(choices=page.targets, value=-1), gr.update(choices=view.cam_layers, value=view.network.cam_layer))


def on_layer(name, weights, image, fit, layer_name, first_channel, scale, trained, session):
    """One layer large, a page of channels with every value on hover."""
    view = views.layer_view(name, weights, image, layer_name, fit=fit, first_channel=first_channel, scale=scale,
                            trained=trained, device=session_device(session))
    figure, first, more_channels = pages.layer_page(view, lang=session_lang(session))
    return figure, gr.update(value=first, interactive=more_channels)


def on_gallery_select(map_names, evt: gr.SelectData):
    """A click on a layer's picture picks that layer for the enlarged view."""
    index = evt.index if isinstance(evt.index, int) else 0
    return map_names[index] if 0 <= index < len(map_names) else gr.skip()


def _target(choice) -> int | None:
    """The class dropdown: -1 (or nothing) means the predicted class."""
    return None if choice in (None, "", -1, "-1") else choice


def _reporter(progress, lang: str):
    """The lesson reports (fraction, i18n key); gr.Progress shows it in the learner's language."""
    return lambda fraction, key: progress(fraction, desc=t(key, lang))


def on_explain(name, weights, image, fit, method, target, cam_layer, steps, sign, opacity, clip, trained, session,
               progress=gr.Progress()):
    lang = session_lang(session)
    view = views.explain(name, weights, image, method, fit=fit, target=_target(target), layer=cam_layer or None,
                         n_steps=steps, sign=sign, opacity=opacity, clip_percentile=clip, trained=trained,
                         device=session_device(session), progress=_reporter(progress, lang))
    return pages.explanation_page(view, lang=lang)


def on_auto_explain(name, weights, image, fit, method, target, cam_layer, steps, sign, opacity, clip, trained,
                    session):
    """After the view changes, redo the explanation when its method is quick (Grad-CAM, saliency); the slow
    ones wait for the Explain button."""
    if method not in FAST_METHODS:
        return gr.skip(), gr.skip()
    return on_explain(name, weights, image, fit, method, target, cam_layer, steps, sign, opacity, clip, trained,
                      session, progress=lambda *args, **kwargs: None)


def on_sanity(name, weights, image, fit, method, target, cam_layer, steps, sign, opacity, clip, trained, session,
              progress=gr.Progress()):
    lang = session_lang(session)
    progress(0.05, desc=t("feat.attr.sanity.running", lang))
    view = views.sanity(name, weights, image, method, fit=fit, target=_target(target), layer=cam_layer or None,
                        n_steps=steps, sign=sign, opacity=opacity, clip_percentile=clip, trained=trained,
                        device=session_device(session))
    return pages.sanity_page(view, lang=lang)


def on_compare(weights, image, fit, temperature, trained, session, progress=gr.Progress()):
    rows = views.compare(image, weights=weights, fit=fit, temperature=temperature, trained=trained,
                         device=session_device(session), progress=lambda f, family: progress(f, desc=family))
    return pages.comparison_page(rows, lang=session_lang(session))


# --- layout -------------------------------------------------------------------------------------------


def build(ctx: AppContext) -> None:
    names = [(zoo.get_entry(name).family, name) for name in zoo.list_models()]
    with ctx.tr(gr.Tab(id="features", elem_id="tab-features"), "feat.tab"):
        ctx.tr(gr.Markdown(), "feat.intro")
        with gr.Row():
            with gr.Column(scale=1, min_width=300):
                network = ctx.tr(LessonDropdown(names, value="lenet", elem_id="feat-network"), "feat.network")
                weights = ctx.tr(LessonRadio(list(WEIGHTS), value="bundled", elem_id="feat-weights"), "feat.weights",
                                 choices={w: f"feat.weights.{w}" for w in WEIGHTS})
                image = picture_input(ctx, "feat", default=DEFAULT_IMAGE, examples_per_page=10, brush_size=14,
                                      examples=[path for path in sorted(EXAMPLES.glob("*")) if path.suffix in
                                                (".png", ".jpg") and not path.name.startswith("scene-")],
                                      api_name="use_drawing")
                fit = ctx.tr(LessonRadio(["pad", "crop"], value="pad", elem_id="feat-fit"), "feat.fit",
                             choices={"pad": "feat.fit.pad", "crop": "feat.fit.crop"})
                scale = ctx.tr(LessonRadio(list(lesson.SCALES), value="layer", elem_id="feat-scale"), "feat.scale",
                               choices={s: f"feat.scale.{s}" for s in lesson.SCALES})
                temperature = ctx.tr(LessonSlider(limits.MIN_TEMPERATURE, 10, value=1.0, step=0.01,
                                               elem_id="feat-temperature"), "feat.temperature")
            with gr.Column(scale=3):
                with gr.Row():
                    seen = ctx.tr(gr.Image(format="png", interactive=False, height=200, elem_id="feat-seen"),
                                  "feat.seen")
                    with gr.Column():
                        steps = gr.Markdown(elem_id="feat-steps")
                        summary = gr.Markdown(elem_id="feat-summary")
                    predictions = ctx.tr(gr.Label(num_top_classes=views.TOP_K, elem_id="feat-predictions"),
                                         "feat.predictions")
                gallery = ctx.tr(gr.Gallery(columns=5, height=460, format="jpeg", object_fit="contain",
                                            allow_preview=False, elem_id="feat-gallery"), "feat.gallery")
                map_names = gr.State([])
                with gr.Row():
                    layer = ctx.tr(LessonDropdown([], elem_id="feat-layer", allow_custom_value=True, scale=3),
                                   "feat.layer")
                    # a number, not a slider: its range would follow the layer, and a range set for one layer
                    # would refuse a value meant for the next one
                    first_channel = ctx.tr(LessonNumber(0, minimum=0, precision=0, step=1, elem_id="feat-first",
                                                     scale=1), "feat.first_channel")
                enlarged = gr.Plot(elem_id="feat-enlarged", show_label=False)
                with ctx.tr(gr.Accordion(open=False, elem_id="feat-table-box"), "feat.table"):
                    table = gr.Dataframe(interactive=False, wrap=True, elem_id="feat-table", show_label=False)
        with ctx.tr(gr.Accordion(open=True, elem_id="feat-attr"), "feat.attr.section"):
            ctx.tr(gr.Markdown(), "feat.attr.intro")
            with gr.Row():
                with gr.Column(scale=1, min_width=300):
                    method = ctx.tr(LessonRadio(list(attr_lesson.METHODS), value="grad_cam", elem_id="attr-method"),
                                    "attr.method", choices={m: f"attr.method.{m}" for m in attr_lesson.METHODS})
                    # choices follow the network (set by the view); the lesson checks the value the API sends
                    target = ctx.tr(LessonDropdown([("predicted", -1)], value=-1, allow_custom_value=True,
                                                elem_id="attr-target"), "attr.target")
                    cam_layer = ctx.tr(LessonDropdown([], allow_custom_value=True, elem_id="attr-layer"), "attr.layer")
                    ig_steps = ctx.tr(LessonSlider(limits.MIN_IG_STEPS, limits.MAX_IG_STEPS, value=32, step=1,
                                                elem_id="attr-steps"), "attr.steps")
                    sign = ctx.tr(LessonRadio(list(attr_lesson.SIGNS), value="positive", elem_id="attr-sign"),
                                  "attr.sign",
                                  choices={s: f"attr.sign.{s}" for s in attr_lesson.SIGNS})
                    opacity = ctx.tr(LessonSlider(0, 1, value=0.75, step=0.05, elem_id="attr-opacity"), "attr.opacity")
                    clip = ctx.tr(LessonSlider(limits.MIN_CLIP_PERCENTILE, limits.MAX_CLIP_PERCENTILE, value=99,
                                            step=0.5, elem_id="attr-clip"), "attr.clip")
                    with gr.Row():
                        explain = ctx.tr(gr.Button(variant="primary", elem_id="attr-run"), "feat.attr.run")
                        sanity = ctx.tr(gr.Button(elem_id="attr-sanity"), "feat.attr.sanity")
                with gr.Column(scale=2):
                    with gr.Row():
                        attr_image = ctx.tr(gr.Image(format="png", interactive=False, height=320,
                                                     elem_id="attr-overlay"), "feat.attr.overlay")
                        attr_notes = gr.Markdown(elem_id="attr-notes")
                    with gr.Row():
                        sanity_gallery = ctx.tr(gr.Gallery(columns=2, height=280, format="png", allow_preview=False,
                                                           elem_id="attr-sanity-gallery"), "feat.attr.sanity.gallery")
                        sanity_notes = gr.Markdown(elem_id="attr-sanity-notes")
        with ctx.tr(gr.Accordion(open=False, elem_id="feat-compare"), "cmp.section"):
            ctx.tr(gr.Markdown(), "cmp.intro")
            with gr.Row():
                compare_weights = ctx.tr(LessonRadio(list(WEIGHTS), value="bundled", elem_id="cmp-weights"),
                                         "feat.weights", choices={w: f"feat.weights.{w}" for w in WEIGHTS})
                compare = ctx.tr(gr.Button(variant="primary", elem_id="cmp-run"), "cmp.run")
            compare_html = gr.HTML(elem_id="cmp-html")
            compare_table = gr.Dataframe(interactive=False, elem_id="cmp-table", show_label=False)

        view_controls = [network, weights, image, fit, scale, temperature]
        view = ctx.live(on_view, view_controls,
                 [seen, steps, predictions, summary, gallery, map_names, layer, first_channel, enlarged, table,
                  target, cam_layer],
                 api_name="feature_maps", also_read=[ctx.trained], concurrency_id="cnn", gpu=True)
        layer_inputs = [network, weights, image, fit, layer, first_channel, scale, ctx.trained, ctx.session]
        layer_handler = ui_errors(on_layer, gpu=True)
        layer.input(layer_handler, layer_inputs, [enlarged, first_channel], api_name="feature_layer",
                    concurrency_id="cnn")
        first_channel.submit(layer_handler, layer_inputs, [enlarged, first_channel], api_visibility="private",
                              concurrency_id="cnn")
        gallery.select(on_gallery_select, map_names, layer, api_visibility="private").then(
            layer_handler, layer_inputs, [enlarged, first_channel], api_visibility="private", concurrency_id="cnn")
        explain_inputs = [network, weights, image, fit, method, target, cam_layer, ig_steps, sign, opacity, clip,
                          ctx.trained, ctx.session]
        explain.click(ui_errors(on_explain, gpu=True), explain_inputs, [attr_image, attr_notes], api_name="attribution",
                      concurrency_id="cnn")
        auto_explain = reuse_repeats(ui_errors(on_auto_explain, gpu=True))
        view.success(auto_explain, explain_inputs, [attr_image, attr_notes], api_visibility="private",
                     concurrency_id="cnn")
        gr.on([method.change, target.input, cam_layer.input, sign.change, opacity.release, clip.release],
              auto_explain, explain_inputs, [attr_image, attr_notes], api_visibility="private",
              concurrency_id="cnn", trigger_mode="always_last")
        checked = sanity.click(ui_errors(on_sanity, gpu=True), explain_inputs, [sanity_gallery, sanity_notes],
                               api_name="sanity_check", concurrency_id="cnn")
        stale_on_change(explain_inputs, checked, [sanity_gallery, sanity_notes])
        compare_inputs = [compare_weights, image, fit, temperature, ctx.trained, ctx.session]
        compared = compare.click(ui_errors(on_compare, gpu=True), compare_inputs, [compare_html, compare_table],
                                 api_name="compare_networks", concurrency_id="cnn")
        stale_on_change(compare_inputs, compared, [compare_html, compare_table])
        code_panel(ctx, lesson.capturing)
