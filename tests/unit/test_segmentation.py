"""Segmentation (primer §11): the FCN keeps the input's size, its transposed convolutions start as bilinear
upsampling, the mean IoU is VOC's, the scenes are what they say, and the overlay lands on the right pixels."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from PIL import Image
from torch import nn

from playground import zoo
from playground.data.digits import load_digits
from playground.data.scenes import MAX_DIGITS, SCENE_SIZE, SEGMENT_CLASSES, VOID, held_out_scenes, make_scenes
from playground.errors import InputError
from playground.lessons import segmentation as lesson
from playground.lessons.networks import Network
from playground.models.fcn import FCN, bilinear_kernel, bilinear_upsampling
from playground.train import metrics
from playground.viz import segmentation as viz


@pytest.mark.parametrize("height, width", [(64, 64), (37, 53), (17, 90), (16, 16), (100, 33)])
def test_the_output_has_the_inputs_size(height, width):
    model = FCN().eval()
    with torch.no_grad():
        out = model(torch.randn(2, 3, height, width))
    assert out.shape == (2, len(SEGMENT_CLASSES), height, width)


@pytest.mark.parametrize("factor", [2, 4])
def test_bilinear_transposed_convolution_equals_interpolation_inside(factor):
    up = bilinear_upsampling(3, factor)
    x = torch.randn(1, 3, 8, 8, generator=torch.Generator().manual_seed(factor))
    with torch.no_grad():
        ours = up(x)
    reference = F.interpolate(x, scale_factor=factor, mode="bilinear", align_corners=False)
    assert ours.shape == reference.shape == (1, 3, 8 * factor, 8 * factor)
    inside = slice(factor, -factor)  # the border differs: the transposed convolution pads with zeros
    torch.testing.assert_close(ours[..., inside, inside], reference[..., inside, inside])


def test_bilinear_kernel_maps_each_channel_to_itself():
    kernel = bilinear_kernel(3, 3, 4)
    assert kernel[0, 1].abs().sum() == 0 and kernel[2, 2].sum() > 0
    torch.testing.assert_close(kernel[1, 1], torch.outer(torch.tensor([0.25, 0.75, 0.75, 0.25]),
                                                         torch.tensor([0.25, 0.75, 0.75, 0.25])))


def test_mean_iou_on_a_hand_made_case():
    target = torch.tensor([[0, 0, 1], [1, 2, VOID]])
    predicted = torch.tensor([[0, 1, 1], [1, 2, 0]])
    miou, accuracy, iou = metrics.mean_iou(predicted, target, 3)
    # class 0: 1 ∩, 2 ∪ → 1/2; class 1: 2 ∩, 3 ∪ → 2/3; class 2: 1/1; the void pixel does not count
    assert iou.tolist() == pytest.approx([0.5, 2 / 3, 1.0])
    assert miou == pytest.approx((0.5 + 2 / 3 + 1) / 3) and accuracy == pytest.approx(4 / 5)
    _, _, absent = metrics.mean_iou(torch.zeros(4, dtype=torch.long), torch.zeros(4, dtype=torch.long), 3)
    assert absent[0] == 1 and torch.isnan(absent[1:]).all()  # classes in neither: not averaged
    with pytest.raises(InputError):
        metrics.mean_iou(torch.zeros(2), torch.full((2,), VOID), 3)


def test_scenes_are_reproducible_and_labelled_by_digit():
    pictures, masks = held_out_scenes()
    assert pictures.shape == (200, 3, SCENE_SIZE, SCENE_SIZE) and 0 <= pictures.min() and pictures.max() <= 1
    assert set(masks.unique().tolist()) <= {*range(len(SEGMENT_CLASSES)), VOID}
    data = load_digits()
    one = data.images[:1], data.labels[:1]
    _, mask = make_scenes(*one, 8, generator=torch.Generator().manual_seed(0))
    assert set(mask.unique().tolist()) == {0, 1 + int(data.labels[0]), VOID}  # only that digit's class
    again = make_scenes(*one, 8, generator=torch.Generator().manual_seed(0))
    assert torch.equal(again[1], mask)
    ring = mask == VOID  # the void ring touches the digit and nothing else
    near = F.max_pool2d((mask > 0).float()[:, None], 3, stride=1, padding=1)[:, 0].bool()
    assert (ring <= near).all()
    assert MAX_DIGITS == 4


class _RedFinder(nn.Module):
    """A stand-in segmenter with a known answer: class 1 where the (normalised) red channel is positive."""

    def __init__(self):
        super().__init__()
        self.score = nn.ModuleDict({"layer4": nn.Conv2d(3, 2, 1)})
        with torch.no_grad():
            self.score["layer4"].weight.copy_(torch.tensor([[[[0.0]], [[0.0]], [[0.0]]], [[[1.0]], [[0.0]], [[0.0]]]]))
            self.score["layer4"].bias.zero_()

    def forward(self, x):
        return self.score["layer4"](x)


def test_the_overlay_lands_on_the_right_pixels_of_the_learners_picture():
    # a 150×90 picture (not square, not the network's size) with a red rectangle at a known place
    picture = np.full((90, 150, 3), 40, np.uint8)
    picture[20:70, 30:100] = (250, 20, 20)
    truth = np.zeros((90, 150), bool)
    truth[20:70, 30:100] = True
    model = _RedFinder().eval()
    network = Network("fcn", "bundled", "red finder", model, ("background", "red"), zoo.InputSpec(64), "", False)
    result = lesson.segment(network, Image.fromarray(picture))
    assert result.seen.size == (64, 38)  # longer side 64, ratio kept
    assert result.labels_on_picture.shape == (90, 150)
    found = result.labels_on_picture == 1
    # the network saw 64×38 pixels, so edges may be off by about a cell (2.3 pixels here) — but not shifted:
    assert (found & truth).sum() / (found | truth).sum() > 0.92
    rows, cols = np.nonzero(found)
    assert abs(rows.mean() - 44.5) < 0.5 and abs(cols.mean() - 64.5) < 0.5  # the rectangle's centre
    assert found[25:65, 35:95].all() and not found[:15].any() and not found[:, 110:].any()
    shares = dict(result.shares)
    assert shares[1] == pytest.approx(truth.mean(), abs=0.02)
    painted = viz.overlay(result, opacity=1.0)
    assert (painted[40, 60] == viz.palette(("background", "red"))[1]).all() and (painted[5, 5] == 40).all()
    hidden = viz.overlay(result, opacity=1.0, shown=[])
    assert np.array_equal(hidden, picture)


def test_the_other_networks_ticked_classes_paint_every_class():
    """After a network switch the page may still tick the other network's classes; both networks have a
    "background", which alone must not decide what is painted."""
    from pathlib import Path

    scene = str(Path(__file__).resolve().parents[2] / "assets" / "examples" / "scene-1.png")
    voc = lesson.segment_view("bundled", scene, shown=["background", "aeroplane", "cat"])
    assert voc.shown is None  # every class
    assert lesson.segment_view("bundled", scene, shown=["background", "3"]).shown == (0, 4)
    assert lesson.segment_view("bundled", scene, shown=[]).shown == ()
    assert lesson.segment_view("bundled", scene).shown is None


def test_the_coarse_map_is_the_one_before_upsampling():
    torch.manual_seed(0)
    model = FCN().eval()
    network = Network("fcn", "bundled", "FCN", model, SEGMENT_CLASSES, zoo.InputSpec(64), "", False)
    result = lesson.segment(network, Image.new("RGB", (64, 64), (10, 200, 30)))
    assert result.coarse.shape == (11, 4, 4) and result.scores.shape == (11, 64, 64)
    kernel = lesson.transposed_kernel(network, 3)
    torch.testing.assert_close(kernel, bilinear_kernel(11, 11, 8)[3, 3])  # untrained: still bilinear


def test_voc_colours_are_the_standard_map():
    colours = viz.voc_colours(21)
    assert colours[1].tolist() == [128, 0, 0] and colours[15].tolist() == [192, 128, 128]  # aeroplane, person


@pytest.mark.slow
def test_the_training_command_writes_weights_and_a_record(tmp_path):
    from playground.train.segmentation import train_fcn

    reports = []
    record = train_fcn(steps=2, out_dir=tmp_path, on_report=lambda *report: reports.append(report))
    assert (tmp_path / "fcn.safetensors").exists() and (tmp_path / "manifest.json").exists()
    assert record["recipe"]["steps"] == 2 and record["command"] == "python -m playground.train fcn"
    assert set(record["metrics"]) == {"held_out_mean_iou", "held_out_pixel_accuracy"}
    assert [step for step, *_ in reports] == [2]
    assert record["num_params"] == zoo.parameter_count(FCN())


def test_class_names_are_shown_in_the_learners_language():
    from playground.viz.segmentation import class_choices, class_label

    assert class_label("background", "zh") == "背景" and class_label("tvmonitor", "zh") == "电视/显示器"
    assert class_label("7", "zh") == "7" and class_label("diningtable", "en") == "dining table"
    assert class_choices(("background", "3"), "zh") == [("背景", "background"), ("3", "3")]  # the lesson's names
