"""Tab · Training loop (primer §1, §3): train a zoo network live, stop it, inspect and download the result."""

from __future__ import annotations

import gradio as gr

from playground import limits, zoo
from playground.lessons import training as lesson
from playground.runtime import resolve_device
from playground.train.loop import fit
from playground.ui.common import (
    AppContext,
    LessonDropdown,
    LessonNumber,
    LessonRadio,
    LessonSlider,
    SessionRuns,
    cache_file,
    code_panel,
    session_device,
    session_lang,
    ui_errors,
)
from playground.viz import training as viz

# Each learner's run: Stop and a closed page reach it only; a second Start stops the first.
_RUNS = SessionRuns()


def on_train(name, optimizer, lr, batch_size, epochs, seed, trained, session, request: gr.Request,
             progress=gr.Progress()):
    """Stream curves while the run lasts; at the end, the evaluation, the download and the session model."""
    lang, device = session_lang(session), session_device(session)
    config = lesson.make_config(epochs=epochs, lr=lr, batch_size=batch_size, optimizer=optimizer, seed=seed,
                                device=str(resolve_device(device)))
    zoo.get_entry(name)  # an unknown network is refused before a run starts
    run = _RUNS.start(request, lambda: lesson.TrainingRun.start(name, config))
    skip = gr.skip()
    try:
        for snapshot in run.snapshots():
            if snapshot.error is not None:
                raise snapshot.error
            progress(snapshot.progress, desc=viz.progress_label(snapshot, lang=lang))
            status = viz.status_markdown(snapshot, device, lang=lang)
            yield viz.curves_figure(snapshot, lang=lang), status, skip, skip, skip, skip
    finally:
        _RUNS.finished(request, run)
    result = run.result(snapshot)
    yield (*viz.results_page(result, lang=lang), cache_file(result.file_bytes(), f"{run.name}-trained.safetensors"),
           {**(trained or {}), name: result.record})


def on_stop(request: gr.Request) -> None:
    """Stop this learner's run; the training event then shows the network as it stands."""
    _RUNS.stop(request)


def build(ctx: AppContext) -> None:
    names = {name: zoo.get_entry(name).family for name in zoo.list_models()}
    with ctx.tr(gr.Tab(id="training", elem_id="tab-training"), "train.tab"):
        ctx.tr(gr.Markdown(), "train.intro")
        with gr.Row():
            with gr.Column(scale=1, min_width=280):
                arch = ctx.tr(LessonDropdown([(family, name) for name, family in names.items()], value="lenet",
                                          elem_id="train-arch"), "train.arch")
                optimizer = ctx.tr(LessonRadio(list(lesson.OPTIMIZERS), value="adam", elem_id="train-optimizer"),
                                   "train.optimizer",
                                   choices={o: f"train.optimizer.{o}" for o in lesson.OPTIMIZERS})
                lr = ctx.tr(LessonNumber(0.001, minimum=limits.MIN_LEARNING_RATE, maximum=limits.MAX_LEARNING_RATE,
                                      step=0.0005, elem_id="train-lr"), "train.lr")
                batch_size = ctx.tr(LessonSlider(limits.MIN_BATCH_SIZE, limits.MAX_BATCH_SIZE, value=36, step=1,
                                                 elem_id="train-batch"), "train.batch_size")
                epochs = ctx.tr(LessonSlider(1, limits.MAX_TRAIN_EPOCHS, value=5, step=1, elem_id="train-epochs"),
                                "train.epochs")
                seed = ctx.tr(LessonNumber(0, precision=0, minimum=0, maximum=limits.MAX_SEED, elem_id="train-seed"),
                              "train.seed")
                with gr.Row():
                    start = ctx.tr(gr.Button(variant="primary", elem_id="train-start"), "train.start")
                    stop = ctx.tr(gr.Button(variant="stop", elem_id="train-stop"), "train.stop")
            with gr.Column(scale=3):
                status = gr.Markdown(elem_id="train-status")
                curves = gr.Plot(elem_id="train-curves", show_label=False)
        with ctx.tr(gr.Accordion(open=True, elem_id="train-results"), "train.results"):
            ctx.tr(gr.Markdown(), "train.results.md")
            with gr.Row():
                confusion = gr.Plot(elem_id="train-confusion", show_label=False)
                with gr.Column():
                    mistakes = ctx.tr(gr.Gallery(columns=6, height=360, format="png", elem_id="train-mistakes"),
                                      "train.mistakes")
                    download = ctx.tr(gr.File(interactive=False, elem_id="train-download"), "train.download")
        start.click(ui_errors(on_train), [arch, optimizer, lr, batch_size, epochs, seed, ctx.trained,
                                                  ctx.session],
                            [curves, status, confusion, mistakes, download, ctx.trained], api_name="train",
                            concurrency_limit=limits.MAX_CONCURRENT_TRAININGS, concurrency_id="training")
        stop.click(on_stop, None, None, api_name="stop_training", queue=False)
        ctx.demo.unload(on_stop)  # a closed page stops its training
        code_panel(ctx, fit)
