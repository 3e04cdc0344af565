"""Segmentation view vs one bare forward pass of the same FCN on the same input.

The view is what the server does for one picture: resize (ratio kept), one forward pass that also keeps the
coarse score map, the classes mapped back onto the picture, the overlay, the legend and the two figures as
JSON. Bundled FCN on a 256-pixel scene (the network sees 64×64), and torchvision's FCN-ResNet50 architecture
(random weights, nothing downloaded) on a 480×320 photo (the network sees 780×520).
"""

from __future__ import annotations

from pathlib import Path

import torch
from PIL import Image

from bench._util import Row, median_time
from playground import zoo
from playground.lessons import segmentation as lesson
from playground.lessons.images import open_image
from playground.lessons.networks import Network, resolve
from playground.viz import segmentation as viz

EXAMPLES = Path(__file__).resolve().parents[1] / "assets" / "examples"


def _torchvision_fcn() -> Network:
    import torchvision

    torch.manual_seed(0)
    model = torchvision.models.segmentation.fcn_resnet50(weights=None, weights_backbone=None, num_classes=21).eval()
    spec = zoo.InputSpec(520, mean=(0.485, 0.456, 0.406), std=(0.229, 0.224, 0.225), resize=520)
    return Network("fcn", "imagenet", "FCN-ResNet50 (random weights)", model, tuple(f"class {i}" for i in range(21)),
                   spec, "backbone.layer4", False)


def _view(network: Network, picture: Image.Image):
    def view():
        result = lesson.segment(network, picture)
        viz.overlay(result)
        viz.legend_html(result)
        viz.scores_figure(result, 1).to_json()
        if network.weights != "imagenet":
            viz.kernel_figure(lesson.transposed_kernel(network, 1)).to_json()
    return view


def _bare(network: Network, picture: Image.Image):
    size = lesson.input_side(network, picture)
    x = torch.randn(1, 3, size[1], size[0])

    def forward():
        with torch.no_grad():
            network.model(x)
    return forward


def run() -> list[Row]:
    rows = []
    for label, network, path, repeats in (
            ("bundled FCN, scene 256 px (sees 64×64)", resolve("fcn", "bundled"), EXAMPLES / "scene-1.png", 7),
            ("torchvision FCN-ResNet50, photo 480×320", _torchvision_fcn(), EXAMPLES / "cat.jpg", 3)):
        picture = open_image(path).image
        bare = median_time(_bare(network, picture), repeats=repeats, warmup=1)
        ours = median_time(_view(network, picture), repeats=repeats, warmup=1)
        rows.append(Row(f"segmentation view: {label}", ours, bare, f"bare forward ({bare * 1e3:.1f} ms)"))
    return rows
