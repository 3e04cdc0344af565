"""Transfer learning (primer §10): what each strategy freezes stays frozen, the counts add up, the new head has the
right shape, runs are deterministic, and the tab's claim — pretrained beats scratch on few labels — holds."""

from __future__ import annotations

import math

import pytest
import torch
from torch import nn

from playground import zoo
from playground.data import shifted
from playground.data.digits import held_out_set, load_digits
from playground.errors import InputError
from playground.lessons import transfer as lesson
from playground.viz import transfer as viz

NETWORKS = lesson.transfer_networks()


@pytest.fixture(autouse=True, scope="module")
def one_cpu_thread():
    """As the lesson's own runs do (see playground.runtime.one_cpu_thread): tiny steps on a busy 2-core machine."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def _tiny_data(count: int = 24):
    x, y = shifted.target_train_set(3, seed=5)  # 30 pictures
    return x[:count], y[:count]


def _train_a_little(prepared: lesson.PreparedStrategy, steps: int = 3, lr: float = 0.01) -> None:
    x, y = _tiny_data()
    optimizer = torch.optim.Adam(lesson.trainable_parameters(prepared.model), lr=lr)
    for _ in range(steps):
        lesson.train_epoch(prepared, optimizer, x, y, torch.arange(len(y)), batch_size=8)


def _state(module: nn.Module) -> dict[str, torch.Tensor]:
    """Every parameter and buffer (BatchNorm's running mean/var and batch count too), copied."""
    return {key: value.detach().clone() for key, value in module.state_dict().items()}


# --- which layers learn ---------------------------------------------------------------------------------------


def test_every_zoo_classifier_can_be_transferred():
    assert NETWORKS == [name for name in zoo.list_models("classify")]
    assert {"lenet", "resnet", "densenet"} <= set(NETWORKS)


@pytest.mark.parametrize("name", NETWORKS)
def test_last_layers_are_the_last_two_with_weights_and_end_with_the_classifier(name):
    model = zoo.get_entry(name).build()
    trained = lesson.last_layers(model)
    stage_names = [stage for stage, _ in lesson.stages(model)]
    assert trained == tuple(stage_names[-len(trained):])  # a tail of the network
    with_weights = [stage for stage in trained if lesson._has_weights(model.get_submodule(stage))]
    assert len(with_weights) == lesson.LAST_STAGES
    assert trained[0] == with_weights[0]  # starts at a layer with weights
    assert lesson.final_linear(model).startswith(trained[-1])  # the class scores are among them
    assert len(trained) < len(stage_names)  # something stays frozen


@pytest.mark.parametrize("name", NETWORKS)
@pytest.mark.parametrize("strategy", lesson.STRATEGIES)
def test_trainable_and_frozen_counts_add_up_to_the_model(name, strategy):
    prepared = lesson.prepare(name, strategy)
    params = list(prepared.model.parameters())
    counts = prepared.counts
    assert counts.total == sum(p.numel() for p in params)
    assert counts.trainable == sum(p.numel() for p in params if p.requires_grad)
    source_total = zoo.parameter_count(zoo.get_entry(name).build())
    if strategy in ("all", "scratch"):
        assert counts == lesson.ParameterCount(source_total, 0)
    elif strategy == "last":
        in_tail = sum(p.numel() for stage in prepared.trained for p in prepared.model.get_submodule(stage).parameters())
        assert counts == lesson.ParameterCount(in_tail, source_total - in_tail)
        assert 0 < counts.trainable < source_total
    else:  # the new layer: 10 scores → 10 classes, weights and biases; the whole network frozen
        assert counts == lesson.ParameterCount(10 * 10 + 10, source_total)


def test_the_new_head_sits_on_top_of_the_original_network_and_has_the_target_shape():
    prepared = lesson.prepare("lenet", "head", num_classes=2)
    head = prepared.head
    assert isinstance(head, nn.Linear) and (head.in_features, head.out_features) == (10, 2)
    assert prepared.model.head is head and head.weight.requires_grad
    x, _ = _tiny_data(5)
    with torch.no_grad():
        scores = prepared.model.network(x)  # (5, 10): the original network's class scores, unchanged
        assert torch.equal(scores, zoo.load_bundled("lenet")(x))
        assert torch.allclose(prepared.model(x), head(scores))  # (5, 2)
    assert prepared.model(x).shape == (5, 2)


@pytest.mark.parametrize("strategy", ["all", "last", "scratch"])
def test_another_number_of_target_classes_gets_a_new_last_layer(strategy):
    prepared = lesson.prepare("resnet", strategy, num_classes=3)
    x, _ = _tiny_data(4)
    assert prepared.model.eval()(x).shape == (4, 3)
    assert prepared.model.classifier.fc.weight.requires_grad


# --- frozen means frozen ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name, strategy", [("lenet", "last"), ("lenet", "head"), ("resnet", "last"),
                                            ("resnet", "head"), ("densenet", "last"), ("alexnet", "last")])
def test_frozen_parameters_and_batchnorm_statistics_do_not_change(name, strategy):
    prepared = lesson.prepare(name, strategy)
    frozen_before = {part: _state(prepared.model.get_submodule(part)) for part in prepared.frozen}
    trained_before = {part: _state(prepared.model.get_submodule(part)) for part in prepared.trained}
    _train_a_little(prepared)
    for part, before in frozen_before.items():
        after = _state(prepared.model.get_submodule(part))
        for key, value in before.items():
            assert torch.equal(value, after[key]), f"{part}.{key} changed"
    # ...while the layers that learn did move (so this test can fail)
    moved = [part for part, before in trained_before.items()
             if any(not torch.equal(v, prepared.model.get_submodule(part).state_dict()[k]) for k, v in before.items())]
    assert moved
    for module in prepared.model.modules():  # frozen weights never even get a gradient
        for p in module.parameters(recurse=False):
            assert (p.grad is None) != p.requires_grad


def test_resnet_has_batchnorm_in_both_parts_and_only_the_trained_part_trains():
    prepared = lesson.prepare("resnet", "last")
    lesson.set_train_mode(prepared)
    modes = {name: module.training for name, module in prepared.model.named_modules()
             if isinstance(module, nn.BatchNorm2d)}
    frozen = {name: mode for name, mode in modes.items() if not name.startswith("features.layer4")}
    trained = {name: mode for name, mode in modes.items() if name.startswith("features.layer4")}
    assert frozen and trained
    assert not any(frozen.values()) and all(trained.values())
    before = prepared.model.features.layer4[0].bn1.running_mean.clone()
    _train_a_little(prepared, steps=1)
    assert not torch.equal(before, prepared.model.features.layer4[0].bn1.running_mean)  # trained BN does update


def test_dropout_in_a_frozen_part_does_not_drop():
    prepared = lesson.prepare("vgg", "head")  # VGG's classifier has Dropout; the whole network is frozen
    lesson.set_train_mode(prepared)
    assert not any(m.training for m in prepared.model.network.modules())
    x, _ = _tiny_data(6)
    with torch.no_grad():
        assert torch.equal(prepared.model.network(x), prepared.model.network(x))


# --- where the weights start ---------------------------------------------------------------------------------------


def test_pretrained_strategies_start_from_the_bundled_weights_and_scratch_does_not():
    bundled = zoo.load_bundled("lenet").state_dict()
    for strategy in ("all", "last"):
        state = lesson.prepare("lenet", strategy).model.state_dict()
        assert all(torch.equal(state[k], v) for k, v in bundled.items())
    head = lesson.prepare("lenet", "head").model.network.state_dict()
    assert all(torch.equal(head[k], v) for k, v in bundled.items())
    scratch = lesson.prepare("lenet", "scratch", seed=0).model.state_dict()
    assert not any(torch.equal(scratch[k], v) for k, v in bundled.items() if k.endswith("weight"))
    again = lesson.prepare("lenet", "scratch", seed=0).model.state_dict()
    assert all(torch.equal(again[k], v) for k, v in scratch.items())  # the seed decides the random start


def test_the_bundled_model_in_the_shared_cache_is_untouched():
    shared = zoo.MODELS.get("lenet")
    before = _state(shared)
    prepared = lesson.prepare("lenet", "all")
    assert prepared.model is not shared
    _train_a_little(prepared)
    assert all(torch.equal(before[k], v) for k, v in shared.state_dict().items())
    assert not shared.training


# --- the comparison -------------------------------------------------------------------------------------------------


def _accuracies(result: lesson.Comparison) -> dict[str, list[float]]:
    return {s: [p.held_out_accuracy for p in c.points] for s, c in result.curves.items()}


@pytest.mark.slow
def test_a_comparison_is_deterministic_for_a_seed():
    config = lesson.TransferConfig(per_class=3, epochs=1, seed=4)
    first, second = lesson.compare(config), lesson.compare(config)
    assert _accuracies(first) == _accuracies(second)
    assert [p.train_loss for p in first.curves["all"].points] == [p.train_loss for p in second.curves["all"].points]
    other = lesson.compare(lesson.TransferConfig(per_class=3, epochs=1, seed=5))
    assert _accuracies(other) != _accuracies(first)


@pytest.mark.slow
def test_with_the_default_settings_every_pretrained_strategy_beats_scratch():
    """The tab's claim, with the defaults but fewer epochs (the curves only spread further with more)."""
    config = lesson.TransferConfig(epochs=4)
    result = lesson.compare(config)
    assert result.done and not result.stopped
    final = {s: c.final_accuracy for s, c in result.curves.items()}
    for strategy in lesson.PRETRAINED:
        assert final[strategy] > final["scratch"] + 0.05, final
    assert final["all"] > 0.5 and final["last"] > 0.5  # well above chance after a few epochs on 200 pictures
    # the source network, untrained on the target, already knows part of it; its new head starts from nothing
    start = {s: c.start_accuracy for s, c in result.curves.items()}
    assert start["all"] == start["last"] > 0.3
    assert start["scratch"] < 0.2
    for curve in result.curves.values():
        assert [p.epoch for p in curve.points] == list(range(config.epochs + 1))
        assert all(p.seconds > 0 and p.train_loss > 0 for p in curve.points[1:])


def test_stop_ends_the_run_and_keeps_every_epoch_already_shown():
    from playground.viz.transfer import summary_table

    run = lesson.TransferRun.start(lesson.TransferConfig(per_class=5, epochs=lesson.MAX_TRANSFER_EPOCHS))
    shown = {}
    for snapshot in run.snapshots(every=0.05):
        if snapshot.curves and snapshot.curves["all"].epochs_done >= 2 and not run.stopped:  # in epoch 2 or 3
            shown = {s: list(c.points) for s, c in snapshot.curves.items()}
            run.stop()
        last = snapshot
    run.join(timeout=30)
    assert last.done and last.stopped and not last.time_up and last.error is None
    for strategy, points in shown.items():  # nothing on screen is taken back
        assert last.curves[strategy].points[:len(points)] == points
    assert last.curves["all"].epochs_done >= 2 and 1 <= last.common_epochs < lesson.MAX_TRANSFER_EPOCHS
    assert f"After {last.common_epochs} epoch(s)" in summary_table(last)  # compared where all four are


def test_a_comparison_stops_by_itself_when_its_time_budget_is_spent(monkeypatch):
    from playground.viz.transfer import status_markdown

    monkeypatch.setattr(lesson, "MAX_TRAIN_SECONDS", 1.0)
    run = lesson.TransferRun.start(lesson.TransferConfig(per_class=5, epochs=lesson.MAX_TRANSFER_EPOCHS))
    *_, last = run.snapshots(every=0.05)
    run.join(timeout=30)
    assert last.done and last.stopped and last.time_up and last.error is None
    assert last.common_epochs == min(curve.epochs_done for curve in last.curves.values())
    assert "the time one comparison may take" in status_markdown(last, "cpu")


@pytest.mark.parametrize("field, value, key", [
    ("per_class", 0, "common.err.out_of_range"), ("per_class", 101, "common.err.out_of_range"),
    ("per_class", 2.5, "common.err.not_whole"), ("epochs", math.nan, "common.err.not_finite"),
    ("epochs", 31, "common.err.out_of_range"), ("lr", 0.0, "common.err.out_of_range"),
    ("lr", math.inf, "common.err.not_finite"), ("seed", -1, "common.err.out_of_range"),
    ("network", "fcn", "xfer.err.network"), ("network", "", "xfer.err.network"),
])
def test_bad_settings_are_input_errors(field, value, key):
    settings = {**dict(network="lenet", per_class=20, epochs=5, lr=0.002, seed=0), field: value}
    with pytest.raises(InputError) as info:
        lesson.make_config(**settings)
    assert info.value.key == key


def test_prepare_refuses_unknown_strategies_and_non_classifiers():
    with pytest.raises(InputError) as info:
        lesson.prepare("lenet", "everything")
    assert info.value.key == "xfer.err.strategy"
    with pytest.raises(InputError) as info:
        lesson.prepare("lstm", "all")
    assert info.value.key == "xfer.err.network"


# --- the target pictures ----------------------------------------------------------------------------------------------


def test_outline_keeps_only_the_edge_of_a_stroke():
    square = torch.zeros(1, 28, 28, dtype=torch.uint8)
    square[0, 8:20, 8:20] = 255
    ring = shifted.outline(square)[0, 0]
    assert ring[14, 14] == 0 and ring[2, 2] == 0  # inside and outside: no ink
    assert ring[8, 14] == 1 and ring[7, 14] == 1  # both sides of the stroke's border
    assert ring[10, 14] == 0 and ring[5, 14] == 0  # two pixels away: none


def test_target_pictures_are_deterministic_and_few_per_class():
    x, y = shifted.target_train_pictures(4, seed=3)
    again, _ = shifted.target_train_pictures(4, seed=3)
    assert x.shape == (40, 3, 32, 32) and torch.equal(x, again)
    assert torch.equal(torch.bincount(y, minlength=10), torch.full((10,), 4))
    assert 0 <= x.min() and x.max() <= 1
    train = set(load_digits().train_index.tolist())
    assert set(shifted.choose_per_class(4, seed=3).tolist()) <= train  # never a held-out digit
    held_x, held_y = shifted.target_held_out_pictures()
    assert held_x.shape == (1000, 3, 32, 32) and len(held_y) == 1000


def test_the_target_really_is_a_shift_for_the_source_network():
    network = zoo.load_bundled("lenet")
    source_x, source_y = held_out_set()
    target_x, target_y = shifted.target_held_out_set()
    with torch.no_grad():
        on_source = (network(source_x).argmax(1) == source_y).float().mean()
        on_target = (network(target_x).argmax(1) == target_y).float().mean()
    assert on_source > 0.9 and 0.2 < on_target < on_source - 0.3  # recognisable in part: something to transfer


def test_side_by_side_shows_exactly_the_pictures_a_run_trains_on():
    examples = shifted.side_by_side(seed=2, per_class=5)
    pictures, labels = shifted.target_train_pictures(5, seed=2)
    assert torch.equal(examples.labels, torch.arange(10))
    assert torch.equal(examples.target, pictures[::5])
    assert examples.source.shape == examples.target.shape == (10, 3, 32, 32)


# --- figures ------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_result():
    return lesson.compare(lesson.TransferConfig(per_class=2, epochs=2, seed=1))


def test_curves_figure_draws_every_strategy_with_the_measured_accuracies(small_result):
    fig = viz.curves_figure(small_result)
    accuracy_traces = [trace for trace in fig.data if trace.xaxis in (None, "x")]
    assert [trace.name for trace in accuracy_traces] == [viz.strategy_name(s) for s in lesson.STRATEGIES]
    for strategy, trace in zip(lesson.STRATEGIES, accuracy_traces, strict=True):
        assert list(trace.x) == [0, 1, 2]
        assert list(trace.y) == [p.held_out_accuracy for p in small_result.curves[strategy].points]
    loss_traces = [trace for trace in fig.data if trace.xaxis == "x2"]
    assert len(loss_traces) == 4 and all(list(trace.x) == [1, 2] for trace in loss_traces)
    assert "准确率" in viz.curves_figure(small_result, lang="zh").layout.yaxis.title.text


def test_summary_table_counts_what_pytorch_counts(small_result):
    table = viz.summary_table(small_result)
    rows = {line.split(" | ")[0].strip("| "): line for line in table.splitlines()[2:]}
    for strategy in lesson.STRATEGIES:
        prepared = lesson.prepare("lenet", strategy)
        trainable = sum(p.numel() for p in prepared.model.parameters() if p.requires_grad)
        frozen = sum(p.numel() for p in prepared.model.parameters() if not p.requires_grad)
        row = rows[viz.strategy_name(strategy)]
        assert f"| {trainable:,} (" in row and f"| {frozen:,} |" in row
    assert "fc2 … fc3" in rows[viz.strategy_name("last")]
    assert table.count("**") == 2  # the best final accuracy is bold
    assert "After 2 epoch(s)" in table


def test_examples_figure_shows_both_rows():
    fig = viz.examples_figure(shifted.side_by_side(seed=0))
    image = fig.data[0]
    assert image.type == "image" and image.z.shape == (70, 338, 3)
    assert list(fig.layout.xaxis.ticktext) == [str(d) for d in range(10)]
