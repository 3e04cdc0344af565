"""Attribution (captum): each method against its definition computed by hand, the shared model left exactly as
it was, the sanity check, and the overlays."""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from PIL import Image
from torch import nn

from playground import zoo
from playground.errors import InputError
from playground.lessons import attribution as lesson
from playground.lessons.networks import Network, resolve
from playground.limits import MAX_IG_STEPS, MAX_OCCLUSION_WINDOWS, MIN_IG_STEPS
from playground.viz import attribution as viz


def _network(model: nn.Module, *, size: int, classes: int, cam_layer: str, shared: bool = True) -> Network:
    return Network("tiny", "bundled", "tiny", model.eval(), tuple(str(c) for c in range(classes)),
                   zoo.InputSpec(size), cam_layer, shared)


def _tiny_cam_net() -> nn.Module:
    """conv (3→2, fixed weights) → ReLU → global average pool → linear (2→3, fixed weights)."""
    torch.manual_seed(0)
    model = nn.Sequential(OrderedDict(conv=nn.Conv2d(3, 2, 3, padding=1), act=nn.ReLU(),
                                      pool=nn.AdaptiveAvgPool2d(1), flat=nn.Flatten(), fc=nn.Linear(2, 3)))
    with torch.no_grad():
        model.fc.weight.copy_(torch.tensor([[1.0, -0.5], [-1.0, 2.0], [0.3, 0.3]]))
        model.fc.bias.zero_()
    return model


class _Corner(nn.Module):
    """Scores that depend on the top-left 8×8 pixels only."""

    def __init__(self):
        super().__init__()
        self.scale = nn.Parameter(torch.tensor([1.0, -1.0]))

    def forward(self, x):
        return x[:, :, :8, :8].sum((1, 2, 3))[:, None] * self.scale  # (N, 2)


def _snapshot(model: nn.Module) -> dict[str, torch.Tensor]:
    return {k: v.detach().clone() for k, v in model.state_dict().items()}


def _assert_untouched(model: nn.Module, before: dict[str, torch.Tensor], *, training: bool = False) -> None:
    assert model.training is training
    for name, module in model.named_modules():
        assert not module._forward_hooks and not module._forward_pre_hooks and not module._backward_hooks, name
        assert not getattr(module, "_backward_pre_hooks", None), name
        assert module.training is training, name
    for name, p in model.named_parameters():
        assert p.grad is None, name
    after = model.state_dict()
    assert before.keys() == after.keys()
    for key, value in before.items():
        assert torch.equal(value, after[key]), key


@pytest.fixture(scope="module")
def lenet() -> Network:
    return resolve("lenet", "bundled")


@pytest.fixture(scope="module")
def digit() -> torch.Tensor:
    torch.manual_seed(1)
    return torch.randn(1, 3, 32, 32).clamp(-1, 1)


# --- each method against its definition ------------------------------------------------------------------


def test_grad_cam_equals_the_map_computed_by_hand():
    model = _tiny_cam_net()
    network = _network(model, size=8, classes=3, cam_layer="act")
    torch.manual_seed(2)
    x = torch.randn(1, 3, 8, 8)
    for target in range(3):
        result = lesson.attribute(network, x, "grad_cam", target=target)
        with torch.no_grad():
            maps = torch.relu(model.conv(x))[0]  # (K, 8, 8): A_k
        # y_c = Σ_k W_ck · mean(A_k) + b_c, so ∂y_c/∂A_k is W_ck / (h·w) at every cell, and α_k is that mean
        alpha = model.fc.weight[target].detach() / (8 * 8)  # (K,)
        expected = torch.relu((alpha[:, None, None] * maps).sum(0))  # (8, 8)
        assert result.layer == "act" and result.coarse.shape == (8, 8)
        np.testing.assert_allclose(result.coarse, expected.numpy(), atol=1e-6)
        np.testing.assert_allclose(result.heat, expected.numpy(), atol=1e-6)  # same size: upsampling is identity
        assert result.method == "grad_cam" and result.target == target and result.target_name == str(target)


def test_grad_cam_is_upsampled_bilinearly_from_the_coarse_map(lenet, digit):
    result = lesson.attribute(lenet, digit, "grad_cam")
    assert result.coarse.shape == (10, 10) and result.heat.shape == (32, 32) and result.heat.dtype == np.float32
    expected = F.interpolate(torch.from_numpy(result.coarse)[None, None], size=(32, 32), mode="bilinear",
                             align_corners=False)[0, 0]
    np.testing.assert_allclose(result.heat, expected.numpy(), atol=1e-6)
    assert (result.heat >= 0).all()


def test_saliency_is_the_signed_gradient_summed_over_colours(lenet, digit):
    result = lesson.attribute(lenet, digit, "saliency", target=3)
    x = digit.clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(lenet.model(x)[0, 3], x)
    np.testing.assert_allclose(result.heat, grad[0].sum(0).numpy(), rtol=1e-5, atol=1e-7)
    with torch.no_grad():
        p = torch.softmax(lenet.model(digit), 1)[0, 3]
    assert result.probability == pytest.approx(float(p), rel=1e-5)


def test_integrated_gradients_add_up_to_the_score_difference(lenet, digit):
    result = lesson.attribute(lenet, digit, "integrated_gradients", n_steps=MAX_IG_STEPS, internal_batch_size=64)
    with torch.no_grad():
        difference = float(lenet.model(digit)[0, result.target] - lenet.model(torch.zeros_like(digit))[0,
                                                                                                      result.target])
    total = float(result.heat.astype(np.float64).sum())
    # captum's delta is exactly Σ attributions − difference; with enough steps it is small
    assert total - difference == pytest.approx(result.convergence_delta, abs=1e-3)
    assert abs(result.convergence_delta) < 0.02 * max(abs(difference), 1.0)
    assert not any(n.key == "attr.note.ig_delta" for n in result.notes)
    assert result.target == int(lenet.model(digit).argmax())  # default: the predicted class


def test_occlusion_sees_only_the_region_the_output_depends_on():
    network = _network(_Corner(), size=32, classes=2, cam_layer="scale")
    x = torch.ones(1, 3, 32, 32)
    result = lesson.attribute(network, x, "occlusion", target=0)  # window 4, stride 2
    heat = result.heat
    assert (heat[:8, :8] > 0).all()  # covering any of these lowers score 0
    outside = heat.copy()
    outside[:10, :10] = 0  # a window starting at 6 covers rows 6..9, so its share spreads up to 9
    assert not outside.any()
    negative = lesson.attribute(network, x, "occlusion", target=1)
    assert (negative.heat[:8, :8] < 0).all()


def test_occlusion_window_and_stride_and_edges():
    network = _network(_Corner(), size=32, classes=2, cam_layer="scale")
    x = torch.ones(1, 3, 32, 32)
    exact = lesson.attribute(network, x, "occlusion", target=0, window=5, stride=3)  # 10 positions cover 0..31
    assert not exact.notes
    result = lesson.attribute(network, x, "occlusion", target=0, window=5, stride=4)  # 7 positions cover 0..28
    assert [(n.key, n.params) for n in result.notes] == [("attr.note.occlusion_edges", {"pixels": 3})]


@pytest.mark.parametrize("method, kwargs", [("integrated_gradients", dict(n_steps=32, internal_batch_size=8)),
                                            ("occlusion", {}), ("grad_cam", {}), ("saliency", {})])
def test_progress_is_reported_from_zero_to_one(lenet, digit, method, kwargs):
    seen: list[tuple[float, str]] = []
    lesson.attribute(lenet, digit, method, progress=lambda f, d: seen.append((f, d)), **kwargs)
    fractions = [f for f, _ in seen]
    assert fractions[0] == 0.0 and fractions[-1] == 1.0 and fractions == sorted(fractions)
    assert {d for _, d in seen} == {lesson.PROGRESS_KEYS[method]}
    if method not in ("saliency", "grad_cam"):
        assert len(seen) > 4  # reported between captum's batches too


def test_a_flat_map_gets_a_note():
    model = nn.Sequential(nn.Conv2d(3, 1, 1), nn.Flatten(), nn.Linear(64, 2))
    with torch.no_grad():
        model[2].weight.zero_()  # the output no longer depends on the picture
    network = _network(model, size=8, classes=2, cam_layer="0")
    result = lesson.attribute(network, torch.randn(1, 3, 8, 8), "saliency", target=1)
    assert not result.heat.any() and [n.key for n in result.notes] == ["attr.note.flat"]
    cam = lesson.attribute(network, torch.randn(1, 3, 8, 8), "grad_cam", target=1)
    assert [n.key for n in cam.notes] == ["attr.note.cam_zero"]


# --- the shared model stays as it was ------------------------------------------------------------------


def test_the_shared_model_is_left_exactly_as_it_was(lenet, digit):
    before = _snapshot(lenet.model)
    rng = torch.get_rng_state()
    for method in lesson.METHODS:
        lesson.attribute(lenet, digit, method, n_steps=8)
    lesson.sanity_check(lenet, digit, "grad_cam", seed=5)
    _assert_untouched(lenet.model, before)
    assert torch.equal(rng, torch.get_rng_state())
    assert not lenet.lock.locked()


def test_the_callers_input_is_not_changed(lenet, digit):
    x = digit.clone()
    lesson.attribute(lenet, x, "saliency")
    assert not x.requires_grad and x.grad is None and torch.equal(x, digit)


def test_errors_leave_no_hooks_and_release_the_lock():
    model = _tiny_cam_net()
    network = _network(model, size=8, classes=3, cam_layer="flat")  # Flatten: not a feature map
    before = _snapshot(model)
    with pytest.raises(InputError) as info:
        lesson.attribute(network, torch.randn(1, 3, 8, 8), "grad_cam")
    assert info.value.key == "attr.err.layer_not_spatial"
    _assert_untouched(model, before)
    assert not network.lock.locked()


def test_a_layer_the_forward_pass_never_runs_is_named():
    class Unused(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv, self.spare, self.fc = nn.Conv2d(3, 2, 3), nn.Conv2d(3, 2, 3), nn.Linear(2, 2)

        def forward(self, x):
            return self.fc(self.conv(x).mean((2, 3)))

    model = Unused()
    network = _network(model, size=8, classes=2, cam_layer="spare")
    before = _snapshot(model)
    with pytest.raises(InputError) as info:
        lesson.attribute(network, torch.randn(1, 3, 8, 8), "grad_cam")
    assert info.value.key == "attr.err.layer_unused"
    _assert_untouched(model, before)
    assert not network.lock.locked()


def test_attribution_waits_for_the_networks_lock(digit):
    network = _network(zoo.get_entry("lenet").build(), size=32, classes=10, cam_layer="features.conv2")
    done = threading.Event()
    with network.lock:  # someone else's hooks are on the model
        worker = threading.Thread(target=lambda: (lesson.attribute(network, digit, "grad_cam"), done.set()))
        worker.start()
        time.sleep(0.2)
        assert not done.is_set()
    worker.join(10)
    assert done.is_set()


# --- randomised copy and sanity check -----------------------------------------------------------------


def test_randomised_copy_redraws_every_parameter_and_leaves_the_original(lenet):
    before = _snapshot(lenet.model)
    rng = torch.get_rng_state()
    copy = lesson.randomised_copy(lenet.model, seed=3)
    assert torch.equal(rng, torch.get_rng_state())
    assert not copy.training and copy is not lenet.model
    for (name, new), (_, old) in zip(copy.named_parameters(), lenet.model.named_parameters(), strict=True):
        assert new.shape == old.shape and not torch.equal(new, old), name
    _assert_untouched(lenet.model, before)
    again = lesson.randomised_copy(lenet.model, seed=3)
    assert all(torch.equal(a, b) for a, b in zip(copy.parameters(), again.parameters(), strict=True))  # reproducible


def test_randomised_copy_also_redraws_batchnorm_of_an_untrained_network():
    torchvision = pytest.importorskip("torchvision")
    model = torchvision.models.resnet18(weights=None).eval()  # BatchNorm γ = 1, β = 0, as its reset gives
    copy = lesson.randomised_copy(model, seed=0)
    for (name, new), (_, old) in zip(copy.named_parameters(), model.named_parameters(), strict=True):
        assert not torch.equal(new, old), name
        assert torch.isfinite(new).all(), name


def test_sanity_check_on_lenet(lenet, digit):
    check = lesson.sanity_check(lenet, digit, "saliency", seed=0)
    assert check.original.target == check.randomised.target
    assert check.rank_correlation < 1 and math.isfinite(check.rank_correlation)
    assert not np.allclose(check.original.heat, check.randomised.heat)
    assert check.verdict.key in ("attr.sanity.similar", "attr.sanity.different")
    figure = viz.sanity_figure(check, Image.new("RGB", (32, 32), (90, 120, 200)))
    assert len(figure.data) == 2 and "ρ" in figure.layout.title.text


def test_spearman_matches_a_direct_definition_and_handles_ties_and_constants():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=200), rng.normal(size=200)
    ra, rb = a.argsort().argsort(), b.argsort().argsort()  # no ties: ranks are argsort of argsort
    assert lesson.spearman(a, b) == pytest.approx(np.corrcoef(ra, rb)[0, 1])
    assert lesson.spearman(a, 3 * a + 1) == pytest.approx(1.0)
    assert lesson.spearman(a, -a) == pytest.approx(-1.0)
    # ties share their mean rank: two maps that are zero at the same places and agree elsewhere correlate fully
    tied = np.r_[np.zeros(50), np.arange(1, 51)]
    assert lesson.spearman(tied, tied ** 2) == pytest.approx(1.0)
    assert math.isnan(lesson.spearman(np.zeros(10), a[:10]))


def test_a_constant_map_makes_the_correlation_undefined():
    model = nn.Sequential(nn.Conv2d(3, 1, 1), nn.Flatten(), nn.Linear(64, 2))
    with torch.no_grad():
        model[2].weight.zero_()
    network = _network(model, size=8, classes=2, cam_layer="0")
    check = lesson.sanity_check(network, torch.randn(1, 3, 8, 8), "saliency")
    assert math.isnan(check.rank_correlation) and [n.key for n in check.notes] == ["attr.note.correlation_undefined"]
    assert check.verdict.key == "attr.sanity.undefined"


# --- bad input -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("method, kwargs, key", [
    ("gradcam++", {}, "attr.err.method"),
    ("saliency", dict(target=10), "attr.err.target"),
    ("saliency", dict(target=-1), "attr.err.target"),
    ("saliency", dict(target=2.5), "common.err.not_whole"),
    ("integrated_gradients", dict(n_steps=MIN_IG_STEPS - 1), "attr.err.steps"),
    ("integrated_gradients", dict(n_steps=MAX_IG_STEPS + 1), "attr.err.steps"),
    ("integrated_gradients", dict(internal_batch_size=0), "attr.err.batch"),
    ("grad_cam", dict(layer="features.conv9"), "attr.err.layer"),
    ("occlusion", dict(window=0), "attr.err.window"),
    ("occlusion", dict(window=2, stride=1), "attr.err.occlusion_windows"),
])
def test_bad_choices_are_named(lenet, digit, method, kwargs, key):
    with pytest.raises(InputError) as info:
        lesson.attribute(lenet, digit, method, **kwargs)
    assert info.value.key == key
    assert not lenet.lock.locked()


def test_the_layer_error_lists_valid_stages(lenet, digit):
    with pytest.raises(InputError) as info:
        lesson.attribute(lenet, digit, "grad_cam", layer="conv9")
    assert "features.conv2" in str(info.value) and "features.conv1" in str(info.value)


def test_the_occlusion_limit_says_which_stride_fits(lenet, digit):
    with pytest.raises(InputError) as info:
        lesson.attribute(lenet, digit, "occlusion", window=2, stride=1)
    stride = info.value.params["stride"]
    assert ((32 - 2) // stride + 1) ** 2 <= MAX_OCCLUSION_WINDOWS < ((32 - 2) // (stride - 1) + 1) ** 2
    lesson.attribute(lenet, digit, "occlusion", window=2, stride=stride)  # and that stride runs


def test_a_batch_is_refused(lenet):
    with pytest.raises(InputError) as info:
        lesson.attribute(lenet, torch.zeros(2, 3, 32, 32), "saliency")
    assert info.value.key == "attr.err.input"


# --- an ImageNet architecture (random weights, nothing downloaded) ---------------------------------------


def test_imagenet_resnet18_architecture_at_a_small_size():
    torchvision = pytest.importorskip("torchvision")
    torch.manual_seed(0)
    model = torchvision.models.resnet18(weights=None).eval()
    network = Network("resnet", "imagenet", "ResNet-18 (random)", model, tuple(f"class {i}" for i in range(1000)),
                      zoo.InputSpec(64, mean=(0.485, 0.456, 0.406), std=(0.229, 0.224, 0.225)), "layer4", True)
    before = _snapshot(model)
    x = torch.randn(1, 3, 64, 64)
    cam = lesson.attribute(network, x, "grad_cam")
    assert cam.coarse.shape == (2, 2) and cam.heat.shape == (64, 64) and cam.layer == "layer4"
    assert lesson.attribute(network, x, "grad_cam", layer="layer3").coarse.shape == (4, 4)
    for method in ("saliency", "integrated_gradients", "occlusion"):
        result = lesson.attribute(network, x, method, n_steps=8, internal_batch_size=8)
        assert result.heat.shape == (64, 64) and np.isfinite(result.heat).all(), method
    _assert_untouched(model, before)
    with pytest.raises(InputError) as info:
        lesson.attribute(network, x, "grad_cam", layer="layer5")
    assert "layer4" in str(info.value)


# --- overlays --------------------------------------------------------------------------------------------


def _picture(size: int = 32) -> Image.Image:
    rng = np.random.default_rng(0)
    return Image.fromarray(rng.integers(0, 256, (size, size, 3), dtype=np.uint8))


def _enlarged(picture: Image.Image) -> np.ndarray:
    k = viz.enlargement(picture.width)
    return np.asarray(picture.resize((picture.width * k, picture.height * k), Image.NEAREST))


@pytest.mark.parametrize("sign", lesson.SIGNS)
def test_a_zero_map_leaves_the_picture_and_says_so(sign):
    picture = _picture()
    image, notes = viz.overlay(picture, np.zeros((32, 32), np.float32), sign=sign)
    assert np.array_equal(image, _enlarged(picture))
    assert "attr.note.nothing_to_show" in [n.key for n in notes]
    assert (viz.heat_image(np.zeros((32, 32)), sign=sign) == 255).all()  # white: nothing


def test_overlay_shapes_and_enlargement():
    image, notes = viz.overlay(_picture(32), np.random.default_rng(1).normal(size=(32, 32)))
    assert image.shape == (256, 256, 3) and image.dtype == np.uint8
    assert [n.key for n in notes] == ["attr.note.enlarged"]
    big, notes = viz.overlay(_picture(224), np.random.default_rng(1).normal(size=(224, 224)))
    assert big.shape == (224, 224, 3) and not notes
    assert viz.heat_image(np.ones((32, 32)), sign="absolute").shape == (256, 256, 3)


def test_opacity_zero_returns_the_picture():
    picture = _picture()
    image, _ = viz.overlay(picture, np.random.default_rng(2).normal(size=(32, 32)), opacity=0.0)
    assert np.array_equal(image, _enlarged(picture))


def test_non_finite_values_never_reach_the_picture():
    heat = np.random.default_rng(3).normal(size=(32, 32))
    heat[0, 0], heat[1, 1], heat[2, 2] = np.nan, np.inf, -np.inf
    for sign in lesson.SIGNS:
        strength, notes = viz.scaled(heat, sign=sign)
        assert np.isfinite(strength).all() and "attr.note.non_finite" in [n.key for n in notes]
        image, _ = viz.overlay(_picture(), heat, sign=sign)
        assert image.dtype == np.uint8


def _faded(picture: Image.Image, opacity: float = 0.5) -> np.ndarray:
    """The picture under a map: faded toward its grey (ITU-R 601 luminance) by the opacity, enlarged."""
    rgb = np.asarray(picture, dtype=np.float64)
    grey = rgb @ np.array([0.299, 0.587, 0.114])
    faded = np.clip((rgb + (grey[..., None] - rgb) * opacity).round(), 0, 255).astype(np.uint8)
    return _enlarged(Image.fromarray(faded))


def test_the_picture_fades_to_grey_under_a_map():
    picture = _picture()
    heat = np.zeros((32, 32))
    heat[:4, :4] = 1.0
    image, _ = viz.overlay(picture, heat, sign="positive", opacity=0.8)
    np.testing.assert_array_equal(image[64:], _faded(picture, 0.8)[64:])  # no attribution: grey-faded picture
    assert not np.array_equal(image[:32, :32], _faded(picture, 0.8)[:32, :32])


def test_sign_selection():
    heat = np.zeros((32, 32))
    heat[:16] = 1.0  # positive top half
    heat[16:] = -2.0  # negative bottom half
    picture = _picture()
    base = _faded(picture).astype(int)  # overlay's default opacity 0.5
    positive, _ = viz.overlay(picture, heat, sign="positive")
    assert (positive[:128] != base[:128]).any() and np.array_equal(positive[128:], base[128:])
    negative, _ = viz.overlay(picture, heat, sign="negative")
    assert np.array_equal(negative[:128], base[:128]) and (negative[128:] != base[128:]).any()
    strength, _ = viz.scaled(heat, sign="all")
    assert strength.min() == -1 and strength.max() == pytest.approx(0.5)  # bound: the 99th percentile of |h| = 2
    assert viz.scaled(heat, sign="absolute")[0].min() >= 0
    only_negative, notes = viz.overlay(picture, -np.abs(heat), sign="positive")
    assert np.array_equal(only_negative, _enlarged(picture)) and "attr.note.nothing_to_show" in [n.key for n in notes]
    # all: red for positive, blue for negative
    colours = viz.heat_image(heat, sign="all")
    top, bottom = colours[0, 0].astype(int), colours[-1, -1].astype(int)
    assert top[0] > top[2] and bottom[2] > bottom[0]


def test_clipping_at_a_percentile():
    heat = np.ones((32, 32))
    heat[0, 0] = 1000.0  # one outlier
    clipped, _ = viz.scaled(heat, clip_percentile=99.0)
    assert clipped[5, 5] == pytest.approx(1.0) and clipped[0, 0] == 1.0  # the rest is at full strength
    unclipped, _ = viz.scaled(heat, clip_percentile=100.0)
    assert unclipped[5, 5] == pytest.approx(0.001)


@pytest.mark.parametrize("kwargs, key", [
    (dict(sign="up"), "attr.err.sign"),
    (dict(opacity=1.5), "attr.err.opacity"),
    (dict(opacity=float("nan")), "attr.err.opacity"),
    (dict(clip_percentile=10.0), "attr.err.clip"),
])
def test_bad_overlay_choices_are_named(kwargs, key):
    with pytest.raises(InputError) as info:
        viz.overlay(_picture(), np.zeros((32, 32)), **kwargs)
    assert info.value.key == key


def test_summaries_in_both_languages(lenet, digit):
    result = lesson.attribute(lenet, digit, "integrated_gradients", n_steps=8)
    for lang in ("en", "zh"):
        text = viz.summary_markdown(result, lang=lang, notes=(viz.overlay(_picture(), result.heat)[1]))
        assert result.target_name in text and "Δ" in text and "{" not in text
    check = lesson.sanity_check(lenet, digit, "grad_cam")
    assert "Adebayo" in viz.sanity_markdown(check, lang="en") and "ρ" in viz.sanity_markdown(check, lang="zh")


@pytest.mark.parametrize("name", zoo.list_models())
def test_the_zoos_grad_cam_layer_gives_a_map_on_the_example_digits(name):
    # a layer before its ReLU often weighs out to all-negative, so the ReLU'd Grad-CAM shows nothing
    from pathlib import Path

    from playground.lessons.images import open_image, prepare

    network = resolve(name, "bundled")
    examples = sorted((Path(__file__).resolve().parents[2] / "assets" / "examples").glob("digit-*.png"))
    shown = 0
    for path in examples:
        x = prepare(open_image(path).image, size=32, mean=network.input.mean, std=network.input.std).tensor
        shown += bool(lesson.attribute(network, x, "grad_cam").coarse.any())
    assert shown == len(examples)
