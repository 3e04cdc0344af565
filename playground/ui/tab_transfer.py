"""Tab · Transfer learning (primer §10): the primer's three ways and training from scratch, raced on the same few
labelled pictures of a new domain, with live curves, Stop, and a table of what each one trains."""

from __future__ import annotations


import gradio as gr

from playground import limits, zoo
from playground.data.shifted import side_by_side
from playground.i18n import t
from playground.lessons import transfer as lesson
from playground.inputs import as_whole
from playground.runtime import resolve_device
from playground.ui.common import AppContext, SessionRuns, code_panel, session_device, session_lang, ui_errors
from playground.viz import transfer as viz

DEFAULTS = lesson.TransferConfig()

# Each learner's run: Stop and a closed page reach it only; a second Start stops the first.
_RUNS = SessionRuns()


def _best(comparison: lesson.Comparison, lang: str) -> tuple[str, str]:
    curve = max(comparison.curves.values(), key=lambda c: c.final_accuracy)
    return viz.strategy_name(curve.strategy, lang), f"{curve.final_accuracy:.1%}"


def _status(comparison: lesson.Comparison, device: str, lang: str) -> str:
    config, curves = comparison.config, comparison.curves
    if not curves:
        return t("xfer.status.waiting", lang)
    family = zoo.get_entry(config.network).family
    epochs_done = min(curve.epochs_done for curve in curves.values())
    best, acc = _best(comparison, lang)
    if comparison.stopped:
        status = t("xfer.status.stopped", lang, epochs=epochs_done)
    elif comparison.done:
        status = t("xfer.status.done", lang, epochs=epochs_done, seconds=f"{comparison.elapsed:.0f}", best=best,
                   acc=acc, scratch=f"{curves['scratch'].final_accuracy:.1%}")
    else:
        status = t("xfer.status.running", lang, name=family, epoch=min(epochs_done + 1, config.epochs),
                   epochs=config.epochs, per_class=config.per_class, best=best, acc=acc, device=device)
    diverged = [viz.strategy_name(s, lang) for s, curve in curves.items() if curve.diverged]
    if diverged:
        status += "\n\n" + t("xfer.status.diverged", lang, strategies=", ".join(diverged), lr=config.lr)
    return status


def on_transfer(network, per_class, epochs, lr, seed, session, request: gr.Request, progress=gr.Progress()):
    """Stream the four curves while the comparison runs; the table follows every epoch."""
    lang, device = session_lang(session), session_device(session)
    config = lesson.make_config(network=network, per_class=per_class, epochs=epochs, lr=lr, seed=seed,
                                device=str(resolve_device(device)))
    family = zoo.get_entry(config.network).family
    run = _RUNS.start(request, lambda: lesson.TransferRun.start(config))
    try:
        yield gr.skip(), gr.skip(), t("xfer.status.waiting", lang)  # drawing pictures, loading four networks
        for comparison in run.snapshots():
            if comparison.error is not None:
                raise comparison.error
            progress(comparison.progress, desc=t("xfer.progress", lang, name=family))
            yield (viz.curves_figure(comparison, lang=lang), viz.summary_table(comparison, lang=lang),
                   _status(comparison, device, lang))
    finally:
        _RUNS.finished(request, run)


def on_stop(request: gr.Request) -> None:
    """Stop this learner's comparison; the curves then show the epochs all four finished."""
    _RUNS.stop(request)


def on_examples(seed, per_class, session):
    """The same digits drawn the source way and the target way (exactly what a run with these settings trains on)."""
    examples = side_by_side(seed=as_whole(seed, 0, limits.MAX_SEED, "xfer.seed"),
                            per_class=as_whole(per_class, limits.MIN_TRANSFER_PER_CLASS,
                                               limits.MAX_TRANSFER_PER_CLASS, "xfer.per_class"))
    return viz.examples_figure(examples, lang=session_lang(session))


def build(ctx: AppContext) -> None:
    names = {name: zoo.get_entry(name).family for name in lesson.transfer_networks()}
    with ctx.tr(gr.Tab(id="transfer", elem_id="tab-transfer"), "xfer.tab"):
        ctx.tr(gr.Markdown(), "xfer.intro")
        with gr.Row():
            with gr.Column(scale=1, min_width=280):
                network = ctx.tr(gr.Dropdown([(family, name) for name, family in names.items()],
                                             value=DEFAULTS.network, elem_id="xfer-network"), "xfer.network")
                per_class = ctx.tr(gr.Slider(limits.MIN_TRANSFER_PER_CLASS, limits.MAX_TRANSFER_PER_CLASS,
                                             value=DEFAULTS.per_class, step=1, elem_id="xfer-per-class"),
                                   "xfer.per_class")
                epochs = ctx.tr(gr.Slider(1, limits.MAX_TRANSFER_EPOCHS, value=DEFAULTS.epochs, step=1,
                                          elem_id="xfer-epochs"), "xfer.epochs")
                lr = ctx.tr(gr.Number(DEFAULTS.lr, minimum=limits.MIN_LEARNING_RATE,
                                      maximum=limits.MAX_LEARNING_RATE, step=0.0005, elem_id="xfer-lr"), "xfer.lr")
                seed = ctx.tr(gr.Number(DEFAULTS.seed, precision=0, minimum=0, maximum=limits.MAX_SEED,
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
