"""The MLP playground lesson: shareable experiments, reproducible runs, real learning, honest pictures."""

from __future__ import annotations

import base64
import math
import urllib.parse
import zlib
from dataclasses import replace

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from playground.data.points import make_points, points_to_csv
from playground.errors import InputError
from playground.lessons import mlp_playground as lesson
from playground.lessons.mlp_experiment import (
    CONFIG_PREFIX,
    FEATURES,
    Experiment,
    decode,
    encode,
    expand_features,
    experiment_points,
    make_experiment,
    points_of_csv,
    stratified_split,
    with_csv,
)
from playground.lessons.mlp_playground import PAUSED, PLAY_LIMIT, PLAYING, Playground, collapsed_linear
from playground.limits import MAX_MLP_CONFIG_CHARS, MAX_MLP_CONFIG_JSON_BYTES, MAX_MLP_EXPERIMENT_STEPS
from playground.models import MLP
from playground.viz import mlp_playground as viz

XOR = dict(dataset="xor", hidden=[8], optimizer="adam", learning_rate=0.03)


def _error(fn, *args, **kwargs) -> InputError:
    with pytest.raises(InputError) as info:
        fn(*args, **kwargs)
    return info.value


def _csv_experiment(**settings) -> Experiment:
    points = make_points("blobs", count=90, noise=0.2, classes=3, seed=4)
    return make_experiment(dataset="csv", **points_of_csv(points), **settings)


# --- the experiment and its string --------------------------------------------------------------------------------


@pytest.mark.parametrize("experiment", [
    Experiment(),
    make_experiment(dataset="spiral", classes=4, features=["sin_y", "x", "xy"], hidden=[16, 3, 1],
                    activations=["relu", "none", "leaky_relu"], learning_rate=0.00123, batch_size=1, optimizer="adam",
                    l2=0.003, seed=2**31 - 1, step=1234, noise=0.35, train_ratio=0.9, points=1999),
    make_experiment(dataset="moons", hidden=[], activations=[]),
    _csv_experiment(step=10, seed=5),
])
def test_an_experiment_survives_its_string(experiment):
    text = encode(experiment)
    assert text.startswith(CONFIG_PREFIX) and text.isascii() and len(text) < MAX_MLP_CONFIG_CHARS
    assert all(c.isalnum() or c in "-_." for c in text)  # URL-safe: fits in ?mlp=... untouched
    assert decode(text) == experiment
    assert decode(f"  https://example.org/?lang=zh&mlp={text}#top \n") == experiment  # a pasted link
    assert decode(f"http://127.0.0.1:7860/?mlp={urllib.parse.quote(text)}") == experiment


def test_a_csv_experiment_keeps_its_points_exactly():
    experiment = _csv_experiment()
    again = experiment_points(decode(encode(experiment)))
    points = make_points("blobs", count=90, noise=0.2, classes=3, seed=4)
    assert torch.equal(again.xy, points.xy) and torch.equal(again.labels, points.labels)


def test_plain_json_with_some_fields_is_accepted():
    experiment = decode('{"dataset": "xor", "hidden": [4], "activations": ["none"], "seed": 3}')
    assert experiment == replace(Experiment(), dataset="xor", hidden=(4,), activations=("none",), seed=3)


def _b64(raw: bytes) -> str:
    return CONFIG_PREFIX + base64.urlsafe_b64encode(zlib.compress(raw)).decode().rstrip("=")


GARBAGE = [
    ("", "mlp.err.config_empty"),
    (None, "mlp.err.config_empty"),
    ("hello world", "mlp.err.config_garbage"),
    ("mlp1.%%%%", "mlp.err.config_garbage"),
    ("mlp1.AAAA", "mlp.err.config_garbage"),  # valid base64, not zlib
    (encode(Experiment())[:-12], "mlp.err.config_garbage"),  # cut short
    (_b64(b"not json"), "mlp.err.config_garbage"),
    (_b64(b"[1, 2, 3]"), "mlp.err.config_garbage"),
    (_b64(b'{"dataset": "xor", "rm -rf": 1}'), "mlp.err.config_unknown"),
    (_b64(b" " * (MAX_MLP_CONFIG_JSON_BYTES + 10)), "mlp.err.config_garbage"),  # a zip bomb stops at the limit
    ("[" * 60_000 + "]" * 60_000, "mlp.err.config_too_long"),
    ("{" + '"a":' * 20_000 + "1}", "mlp.err.config_garbage"),  # nested too deep for json
    ('{"hidden": [4, 99]}', "common.err.out_of_range"),
    ('{"hidden": [4, 2], "activations": ["tanh"]}', "mlp.err.activation_count"),
    ('{"hidden": [4], "activations": ["swish"]}', "mlp.err.activation"),
    ('{"hidden": "four"}', "common.err.not_a_number"),
    ('{"hidden": {"a": 1}}', "mlp.err.not_a_list"),
    ('{"features": []}', "mlp.err.no_features"),
    ('{"features": ["x", "z"]}', "mlp.err.feature"),
    ('{"learning_rate": "NaN"}', "common.err.not_finite"),
    ('{"learning_rate": 1e999}', "common.err.not_finite"),
    ('{"optimizer": "lbfgs"}', "mlp.err.optimizer"),
    ('{"dataset": "csv"}', "mlp.err.config_csv"),
    ('{"dataset": "csv", "csv_classes": ["a", "b"], "csv_points": [[0, 0, 0], [1, 1, 1], [2, 2, 2], [3, 3, 0]]}',
     "mlp.err.config_csv"),  # class index 2 of 2 classes
    ('{"step": 99999999}', "common.err.out_of_range"),
    ('{"seed": 1' + "0" * 400 + "}", "common.err.not_finite"),  # an integer no float can hold
    ('{"dataset": "csv", "csv_classes": ["a", "b"], "csv_points": [[1' + "0" * 400 + ', 0, 0], [1, 1, 1], '
     '[2, 2, 0], [3, 3, 1]]}', "mlp.err.config_csv"),
]


@pytest.mark.parametrize("text, key", GARBAGE, ids=[f"{i}-{key}" for i, (_, key) in enumerate(GARBAGE)])
def test_garbage_strings_get_a_message_not_a_traceback(text, key):
    assert _error(decode, text).key == key


def test_settings_are_checked_and_normalised():
    xor = make_experiment(dataset="xor", classes=5, features=["y", "x2", "x"])
    assert xor.classes == 2 and xor.features == ("x", "y", "x2")  # XOR has two classes; features in a fixed order
    assert make_experiment(hidden="8, 4", activations="relu, tanh").hidden == (8, 4)
    assert _error(make_experiment, hidden=[4] * 7, activations=["tanh"] * 7).key == "mlp.err.too_many_layers"
    assert _error(make_experiment, learning_rate=0).key == "common.err.out_of_range"
    assert _error(make_experiment, dataset="mnist").key == "mlp.err.dataset"


# --- data as the network sees it ------------------------------------------------------------------------------


def test_features_are_computed_from_the_coordinates():
    uv = torch.tensor([[1.0, 2.0], [-3.0, 0.5]])
    expanded = expand_features(uv, FEATURES)
    expected = torch.tensor([[1, 2, 1, 4, 2, math.sin(1), math.sin(2)],
                             [-3, 0.5, 9, 0.25, -1.5, math.sin(-3), math.sin(0.5)]])
    assert torch.allclose(expanded, expected)


def test_the_split_is_stratified_disjoint_and_seeded():
    labels = torch.tensor([0] * 50 + [1] * 30 + [2] * 20)
    train, test = stratified_split(labels, 0.7, seed=1)
    assert sorted(torch.cat([train, test]).tolist()) == list(range(100))
    assert torch.bincount(labels[train]).tolist() == [35, 21, 14]
    again, _ = stratified_split(labels, 0.7, seed=1)
    other, _ = stratified_split(labels, 0.7, seed=2)
    assert torch.equal(train, again) and not torch.equal(train, other)


def test_csv_points_are_scaled_into_the_square_and_back_on_the_axes():
    points = make_points("blobs", count=60, noise=0.1, seed=0)
    far = points.__class__(points.xy * 1000 + 5000, points.labels, ("a", "b"))
    experiment = make_experiment(dataset="csv", **points_of_csv(far))
    playground = Playground(experiment)
    square = playground.frame.to_square(far.xy)
    assert square.abs().max() <= 6.0 and square.abs().max() > 5.0  # 5% margin on each side
    assert playground.frame.x_range[0] < float(far.xy[:, 0].min()) < playground.frame.x_range[1]


# --- a run: reproducible, capped, and really learning ---------------------------------------------------------


def test_the_same_experiment_gives_the_same_run_however_it_is_stepped():
    experiment = make_experiment(dataset="spiral", classes=3, hidden=[6, 5], activations=["relu", "tanh"], seed=9,
                                 batch_size=7, optimizer="momentum", l2=0.001)
    whole, pieces = Playground(experiment), Playground(experiment)
    whole.train(120)
    for steps in (1, 30, 89):
        pieces.train(steps)
    assert whole.history.train_loss == pieces.history.train_loss and len(whole.history.train_loss) == 121
    for a, b in zip(whole.model.parameters(), pieces.model.parameters(), strict=True):
        assert torch.equal(a, b)
    replayed = Playground.replay(whole.experiment)  # what a shared string at step 120 rebuilds
    assert replayed.step == 120 and replayed.history.test_loss == whole.history.test_loss
    other_seed = Playground(replace(experiment, seed=10))
    other_seed.train(120)
    assert other_seed.history.train_loss != whole.history.train_loss


def test_xor_is_learned_with_tanh_but_not_without_an_activation():
    with_tanh = Playground(make_experiment(**XOR, activations=["tanh"], seed=0))
    without = Playground(make_experiment(**XOR, activations=["none"], seed=0))
    assert with_tanh.train(300) == 300 and without.train(300) == 300
    assert with_tanh.history.train_accuracy[-1] >= 0.95 and with_tanh.history.test_accuracy[-1] >= 0.9
    assert without.history.train_accuracy[-1] <= 0.75  # a straight line cannot split XOR: near chance
    assert with_tanh.history.train_loss[-1] < 0.5 * with_tanh.history.train_loss[0]


def test_without_activations_the_network_is_affine():
    experiment = make_experiment(dataset="xor", hidden=[5, 4, 3], activations=["none"] * 3, seed=2)
    playground = Playground(experiment)
    playground.train(50)
    a, b = torch.randn(64, 2, generator=torch.Generator().manual_seed(0)).mul(4).unbind(1)
    a, b = torch.stack([a, b], 1), torch.stack([b, -a], 1)
    f = lambda xy: playground.model(expand_features(xy, experiment.features)).detach().double()  # noqa: E731
    assert torch.allclose(f(a) + f(b), 2 * f((a + b) / 2), atol=1e-4)  # f(a) + f(b) = 2 f((a + b) / 2)
    w, bias = collapsed_linear(playground.model)  # ...and it is one nn.Linear
    single = nn.Linear(2, 2).double()
    with torch.no_grad():
        single.weight.copy_(w.T)
        single.bias.copy_(bias)
    assert torch.allclose(single(a.double()), f(a), atol=1e-5)
    bent = Playground(replace(experiment, activations=("tanh",) * 3))
    bent.train(50)
    g = lambda xy: bent.model(xy).detach().double()  # noqa: E731
    assert not torch.allclose(g(a) + g(b), 2 * g((a + b) / 2), atol=1e-3)
    with pytest.raises(ValueError):
        collapsed_linear(bent.model)


def test_a_too_high_learning_rate_diverges_and_stops():
    playground = Playground(make_experiment(dataset="spiral", features=list(FEATURES), hidden=[8, 8],
                                            activations=["none", "none"], learning_rate=10, optimizer="sgd", seed=0))
    taken = playground.train(300)
    assert taken < 300 and playground.diverged and not math.isfinite(playground.history.train_loss[-1])
    assert playground.train(10) == 0
    assert "diverged" in viz.status_markdown(playground.view(grid_side=8, neuron_side=4))


def test_an_experiment_stops_at_the_step_limit():
    playground = Playground(make_experiment(dataset="blobs", hidden=[2], activations=["relu"], points=20))
    playground._experiment = replace(playground.experiment, step=MAX_MLP_EXPERIMENT_STEPS - 3)
    assert playground.train(10) == 3 and playground.step == MAX_MLP_EXPERIMENT_STEPS
    assert playground.train(1) == 0


def test_l2_keeps_the_weights_small():
    runs = {}
    for l2 in (0.0, 0.1):
        playground = Playground(make_experiment(**XOR, activations=["tanh"], l2=l2, seed=1))
        playground.train(200)
        runs[l2] = sum(float((layer.weight.detach() ** 2).sum()) for layer in playground.model.layers)
    assert runs[0.1] < 0.5 * runs[0.0]


# --- continuing a run, Play, and the tab's controls -------------------------------------------------------------


def test_a_run_is_continued_when_the_string_describes_it_and_replayed_otherwise():
    run = Playground(make_experiment(**XOR, activations=["tanh"], seed=1))
    run.train(5)
    assert lesson.resume(run, run.experiment, device="cpu") is run
    earlier = lesson.resume(run, replace(run.experiment, step=3), device="cpu")
    assert earlier is not run and earlier.history.train_loss == run.history.train_loss[:4]
    assert lesson.resume(None, run.experiment, device="cpu").history.train_loss == run.history.train_loss


def test_play_trains_picture_after_picture_until_its_limit_or_a_stop(monkeypatch):
    monkeypatch.setattr(lesson, "MLP_FRAME_SECONDS", 0.0)
    monkeypatch.setattr(lesson, "MAX_MLP_PLAY_STEPS", 25)
    experiment = make_experiment(**XOR, activations=["tanh"], seed=1)
    play = lesson.PlayRun()
    updates = [(update.playground.step, update.state) for update in play.updates(None, experiment, device="cpu",
                                                                                  steps=10)]
    assert updates == [(10, PLAYING), (20, PLAYING), (25, PLAY_LIMIT)] and play.join(0)
    paused = lesson.PlayRun()
    stream = paused.updates(None, experiment, device="cpu", steps=10)
    assert next(stream).state == PLAYING and not paused.join(0)
    paused.stop()  # Pause: no more steps, one last picture
    assert [(update.playground.step, update.state) for update in stream] == [(10, PAUSED)] and paused.join(0)
    closed = lesson.PlayRun()
    stream = closed.updates(None, experiment, device="cpu", steps=10)
    next(stream)
    stream.close()  # the page went away mid-stream
    assert closed.join(0)


def test_the_learners_points_replace_the_data_and_download_as_csv():
    experiment = make_experiment(dataset="xor", hidden=[3], activations=["relu"], seed=6, step=40)
    name, text = lesson.points_csv(Playground(experiment))
    assert name == "xor-seed6.csv" and text == points_to_csv(experiment_points(experiment))
    points = make_points("blobs", count=30, noise=0.1, classes=3, seed=2)
    own = with_csv(experiment, points)
    assert own == make_experiment(dataset="csv", hidden=[3], activations=["relu"], seed=6, **points_of_csv(points))
    assert lesson.points_csv(Playground(own))[0] == "my-points.csv"


def test_the_tabs_controls_show_an_experiment_and_read_it_back():
    from playground.ui.tab_mlp import SLOTS, Settings

    experiment = make_experiment(dataset="spiral", classes=3, features=["sin_y", "x"], hidden=[5, 3],
                                 activations=["relu", "none"], learning_rate=0.1, batch_size=7, optimizer="momentum",
                                 l2=0.01, seed=8, noise=0.3, train_ratio=0.6, points=150)
    shown = Settings.showing(experiment).flat()
    assert len(shown) == 8 + 2 * SLOTS + 4 and shown[3]["value"] == 3 and shown[3]["interactive"]
    # what the page then holds: the updates applied; the hidden rows beyond the depth keep any value
    values = [(item.get("value", 4) if isinstance(item, dict) else item) for item in shown]
    assert Settings.of_flat(values).experiment(None) == experiment
    csv = Settings.of_flat(values)._replace(dataset="csv")
    assert _error(csv.experiment, None).key == "mlp.err.csv_no_file"


# --- what the pictures show is what PyTorch computes ------------------------------------------------------------


@pytest.fixture(scope="module")
def trained():
    experiment = make_experiment(dataset="spiral", classes=3, features=["x", "y", "sin_x"], hidden=[5, 3, 2],
                                 activations=["tanh", "relu", "none"], seed=3)
    playground = Playground(experiment)
    playground.train(40)
    return playground, playground.view(grid_side=30, neuron_side=12)


def _manual_forward(model: MLP, inputs: torch.Tensor) -> tuple[torch.Tensor, list[torch.Tensor]]:
    """The network computed by hand, layer by layer: (logits, every hidden layer's output)."""
    functions = {"tanh": torch.tanh, "relu": torch.relu, "none": lambda v: v}
    hidden, x = [], inputs
    for layer, name in zip(model.layers[:-1], model.activation_names, strict=True):
        x = functions[name](F.linear(x, layer.weight, layer.bias))
        hidden.append(x)
    return F.linear(x, model.layers[-1].weight, model.layers[-1].bias), hidden


def test_neuron_maps_are_the_hidden_layers_outputs(trained):
    playground, view = trained
    side = len(view.neuron_xs)
    yy, xx = torch.meshgrid(view.neuron_ys, view.neuron_xs, indexing="ij")
    grid = torch.stack([xx.flatten(), yy.flatten()], 1)
    inputs = expand_features(playground.frame.to_square(grid), playground.experiment.features)
    with torch.no_grad():
        _, hidden = _manual_forward(playground.model, inputs)
    assert [len(layer) for layer in view.neurons] == [5, 3, 2]
    for maps, expected in zip(view.neurons, hidden, strict=True):
        assert torch.allclose(maps, expected.T.reshape(-1, side, side), atol=1e-6)
    z, raw, widths = viz.neuron_mosaic(view)  # the picture holds exactly these values, each scaled by its max
    first = view.neurons[0][0].numpy()
    top = (len(widths) - 1) * (side + viz.NEURON_GAP)
    np.testing.assert_allclose(raw[top:top + side, :side], first)
    np.testing.assert_allclose(z[top:top + side, :side], first / np.abs(first).max(), rtol=1e-6)


def test_the_decision_map_is_the_softmax_of_the_network(trained):
    playground, view = trained
    yy, xx = torch.meshgrid(view.ys, view.xs, indexing="ij")
    grid = torch.stack([xx.flatten(), yy.flatten()], 1)
    inputs = expand_features(playground.frame.to_square(grid), playground.experiment.features)
    with torch.no_grad():
        logits, _ = _manual_forward(playground.model, inputs)
    expected = torch.softmax(logits, 1).reshape(len(view.ys), len(view.xs), -1)
    assert torch.allclose(view.probabilities, expected, atol=1e-6)
    figure = viz.boundary_figure(view)
    heatmap = figure.data[0]
    np.testing.assert_allclose(heatmap.customdata, expected.numpy(), atol=1e-6)
    assert np.array_equal(np.floor(heatmap.z).astype(int), expected.argmax(-1).numpy())  # colour = predicted class
    assert torch.allclose(playground.probabilities(grid), expected.reshape(-1, 3), atol=1e-6)


def test_train_points_are_filled_and_test_points_outlined(trained):
    _, view = trained
    figure = viz.boundary_figure(view)
    scatters = [trace for trace in figure.data if trace.type == "scatter"]
    shown = sum(len(trace.x) for trace in scatters)
    assert shown == len(view.points)
    filled = [trace for trace in scatters if trace.marker.color != "white"]
    assert sum(len(trace.x) for trace in filled) == len(view.train_index)


def test_the_status_explains_the_linear_collapse():
    playground = Playground(make_experiment(dataset="xor", hidden=[3, 3], activations=["none", "none"]))
    status = viz.status_markdown(playground.view(grid_side=20, neuron_side=5))
    assert "straight line" in status and "**Step 0**" in status
    curved = Playground(make_experiment(dataset="xor", features=["x", "y", "xy"], hidden=[3],
                                        activations=["none"]))
    assert "x² or sin x" in viz.status_markdown(curved.view(grid_side=20, neuron_side=5))
    no_hidden = Playground(make_experiment(dataset="blobs", hidden=[], activations=[]))
    view = no_hidden.view(grid_side=20, neuron_side=5)
    assert view.neurons == () and view.collapse_error is not None and view.collapse_error < 1e-5
    assert viz.neurons_figure(view).layout.annotations[0].text.startswith("No hidden layers")


# --- the project's MLP with an activation per layer -----------------------------------------------------------


def test_mlp_takes_one_activation_per_hidden_layer():
    model = MLP([2, 3, 4, 2], activation=["tanh", "none"])
    assert [type(a) for a in model.acts] == [nn.Tanh, nn.Identity]
    assert model.activation_names == ("tanh", "none")
    with pytest.raises(ValueError):
        MLP([2, 3, 4, 2], activation=["tanh"])
    same = MLP([1, 4, 1], activation="relu")  # one name still means every hidden layer
    assert isinstance(same.act, nn.ReLU) and same.activation_name == "relu"
    assert list(MLP([1, 4, 1], activation=None).state_dict()) == ["layers.0.weight", "layers.0.bias",
                                                                   "layers.1.weight", "layers.1.bias"]


def test_a_learners_labels_are_shown_as_text_not_markup():
    points = make_points("blobs", count=40, noise=0.1, seed=0)
    labelled = points.__class__(points.xy, points.labels, ("<a href=//e.com>x</a>", "[y](//e.com)"))
    playground = Playground(make_experiment(dataset="csv", **points_of_csv(labelled)))
    figure = viz.boundary_figure(playground.view(grid_side=10, neuron_side=4))
    names = {trace.name for trace in figure.data if trace.type == "scatter"}
    assert names == {"&lt;a href=//e.com&gt;x&lt;/a&gt;", "[y](//e.com)"}  # plotly shows entities as text
    assert "<a" not in figure.data[0].hovertemplate
    assert r"\[y\]\(//e\.com\)" in viz.csv_note(labelled)  # Markdown shows the brackets, makes no link


def test_a_replay_is_trained_once_for_everyone_and_each_learner_gets_a_run_of_their_own():
    import threading

    from playground.lessons.mlp_playground import Replays

    experiment = make_experiment(dataset="spiral", hidden=[6], activations=["tanh"], seed=4, step=200)
    replays = Replays(size=2)
    runs = []
    learners = [threading.Thread(target=lambda: runs.append(replays.replayed(experiment, torch.device("cpu"))))
                for _ in range(4)]
    for learner in learners:
        learner.start()
    for learner in learners:
        learner.join()
    assert replays.computed == 1 and len({id(run) for run in runs}) == 4  # trained once, four runs
    fresh = Playground(experiment)
    fresh.train(experiment.step)
    first, second = runs[:2]
    assert all(torch.equal(a, b) for a, b in zip(first.model.state_dict().values(),
                                                   fresh.model.state_dict().values()))
    first.train(50)  # one learner trains on: the others' runs stay where the link left them
    fresh.train(50)  # ...and it trains exactly as the replayed-from-scratch run does (batch order, optimiser)
    assert second.step == 200 and first.step == fresh.step == 250
    assert all(torch.equal(a, b) for a, b in zip(first.model.state_dict().values(),
                                                   fresh.model.state_dict().values()))
    assert first.history.train_loss == fresh.history.train_loss
    for seed in (1, 2):
        other = make_experiment(dataset="xor", hidden=[2], activations=["relu"], seed=seed, step=3)
        replays.replayed(other, torch.device("cpu"))
    replays.replayed(experiment, torch.device("cpu"))  # pushed out by the two newer ones: trained again
    assert replays.computed == 4


def test_two_learners_copying_the_same_run_at_once_each_get_one(monkeypatch):
    """A shared replay copied by one learner while another copies it: the second waits for the first."""
    import threading

    from playground.lessons import mlp_playground

    run = Playground(make_experiment(dataset="xor", hidden=[2], activations=["relu"], seed=1, step=3))
    deepcopy, copies, failures, others = mlp_playground.copy.deepcopy, [], [], []

    def another_learner_copies() -> None:
        try:
            copies.append(run.copy())
        except Exception as error:  # noqa: BLE001 - the test reports it
            failures.append(error)

    def copy_meanwhile(value, *args):
        monkeypatch.setattr(mlp_playground.copy, "deepcopy", deepcopy)  # once
        others.append(threading.Thread(target=another_learner_copies))
        others[0].start()
        others[0].join(0.3)  # the other learner asks while this copy runs
        return deepcopy(value, *args)

    monkeypatch.setattr(mlp_playground.copy, "deepcopy", copy_meanwhile)
    first = run.copy()
    others[0].join(10)
    assert failures == [] and len(copies) == 1
    assert len({id(run.lock), id(first.lock), id(copies[0].lock)}) == 3  # each copy has a lock of its own
    assert first.step == copies[0].step == run.step
