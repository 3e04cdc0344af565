"""Feature-map view on an ImageNet-sized network: torchvision's ResNet-18 at 224 pixels, batch 1, random weights
(the cost does not depend on them; nothing is downloaded), against one bare forward pass of the same model.

The view is what the server does for one picture: the forward pass with every layer captured (hooks that
clone the first 16 channels), one tiled picture per layer, and the gallery's JPEG files (written as the tab
writes them, then Gradio's postprocessing of the list). Goal ≤ 2× for the whole view. The enlarged layer (one
forward pass hooking one layer + a plotly heatmap sent as JSON) and the bundled 32-pixel ResNet are shown too.
"""

from __future__ import annotations

import torch

from bench._util import Row, median_time
from playground import zoo
from playground.lessons import feature_maps as lesson
from playground.lessons.networks import Network, resolve
from playground.ui.common import jpeg_gallery
from playground.viz import feature_maps as viz

SIZE = 224


def _imagenet_resnet() -> Network:
    import torchvision

    torch.manual_seed(0)
    model = torchvision.models.resnet18(weights=None).eval()
    return Network("resnet", "imagenet", "ResNet-18 (random weights)", model, tuple(map(str, range(1000))),
                   zoo.InputSpec(SIZE, resize=256), "layer4", False)


def _bare(network: Network, x: torch.Tensor):
    def forward():
        with torch.no_grad():
            network.model(x)
    return forward


def _view_rows(label: str, network: Network, size: int, gallery) -> list[Row]:
    """The view's rows for one network at one picture size, each against its bare forward pass."""
    x = torch.randn(1, 3, size, size, generator=torch.Generator().manual_seed(1))
    bare = median_time(_bare(network, x))
    result = lesson.feature_maps(network, x)
    capture = median_time(lambda: lesson.feature_maps(network, x))
    tiles = median_time(lambda: viz.layer_gallery(result))
    encode = median_time(lambda: gallery.postprocess(jpeg_gallery(viz.layer_gallery(result)))) - tiles
    floor = f"bare forward ({bare * 1e3:.1f} ms)"
    name = next(layer.name for layer in result.layers if layer.role == "conv")

    def enlarged():
        layer, output = lesson.layer_output(network, x, name)
        viz.layer_figure(layer, output).to_json()

    return [Row(f"{label}: capture every layer", capture, bare, floor),
            Row(f"{label}: + tile {len(result.layers)} layers", capture + tiles, bare, floor),
            Row(f"{label}: + JPEG gallery (whole view)", capture + tiles + encode, bare, floor,
                "≤ 2×" if size == SIZE else ""),
            Row(f"{label}: enlarged {name} (+ JSON)", median_time(enlarged), bare, floor)]


def run() -> list[Row]:
    import gradio as gr

    gallery = gr.Gallery(format="jpeg")  # as the tab's gallery, given the JPEG files jpeg_gallery wrote
    return [*_view_rows("ImageNet ResNet-18 @224", _imagenet_resnet(), SIZE, gallery),
            *_view_rows("bundled ResNet @32", resolve("resnet", "bundled"), 32, gallery)]
