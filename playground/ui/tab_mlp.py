"""Tab · MLP playground (primer §1): a small network learns 2-D points live, TensorFlow-Playground style.

Each session keeps its run (a ``lessons.mlp_playground.Playground``) in a ``gr.State``. The config box always
shows the run as a shareable string (settings, seed and steps trained); Step, Play and the API continue the run
in the state when it is the one the string describes, and otherwise replay the string, so the same string
always gives the same network. Play (a ``lessons.mlp_playground.PlayRun``, kept in the shared ``SessionRuns``)
streams a picture every few steps and stops on Pause, at its step limit, or when the learner closes the page.

One topic in about 380 lines: 24 setting controls, their mapping to an experiment (``Settings``) and their
layout take most of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, NamedTuple

import gradio as gr

from playground import limits
from playground.data.points import TWO_CLASSES_ONLY, parse_points_csv
from playground.errors import InputError
from playground.i18n import t
from playground.inputs import as_whole
from playground.lessons import mlp_playground as lesson
from playground.lessons.mlp_experiment import (
    ACTIVATIONS,
    CSV,
    DATA_SOURCES,
    FEATURES,
    OPTIMIZERS,
    Experiment,
    build_network,
    decode,
    encode,
    make_experiment,
    with_csv,
)
from playground.models import MLP
from playground.runtime import resolve_device
from playground.ui.common import (
    AppContext,
    LessonCheckboxGroup,
    LessonDropdown,
    LessonNumber,
    LessonRadio,
    LessonSlider,
    SessionRuns,
    browser,
    cache_file,
    code_panel,
    session_device,
    session_lang,
    ui_errors,
)
from playground.viz import mlp_playground as viz
from playground.viz.text import literal

LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)  # TensorFlow Playground's
L2_STRENGTHS = (0.0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
FEATURE_NAMES = {"x": "x", "y": "y", "x2": "x²", "y2": "y²", "xy": "x·y", "sin_x": "sin x", "sin_y": "sin y"}
DEFAULT = Experiment()
DEFAULT_STEPS_PER_UPDATE = 20
SLOTS = limits.MAX_MLP_HIDDEN_LAYERS  # one row of controls (width, activation) per possible hidden layer
STOP_WAIT_SECONDS = 10.0  # how long an action waits for a running Play to finish its last steps
_MATH = [{"left": "$$", "right": "$$", "display": True}, {"left": "$", "right": "$", "display": False}]

# Each learner's Play: Pause, any other action and a closed page stop it; a second Play stops the first.
_PLAYS = SessionRuns()


def _stop_play(request: gr.Request | None, *, wait: bool = True) -> None:
    """Stop this learner's Play (if any) and, unless ``wait`` is False, wait until its last picture is out."""
    play = _PLAYS.current(request)
    if play is not None:
        play.stop()
        if wait:
            play.join(STOP_WAIT_SECONDS)


def on_pause(request: gr.Request) -> None:
    _stop_play(request, wait=False)


# --- the setting controls and the experiment they describe -------------------------------------------------------


class Settings(NamedTuple):
    """The setting controls in the one order they are wired in: as components in ``build``, as values in the
    handlers. ``widths`` and ``activations`` hold one entry per hidden-layer slot (``SLOTS``)."""

    dataset: Any
    points: Any
    noise: Any
    classes: Any
    train_ratio: Any
    seed: Any
    features: Any
    layers: Any
    widths: tuple
    activations: tuple
    learning_rate: Any
    batch_size: Any
    optimizer: Any
    l2: Any

    def flat(self) -> list:
        """One entry per control, in wiring order (what Gradio takes as inputs and outputs)."""
        return [*self[:8], *self.widths, *self.activations, *self[10:]]

    @classmethod
    def of_flat(cls, values: Sequence) -> Settings:
        """The controls' values as Gradio hands them over (``flat``'s order)."""
        slots = 8 + SLOTS  # where the widths end and the activations start
        return cls(*values[:8], tuple(values[8:slots]), tuple(values[slots:slots + SLOTS]), *values[slots + SLOTS:])

    def experiment(self, uploaded: dict | None) -> Experiment:
        """These values (and the session's CSV points, ``uploaded``) as an experiment at step 0."""
        layers = as_whole(self.layers, 0, SLOTS, "mlp.layers")
        own = {}
        if self.dataset == CSV:
            if not uploaded:
                raise InputError("mlp.err.csv_no_file")
            own = uploaded
        return make_experiment(dataset=self.dataset, points=self.points, noise=self.noise, classes=self.classes,
                               train_ratio=self.train_ratio, features=self.features or [],
                               hidden=list(self.widths[:layers]), activations=list(self.activations[:layers]),
                               learning_rate=self.learning_rate, batch_size=self.batch_size,
                               optimizer=self.optimizer, l2=self.l2, seed=self.seed, **own)

    @classmethod
    def showing(cls, experiment: Experiment) -> Settings:
        """The values that show ``experiment`` (hidden-layer rows beyond its depth, and the points slider of a
        CSV, keep their values)."""
        skip = gr.skip()
        depth = len(experiment.hidden)
        return cls(experiment.dataset, experiment.points if experiment.dataset != CSV else skip, experiment.noise,
                   _classes(experiment), experiment.train_ratio, experiment.seed, list(experiment.features), depth,
                   tuple(experiment.hidden[i] if i < depth else skip for i in range(SLOTS)),
                   tuple(experiment.activations[i] if i < depth else skip for i in range(SLOTS)),
                   experiment.learning_rate, experiment.batch_size, experiment.optimizer, experiment.l2)


SETTING_CONTROLS = len(Settings._fields) - 2 + 2 * SLOTS  # flat()'s length: a width and an activation per slot


def _classes(experiment: Experiment):
    """The classes slider: the experiment's count, movable only where the data set lets the learner choose."""
    return gr.update(value=experiment.classes, interactive=experiment.dataset not in (*TWO_CLASSES_ONLY, CSV))


def _uploaded(experiment: Experiment):
    """The learner's CSV points kept for the session (so that switching data sets and back keeps them)."""
    if experiment.dataset != CSV:
        return gr.skip()
    return {"csv_points": experiment.csv_points, "csv_classes": experiment.csv_classes}


# --- handlers: parse, call the lesson, call viz ------------------------------------------------------------------


@dataclass(frozen=True)
class _Shown:
    """The session's state: its run, and the language its pictures were last drawn in."""

    playground: lesson.Playground
    lang: str


def _device(session) -> str:
    return str(resolve_device(session_device(session)))


def _playground(shown) -> lesson.Playground | None:
    return shown.playground if isinstance(shown, _Shown) else None


def _show(playground: lesson.Playground, lang: str, note: str | None = None) -> tuple:
    """(state, decision map, loss curves, neuron maps, status, config string, link) for ``playground``."""
    view = playground.view(grid_side=limits.MLP_GRID_SIDE, neuron_side=limits.MLP_NEURON_MAP_SIDE)
    config = encode(view.experiment)
    return (_Shown(playground, lang), viz.boundary_figure(view, lang=lang), viz.loss_figure(view, lang=lang),
            viz.neurons_figure(view, lang=lang), viz.status_markdown(view, lang=lang, note=note), config,
            viz.link_markdown(config, lang=lang))


def _points_file(playground: lesson.Playground, lang: str):
    """The run's points as a CSV file to download (the format an upload takes), labelled in ``lang``."""
    name, text = lesson.points_csv(playground)
    return gr.update(value=cache_file(text.encode("utf-8"), name), label=t("mlp.download", lang))


def on_settings(request: gr.Request, *args):
    """A data or network setting changed: a new experiment from step 0 (nothing happens if nothing changed).

    ``args`` are the setting controls' values, the session's CSV points, its run and the session."""
    *values, uploaded, shown, session = args
    lang = session_lang(session)
    experiment = Settings.of_flat(values).experiment(uploaded)
    run = _playground(shown)
    if run is not None and replace(run.experiment, step=0) == experiment:
        return (_classes(experiment), *[gr.skip()] * 8)  # e.g. a control set by Load, or a seed box left unchanged
    _stop_play(request)
    playground = lesson.Playground(experiment, device=_device(session))
    return (_classes(experiment), _points_file(playground, lang),
            *_show(playground, lang, t("mlp.note.settings", lang)))


def on_step(config, steps, shown, session, request: gr.Request):
    """Train ``steps`` more mini-batch steps of the run the config string describes."""
    lang = session_lang(session)
    steps = as_whole(steps, 1, limits.MAX_MLP_STEPS_PER_UPDATE, "mlp.steps")
    _stop_play(request)
    playground = lesson.resume(_playground(shown), decode(config), device=_device(session))
    playground.train(steps)
    return _show(playground, lang)


def on_play(config, steps, shown, session, request: gr.Request):
    """Stream a picture after every ``steps`` steps until Pause, the Play limit, divergence or the page closes."""
    lang = session_lang(session)
    steps = as_whole(steps, 1, limits.MAX_MLP_STEPS_PER_UPDATE, "mlp.steps")
    _stop_play(request)
    experiment = decode(config)
    play = _PLAYS.start(request, lesson.PlayRun)  # from now on Pause reaches it (even while a string is replayed)
    try:
        with closing(play.updates(_playground(shown), experiment, device=_device(session), steps=steps)) as updates:
            for playground, state in updates:
                yield _show(playground, lang, viz.play_note(state, lang=lang))
    finally:
        _PLAYS.finished(request, play)


def on_reset(config, session, request: gr.Request):
    """The same experiment from step 0: the same points, initial weights and mini-batches."""
    lang = session_lang(session)
    _stop_play(request)
    experiment = replace(decode(config), step=0)
    playground = lesson.Playground(experiment, device=_device(session))
    return _show(playground, lang, t("mlp.note.reset", lang, seed=experiment.seed))


def _loaded(experiment: Experiment, session, note: str | None) -> tuple:
    lang = session_lang(session)
    playground = lesson.Playground.replay(experiment, device=_device(session))
    return (*Settings.showing(experiment).flat(), _uploaded(experiment), _points_file(playground, lang),
            *_show(playground, lang, note))


def on_load(config, session, request: gr.Request):
    """Restore every control and the experiment of a config string (or a pasted link), replaying its steps."""
    lang = session_lang(session)
    experiment = decode(config)
    _stop_play(request)
    return _loaded(experiment, session, t("mlp.note.loaded", lang, step=f"{experiment.step:,}"))


def on_csv(file, config, session, request: gr.Request):
    """The learner's points (a CSV file) with the current settings, from step 0."""
    lang = session_lang(session)
    if not file:
        raise InputError("mlp.err.csv_no_file")
    points = parse_points_csv(Path(file))
    experiment = with_csv(decode(config), points)
    _stop_play(request)
    return _loaded(experiment, session, viz.csv_note(points, lang=lang))


def on_open(link, shown, session):
    """The tab came on screen: the first time, the experiment of a shared link (``?mlp=...``) or the default one;
    after a language or device switch, the same run drawn again."""
    if _playground(shown) is not None:
        return (*[gr.skip()] * (SETTING_CONTROLS + 1), *on_redraw(shown, session))  # settings and CSV points stay
    lang = session_lang(session)
    if link:
        try:
            experiment = decode(link)
            return _loaded(experiment, session, t("mlp.note.loaded", lang, step=f"{experiment.step:,}"))
        except InputError as err:  # a broken link still opens the playground, and says what was wrong
            return _loaded(DEFAULT, session, t("mlp.note.bad_link", lang, error=err.message(lang, quote=literal)))
    return _loaded(DEFAULT, session, None)


def on_redraw(shown, session):
    """The language or the device changed: the same run drawn again (moved to the device by replaying it)."""
    run = _playground(shown)
    lang, device = session_lang(session), _device(session)
    if run is None or (shown.lang == lang and str(run.device) == device):
        return [gr.skip()] * 8  # not started yet, or already drawn so (keeps the status note)
    playground = lesson.resume(run, run.experiment, device=device)
    return (_points_file(playground, lang), *_show(playground, lang))


def show_layers(layers):
    count = int(layers) if isinstance(layers, (int, float)) and layers == layers else 0
    return [gr.update(visible=i < count) for i in range(SLOTS)]


# --- layout and wiring -------------------------------------------------------------------------------------------


def _playing(active: bool) -> list:
    """While Play runs, only Pause is pressable (Step and Reset would race with the stream)."""
    return [gr.update(interactive=not active)] * 3


def build(ctx: AppContext) -> None:
    tr = ctx.tr
    with tr(gr.Tab(id="mlp", elem_id="tab-mlp"), "mlp.tab"):
        tr(gr.Markdown(latex_delimiters=_MATH, elem_id="mlp-intro"), "mlp.intro")
        with gr.Row():
            with gr.Column(scale=3, min_width=320):
                with tr(gr.Accordion(open=True, elem_id="mlp-data"), "mlp.data"):
                    dataset = tr(LessonRadio(list(DATA_SOURCES), value=DEFAULT.dataset, elem_id="mlp-dataset"),
                                 "mlp.dataset", choices={d: f"mlp.dataset.{d}" for d in DATA_SOURCES})
                    with gr.Row():
                        upload = tr(gr.UploadButton(file_types=[".csv", ".txt", ".tsv"], type="filepath", size="sm",
                                                    icon=None, elem_id="mlp-upload"), "mlp.csv")
                        points_file = gr.DownloadButton(t("mlp.download"), size="sm", elem_id="mlp-download")
                    with gr.Row():
                        points = tr(LessonSlider(limits.MIN_MLP_POINTS, limits.MAX_MLP_POINTS, value=DEFAULT.points,
                                              step=1, elem_id="mlp-points", min_width=110), "mlp.points")
                        noise = tr(LessonSlider(0, limits.MAX_MLP_NOISE, value=DEFAULT.noise, step=0.05,
                                             elem_id="mlp-noise", min_width=110), "mlp.noise")
                    with gr.Row():
                        classes = tr(LessonSlider(2, limits.MAX_MLP_CLASSES, value=DEFAULT.classes, step=1,
                                               elem_id="mlp-classes", min_width=110), "mlp.classes")
                        train_ratio = tr(LessonSlider(limits.MIN_MLP_TRAIN_RATIO, limits.MAX_MLP_TRAIN_RATIO,
                                                   value=DEFAULT.train_ratio, step=0.05, elem_id="mlp-ratio",
                                                   min_width=110), "mlp.train_ratio")
                    seed = tr(LessonNumber(DEFAULT.seed, precision=0, minimum=0, maximum=limits.MAX_SEED,
                                        elem_id="mlp-seed"), "mlp.seed")
                with tr(gr.Accordion(open=True, elem_id="mlp-network"), "mlp.network"):
                    features = tr(LessonCheckboxGroup([(FEATURE_NAMES[f], f) for f in FEATURES],
                                                   value=list(DEFAULT.features), elem_id="mlp-features"),
                                  "mlp.features")
                    layers = tr(LessonSlider(0, SLOTS, value=len(DEFAULT.hidden), step=1, elem_id="mlp-layers"),
                                "mlp.layers")
                    rows, widths, activations = [], [], []
                    for i in range(SLOTS):
                        with gr.Row(visible=i < len(DEFAULT.hidden), elem_id=f"mlp-layer-{i + 1}") as row:
                            widths.append(tr(LessonSlider(1, limits.MAX_MLP_WIDTH, step=1, min_width=120,
                                                       value=DEFAULT.hidden[i] if i < len(DEFAULT.hidden) else 4,
                                                       elem_id=f"mlp-width-{i + 1}"), f"mlp.width.{i + 1}"))
                            activations.append(tr(LessonDropdown(list(ACTIVATIONS), value="tanh", min_width=110,
                                                              elem_id=f"mlp-act-{i + 1}"), "mlp.activation"))
                        rows.append(row)
                    with gr.Row():
                        learning_rate = tr(LessonDropdown(list(LEARNING_RATES), value=DEFAULT.learning_rate,
                                                       allow_custom_value=True, elem_id="mlp-lr", min_width=110),
                                           "mlp.learning_rate")
                        optimizer = tr(LessonDropdown(list(OPTIMIZERS), value=DEFAULT.optimizer,
                                                   elem_id="mlp-optimizer", min_width=110), "mlp.optimizer",
                                       choices={o: f"mlp.optimizer.{o}" for o in OPTIMIZERS})
                    with gr.Row():
                        batch_size = tr(LessonSlider(1, limits.MAX_MLP_POINTS, value=DEFAULT.batch_size, step=1,
                                                  elem_id="mlp-batch", min_width=110), "mlp.batch_size")
                        l2 = tr(LessonDropdown(list(L2_STRENGTHS), value=DEFAULT.l2, allow_custom_value=True,
                                            elem_id="mlp-l2", min_width=110), "mlp.l2")
            with gr.Column(scale=5):
                with gr.Row(equal_height=True):
                    play = tr(gr.Button(variant="primary", elem_id="mlp-play", min_width=90), "mlp.play")
                    pause = tr(gr.Button(variant="stop", elem_id="mlp-pause", min_width=90), "mlp.pause")
                    step = tr(gr.Button(elem_id="mlp-step", min_width=90), "mlp.step_button")
                    reset = tr(gr.Button(elem_id="mlp-reset", min_width=90), "mlp.reset")
                steps = tr(LessonSlider(1, limits.MAX_MLP_STEPS_PER_UPDATE, value=DEFAULT_STEPS_PER_UPDATE, step=1,
                                     elem_id="mlp-steps"), "mlp.steps")
                status = gr.Markdown(elem_id="mlp-status")
                boundary = gr.Plot(elem_id="mlp-boundary", show_label=False)
                losses = gr.Plot(elem_id="mlp-loss", show_label=False)
            with gr.Column(scale=4):
                neurons = gr.Plot(elem_id="mlp-neurons", show_label=False)
                with tr(gr.Accordion(open=True, elem_id="mlp-share"), "mlp.share"):
                    config = tr(gr.Textbox(encode(DEFAULT), lines=3, max_lines=6, buttons=["copy"],
                                           elem_id="mlp-config"), "mlp.config")
                    load = tr(gr.Button(elem_id="mlp-load"), "mlp.load")
                    link = gr.Markdown(elem_id="mlp-link")
                tr(gr.Markdown(latex_delimiters=_MATH, elem_id="mlp-notes"), "mlp.notes")
        run = gr.State(None)  # this session's _Shown: its lesson.Playground and the language it was drawn in
        uploaded = gr.State(None)  # this session's CSV points, as make_experiment arguments
        link_text = gr.Textbox(visible=False)  # "?mlp=..." of the address the page was opened with

        settings = Settings(dataset, points, noise, classes, train_ratio, seed, features, layers, tuple(widths),
                            tuple(activations), learning_rate, batch_size, optimizer, l2).flat()
        shown = [run, boundary, losses, neurons, status, config, link]
        everything = [*settings, uploaded, points_file, *shown]
        buttons = [play, step, reset]
        at_once = dict(api_visibility="private", queue=False)

        # the learner's own moves only: controls that Load or a link set must not start a new experiment
        triggers = [control.input for control in settings if control is not seed] + [seed.submit, seed.blur]
        gr.on(triggers, ui_errors(on_settings), [*settings, uploaded, run, ctx.session],
              [classes, points_file, *shown], api_visibility="private", trigger_mode="always_last")
        layers.change(show_layers, layers, rows, **at_once)
        step.click(ui_errors(on_step), [config, steps, run, ctx.session], shown, api_name="mlp_step")
        play.click(lambda: _playing(True), None, buttons, **at_once).then(
            ui_errors(on_play), [config, steps, run, ctx.session], shown, api_visibility="private",
            concurrency_limit=limits.MAX_CONCURRENT_MLP_PLAYS, concurrency_id="mlp-play").then(
            lambda: _playing(False), None, buttons, **at_once)
        pause.click(on_pause, None, None, **at_once)
        reset.click(ui_errors(on_reset), [config, ctx.session], shown, api_visibility="private")
        load.click(ui_errors(on_load), [config, ctx.session], everything, api_name="mlp_load")
        upload.upload(ui_errors(on_csv), [upload, config, ctx.session], everything, api_name="mlp_csv")
        ctx.demo.load(None, None, link_text, js=browser.READ_MLP_LINK)
        ctx.on_open(on_open, [link_text, run], everything, api_visibility="private")
        ctx.demo.unload(on_pause)  # a closed page stops its Play
        code_panel(ctx, lesson.Playground.train, build_network, MLP)
