"""Feature maps from one forward pass: the captured values are PyTorch's, the table's numbers are PyTorch's
own counts, hooks never outlive the capture, and the pictures show the values they claim to."""

from __future__ import annotations

import gc
import re
import threading
import warnings

import numpy as np
import pytest
import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from playground import zoo
from playground.errors import InputError
from playground.lessons.feature_maps import capturing, feature_maps, layer_output, source_comments, top_k
from playground.lessons.networks import Network, resolve
from playground.limits import GRID_CHANNELS, MAX_ENLARGED_VALUES
from playground.viz import feature_maps as viz

NAMES = zoo.list_models()


def _x(size=32, seed=0):
    return torch.randn(1, 3, size, size, generator=torch.Generator().manual_seed(seed))


def _hooks(model: nn.Module) -> int:
    return sum(len(m._forward_hooks) + len(m._forward_pre_hooks) + len(m._backward_hooks) for m in model.modules())


def _by_name(result):
    return {layer.name: (layer, out) for layer, out in zip(result.layers, result.outputs, strict=True)}


@pytest.mark.parametrize("name", NAMES)
def test_captured_maps_equal_a_manual_walk_through_the_stages(name):
    network = resolve(name, "bundled")
    x = _x()
    result = feature_maps(network, x, channels=None)
    captured = _by_name(result)
    h = x
    with torch.no_grad():
        for stage_name, stage in network.model.features.named_children():
            h = stage(h)
            layer, out = captured[f"features.{stage_name}"] if f"features.{stage_name}" in captured else \
                captured[[n for n in captured if n.startswith(f"features.{stage_name}.")][-1]]
            assert layer.shape == tuple(h.shape[1:]), stage_name
            torch.testing.assert_close(out, h[0], msg=stage_name)
        logits = network.model.classifier(h)[0]
    torch.testing.assert_close(result.logits, logits)


@pytest.mark.parametrize("name", NAMES)
def test_parameters_and_multiply_adds_are_pytorchs_own_counts(name):
    network = resolve(name, "bundled")
    result = feature_maps(network, _x())
    assert result.total_params == zoo.parameter_count(network.model)
    leaves = {layer.name.split(" #")[0]: layer.params for layer in result.layers
              if not any(True for _ in dict(network.model.named_modules())[layer.name.split(" #")[0]].children())}
    assert sum(leaves.values()) == zoo.parameter_count(network.model)
    counter = FlopCounterMode(display=False)
    with counter, torch.no_grad():
        network.model(_x())
    assert 2 * result.total_macs == counter.get_total_flops()  # flop counter: one multiply-add = 2 flops


@pytest.mark.parametrize("name", NAMES)
def test_shape_comments_in_the_model_code_match_the_measured_shapes(name):
    network = resolve(name, "bundled")
    result = feature_maps(network, _x())
    checked = 0
    for layer in result.layers:
        said = re.search(r"output\(([^)]*)\)", layer.comment)
        if said:
            numbers = [int(np.prod([int(f) for f in part.split("*")])) for part in said.group(1).split(",")]
            if len(numbers) == 1 and len(layer.shape) == 1:
                assert numbers[0] == layer.shape[0], layer.name
            else:
                assert tuple(numbers) == layer.shape, (layer.name, layer.comment)
            checked += 1
    assert checked >= 3


def test_lenet_table_reproduces_the_primers_shape_comments():
    result = feature_maps(resolve("lenet", "bundled"), _x())
    comments = {layer.name: layer.comment for layer in result.layers if layer.comment}
    # the primer's own LeNet (seed text, §2): conv1 … fc3 with these comments
    assert comments["features.conv1"] == "input(3, 32, 32) output(16, 28, 28)"
    assert comments["features.pool1"] == "output(16, 14, 14)"
    assert comments["features.conv2"] == "output(32, 10, 10)"
    assert comments["features.pool2"] == "output(32, 5, 5)"
    assert comments["classifier.flatten"] == "output(32*5*5)"
    assert [layer.shape for layer in result.layers if layer.kind == "Linear"] == [(120,), (84,), (10,)]


def test_architecture_ideas_are_named_in_the_table():
    googlenet = feature_maps(resolve("googlenet", "bundled"), _x())
    inception = _by_name(googlenet)["features.inception3a"][0]
    assert inception.role == "concat" and sum(inception.parts) == inception.shape[0] == 64
    resnet = feature_maps(resolve("resnet", "bundled"), _x())
    assert sum(layer.role == "add" for layer in resnet.layers) == 8
    mobilenet = feature_maps(resolve("mobilenet_v1", "bundled"), _x())
    roles = [layer.role for layer in mobilenet.layers if layer.kind == "Conv2d"]
    assert roles[1:3] == ["depthwise", "pointwise"]
    densenet = feature_maps(resolve("densenet", "bundled"), _x())
    blocks = [layer for layer in densenet.layers if layer.role == "concat"]
    assert len(blocks) == 3 and blocks[0].shape[0] == 24 + 4 * 12


def test_hooks_are_removed_even_when_the_forward_pass_fails():
    model = resolve("lenet", "bundled").model
    with pytest.raises(RuntimeError), torch.no_grad(), capturing(model):
        assert _hooks(model) > 0
        model(torch.zeros(1, 3, 7, 7))  # too small for LeNet: conv2 fails
    assert _hooks(model) == 0


def test_a_hundred_captures_leave_no_hooks_and_no_tensors_behind():
    network = resolve("resnet", "bundled")
    x = _x()

    def live_tensors():
        gc.collect()
        with warnings.catch_warnings():  # isinstance on deprecated torch.distributed objects warns
            warnings.simplefilter("ignore")
            return sum(1 for obj in gc.get_objects() if isinstance(obj, torch.Tensor))

    for _ in range(3):
        feature_maps(network, x)
    before = live_tensors()
    for _ in range(100):
        result = feature_maps(network, x)
        assert _hooks(network.model) == 0
    del result
    assert live_tensors() <= before + 2


def test_capture_keeps_the_mode_and_the_weights():
    network = resolve("resnet", "bundled")
    state = {k: v.clone() for k, v in network.model.state_dict().items()}
    feature_maps(network, _x())
    assert not network.model.training
    for key, value in network.model.state_dict().items():
        assert torch.equal(value, state[key]), key
    model = zoo.get_entry("lenet").build().train()
    with torch.no_grad(), capturing(model):
        model(_x())
    assert model.training


def test_other_threads_forward_passes_are_not_captured():
    model = resolve("lenet", "bundled").model
    with torch.no_grad(), capturing(model) as capture:
        thread = threading.Thread(target=lambda: model(_x(seed=1)))
        thread.start()
        thread.join()
        assert capture.layers == []
        model(_x())
    assert len(capture.layers) == 12


def test_clones_survive_in_place_relu_and_the_shared_relu_is_listed_twice():
    import torchvision

    torch.manual_seed(0)
    model = torchvision.models.resnet18(weights=None).eval()  # ReLU(inplace=True), one ReLU used twice per block
    network = Network("resnet", "imagenet", "resnet18", model, tuple(map(str, range(1000))), zoo.InputSpec(64),
                      "layer4", False)
    x = _x(64)
    result = feature_maps(network, x, channels=None)
    captured = _by_name(result)
    with torch.no_grad():
        bn1 = model.bn1(model.conv1(x))[0]
    torch.testing.assert_close(captured["bn1"][1], bn1)  # not overwritten by the in-place ReLU
    assert bn1.min() < 0
    assert "layer1.0.relu #2" in captured and captured["layer1.0"][0].role == "add"
    # the published size of the architecture (torchvision's weights metadata, no download)
    assert result.total_params == torchvision.models.ResNet18_Weights.IMAGENET1K_V1.meta["num_params"]


@pytest.mark.parametrize("builder, weights, kwargs", [
    ("alexnet", "AlexNet_Weights", {}), ("vgg16", "VGG16_Weights", {}),
    ("googlenet", "GoogLeNet_Weights", {"aux_logits": False, "init_weights": False}),
    ("mobilenet_v2", "MobileNet_V2_Weights", {}), ("densenet121", "DenseNet121_Weights", {})])
def test_torchvision_variants_report_the_published_parameter_counts(builder, weights, kwargs):
    import torchvision

    model = torchvision.models.get_model(builder, weights=None, **kwargs).eval()
    network = Network(builder, "imagenet", builder, model, (), zoo.InputSpec(64), "", False)
    result = feature_maps(network, _x(64), channels=1)
    published = torchvision.models.get_weight(f"{weights}.IMAGENET1K_V1").meta["num_params"]
    assert result.total_params == published


def test_one_layer_alone_equals_the_same_layer_in_the_whole_capture():
    network = resolve("googlenet", "bundled")
    x = _x()
    whole = _by_name(feature_maps(network, x, channels=None))
    layer, out = layer_output(network, x, "features.inception4a")
    torch.testing.assert_close(out, whole["features.inception4a"][1])
    with pytest.raises(InputError) as info:
        layer_output(network, x, "features.nowhere")
    assert info.value.key == "feat.err.layer"


@pytest.mark.parametrize("name", NAMES)
def test_every_grad_cam_layer_can_be_shown_large(name):
    # the zoo's Grad-CAM layer may be a stage (ResNet's features.layer3, a plain Sequential) that the table
    # lists through its blocks: it is still a layer the enlarged view and the comparison can show
    network = resolve(name, "bundled")
    layer, out = layer_output(network, _x(), network.cam_layer)
    assert layer.is_map and out.shape == layer.shape


def test_source_comments_skip_layers_made_in_a_loop():
    comments = source_comments(resolve("vgg", "bundled").model)
    assert not any(name.startswith("features.block") for name in comments)  # vgg_block makes them in a loop


def test_top_k_is_softmax_with_temperature():
    logits = torch.tensor([2.0, 1.0, 0.0, -1.0])
    classes = ("a", "b", "c", "d")
    top = top_k(logits, classes, k=2)
    expected = torch.softmax(logits.double(), 0)
    assert [p.label for p in top] == ["a", "b"]
    assert top[0].probability == pytest.approx(float(expected[0]))
    hot = top_k(logits, classes, k=4, temperature=10.0)
    assert max(p.probability for p in hot) < top[0].probability  # a high temperature flattens
    assert sum(p.probability for p in hot) == pytest.approx(1.0)
    for bad in (0.0, float("nan"), 1e9):
        with pytest.raises(InputError):
            top_k(logits, classes, temperature=bad)


# --- pictures ---------------------------------------------------------------------------------------------


def test_tiles_colour_sign_and_zero_as_the_legend_says():
    maps = torch.zeros(4, 5, 5)
    maps[0, 0, 0] = 2.0
    maps[1, 0, 0] = -2.0
    tile = viz.layer_tile(maps, scale="layer")
    assert tile.dtype == np.uint8 and tile.ndim == 3
    factor = int(np.ceil(viz.CELL_PIXELS / 5))
    red, blue, white = tile[0, 0], tile[0, 5 * factor + viz.GAP], tile[factor, factor]
    assert red[0] > 150 and red[2] < 80  # positive: red
    assert blue[2] > 150 and blue[0] < 80  # negative: blue
    assert (white > 240).all()  # zero: white
    blank = viz.layer_tile(torch.zeros(4, 4, 4))  # an all-zero layer: white cells, no 0/0
    white_or_gap = (blank > 240).all(axis=-1) | (blank == viz.GAP_COLOUR).all(axis=-1)
    assert white_or_gap.all() and (blank > 240).all(axis=-1).mean() > 0.9


def test_colour_scales():
    maps = torch.tensor([[[1.0, 0.5]], [[10.0, -5.0]]])  # (2, 1, 2)
    torch.testing.assert_close(viz.normalise(maps, "channel"), torch.tensor([[[1.0, 0.5]], [[1.0, -0.5]]]))
    torch.testing.assert_close(viz.normalise(maps, "layer"), maps / 10)
    torch.testing.assert_close(viz.normalise(maps, "network", bound=20.0), maps / 20)
    with pytest.raises(InputError):
        viz.normalise(maps, "rainbow")


def test_the_enlarged_view_shows_pytorchs_values_on_hover():
    network = resolve("lenet", "bundled")
    x = _x()
    layer, out = layer_output(network, x, "features.conv2")
    figure = viz.layer_figure(layer, out)
    custom = np.asarray(figure.data[0].customdata)
    cells = ~np.isnan(custom[..., 3])
    channels = custom[..., 0][cells].astype(int)
    rows = custom[..., 1][cells].astype(int)
    cols = custom[..., 2][cells].astype(int)
    np.testing.assert_allclose(custom[..., 3][cells], out.numpy()[channels, rows, cols], rtol=1e-6)
    assert sorted(set(channels.tolist())) == list(range(layer.shape[0]))  # 32 maps of 10×10: one page


def test_big_layers_are_paged():
    layer = feature_maps(resolve("resnet", "bundled"), _x()).layers[0]  # 16×32×32
    first, last = viz.channel_page(layer, 0)
    assert (last - first) * 32 * 32 <= MAX_ENLARGED_VALUES
    assert viz.channel_page(layer, 999)[0] == layer.shape[0] - 1


def test_gallery_has_one_picture_per_map_layer_and_says_what_is_shown():
    result = feature_maps(resolve("densenet", "bundled"), _x())
    items = viz.layer_gallery(result, scale="network")
    maps = [layer for layer in result.layers if layer.is_map]
    assert len(items) == len(maps)
    block = next(caption for _, caption in items if "features.dense1 " in caption + " ")
    assert f"{GRID_CHANNELS} of 72" in block
    rows = viz.table_rows(result)
    assert len(rows) == len(result.layers) and rows[0][4] == "24×32×32"
    # leaves with thousands separators; a block's counts, its parts' sums, marked so a column adds up once
    leaves = [int(row[6].replace(",", "")) for row, layer in zip(rows, result.layers) if not layer.sums_its_parts]
    assert sum(leaves) == result.total_macs
    blocks = [row[5] for row, layer in zip(rows, result.layers) if layer.sums_its_parts]
    assert blocks and all(cell.startswith("(Σ ") for cell in blocks)
