"""Tab · Transfer learning (primer §10): the primer's three ways and training from scratch, raced on the same few
labelled pictures of a new domain, with live curves, Stop, and a table of what each one trains."""

from __future__ import annotations

import gradio as gr

from playground import limits, zoo
from playground.lessons import transfer as lesson
from playground.runtime import resolve_device
from playground.ui.common import (
    AppContext,
    LessonDropdown,
    LessonNumber,
    LessonSlider,
    SessionRuns,
    code_panel,
    session_device,
    session_lang,
    ui_errors,
)
from playground.viz import transfer as viz

DEFAULTS = lesson.TransferConfig()

# Each learner's run: Stop and a closed page reach it only; a second Start stops the first.
_RUNS = SessionRuns()


def on_transfer(network, per_class, epochs, lr, seed, session, request: gr.Request, progress=gr.Progress()):
    """Stream the four curves while the comparison runs; the table follows every epoch."""
    lang, device = session_lang(session), session_device(session)
    config = lesson.make_config(network=network, per_class=per_class, epochs=epochs, lr=lr, seed=seed,
                                device=str(resolve_device(device)))
    run = _RUNS.start(request, lambda: lesson.TransferRun.start(config))
    try:
        # drawing pictures, loading four networks
        yield gr.skip(), gr.skip(), viz.status_markdown(None, device, lang=lang)
        for comparison in run.snapshots():
            if comparison.error is not None:
                raise comparison.error
            progress(comparison.progress, desc=viz.progress_label(config, lang=lang))
            yield viz.race_page(comparison, device, lang=lang)
    finally:
        _RUNS.finished(request, run)


def on_stop(request: gr.Request) -> None:
    """Stop this learner's comparison; the curves then show the epochs all four finished."""
    _RUNS.stop(request)


def on_examples(seed, per_class, session):
    """The same digits drawn the source way and the target way (exactly what a run with these settings trains on)."""
    return viz.examples_figure(lesson.examples(seed=seed, per_class=per_class), lang=session_lang(session))


def build(ctx: AppContext) -> None:
    names = {name: zoo.get_entry(name).family for name in lesson.transfer_networks()}
    with ctx.tr(gr.Tab(id="transfer", elem_id="tab-transfer"), "xfer.tab"):
        ctx.tr(gr.Markdown(), "xfer.intro")
        with gr.Row():
            with gr.Column(scale=1, min_width=280):
                network = ctx.tr(LessonDropdown([(family, name) for name, family in names.items()],
                                             value=DEFAULTS.network, elem_id="xfer-network"), "xfer.network")
                per_class = ctx.tr(LessonSlider(limits.MIN_TRANSFER_PER_CLASS, limits.MAX_TRANSFER_PER_CLASS,
                                             value=DEFAULTS.per_class, step=1, elem_id="xfer-per-class"),
                                   "xfer.per_class")
                epochs = ctx.tr(LessonSlider(1, limits.MAX_TRANSFER_EPOCHS, value=DEFAULTS.epochs, step=1,
                                          elem_id="xfer-epochs"), "xfer.epochs")
                lr = ctx.tr(LessonNumber(DEFAULTS.lr, minimum=limits.MIN_LEARNING_RATE,
                                      maximum=limits.MAX_LEARNING_RATE, step=0.0005, elem_id="xfer-lr"), "xfer.lr")
                seed = ctx.tr(LessonNumber(DEFAULTS.seed, precision=0, minimum=0, maximum=limits.MAX_SEED,
                                        elem_id="xfer-seed"), "xfer.seed")
                with gr.Row():
                    start = ctx.tr(gr.Button(variant="primary", elem_id="xfer-start"), "xfer.start")
                    stop = ctx.tr(gr.Button(variant="stop", elem_id="xfer-stop"), "xfer.stop")
            with gr.Column(scale=3):
                status = gr.Markdown(elem_id="xfer-status")
                curves = gr.Plot(elem_id="xfer-curves", show_label=False)
                table = gr.Markdown(elem_id="xfer-table")
                ctx.tr(gr.Markdown(elem_id="xfer-try"), "xfer.try")
        ctx.tr(gr.Markdown(), "xfer.examples_md")
        examples = gr.Plot(elem_id="xfer-examples", show_label=False)
        ctx.live(on_examples, [seed, per_class], [examples], api_name="transfer_examples")
        start.click(ui_errors(on_transfer), [network, per_class, epochs, lr, seed, ctx.session],
                    [curves, table, status], api_name="transfer",
                    concurrency_limit=limits.MAX_CONCURRENT_TRAININGS, concurrency_id="training")
        stop.click(on_stop, None, None, api_name="stop_transfer", queue=False)
        ctx.demo.unload(on_stop)  # a closed page stops its comparison
        code_panel(ctx, lesson.prepare, lesson.set_train_mode, lesson.train_epoch)
