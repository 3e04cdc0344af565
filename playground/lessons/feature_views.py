"""The CNN feature-map tab's views (primer §2–§9), one function each. A view resolves the chosen network, reads
and prepares the learner's picture, checks the cheap controls before any network runs, and then runs the lesson
steps it shows: every layer (``feature_maps``), one layer large (``layer_output``), what the network looked at
(``attribution``) with its sanity check, and every network on the same picture (``compare``).

    >>> view = maps_view("lenet", "bundled", "assets/examples/digit-7.png", fit="pad")
    >>> view.predictions[0].label, view.shown
    ('7', 'features.conv1')
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image
from torch import Tensor

from playground.errors import InputError
from playground.inputs import as_whole
from playground.lessons import attribution
from playground.lessons.compare import NetworkRow, compare_networks
from playground.lessons.feature_maps import (
    FeatureMaps,
    Layer,
    Prediction,
    check_scale,
    check_temperature,
    feature_maps,
    layer_output,
    top_k,
)
from playground.lessons.images import Fit, LoadedImage, Prepared, open_image
from playground.lessons.networks import Network, network_input, resolve
from playground.runtime import resolve_device

TOP_K = 5
MAX_FIRST_CHANNEL = 4096  # more channels than any layer here has: larger values are refused, smaller ones clamped

Picture = str | Path | bytes | None  # the learner's picture file, as the page or the API hands it over


def _network(name: str, weights: str, trained: Mapping[str, Any] | None, device: str | None, *,
             progress: bool = False) -> Network:
    return resolve(name, weights, trained=trained, device=str(resolve_device(device)), progress=progress)


# --- every layer ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MapsView:
    """One network on the learner's picture: every layer, the predictions, and the layer shown large first."""

    network: Network
    loaded: LoadedImage  # what reading the file did (its notes)
    prepared: Prepared  # the network's input and the picture it sees
    maps: FeatureMaps
    predictions: list[Prediction]
    shown: str  # the layer enlarged first: the first convolution (else the first map)
    layer: Layer  # that layer...
    output: Tensor  # ...and its whole output
    scale: str  # what "most red" means (see SCALES)

    @property
    def map_names(self) -> list[str]:
        """The layers drawn as pictures, in the gallery's order."""
        return [layer.name for layer in self.maps.layers if layer.is_map]

    @property
    def layer_names(self) -> list[str]:
        """The layers that can be enlarged (those with a tensor output)."""
        return [layer.name for layer in self.maps.layers if layer.shape]

    @property
    def cam_layers(self) -> list[str]:
        """Layers Grad-CAM can weigh: the zoo's choice first, then every convolution and block, in order."""
        return list(dict.fromkeys([self.network.cam_layer, *attribution.layer_choices(self.network.model)]))


def maps_view(name: str, weights: str, image: Picture, *, fit: Fit, scale: str = "layer",
              temperature: float = 1.0, trained: Mapping[str, Any] | None = None, device: str | None = None,
              progress: bool = False) -> MapsView:
    """Every layer of ``name`` on the picture, the top predictions, and the first convolution's output.

    ``progress``: show torchvision's download progress when ImageNet weights are fetched."""
    check_scale(scale)
    temperature = check_temperature(temperature)
    network = _network(name, weights, trained, device, progress=progress)
    loaded, prepared = network_input(network, image, fit=fit)
    maps = feature_maps(network, prepared.tensor)
    predictions = top_k(maps.logits, network.classes, k=TOP_K, temperature=temperature)
    map_names = [layer.name for layer in maps.layers if layer.is_map]
    shown = next((layer.name for layer in maps.layers if layer.role == "conv"), map_names[0] if map_names else None)
    layer, output = layer_output(network, prepared.tensor, shown)
    return MapsView(network, loaded, prepared, maps, predictions, shown, layer, output, scale)


@dataclass(frozen=True)
class LayerView:
    """One layer of one network on the picture, every channel of its output."""

    network: Network
    layer: Layer
    output: Tensor
    first_channel: int  # the first channel the learner asked to see
    scale: str
    maps: FeatureMaps | None  # every layer's peak, for the "network" scale; None for the other scales


def layer_view(name: str, weights: str, image: Picture, layer_name: str, *, fit: Fit, first_channel: object = 0,
               scale: str = "layer", trained: Mapping[str, Any] | None = None,
               device: str | None = None) -> LayerView:
    """The layer ``layer_name`` (as the table lists it) of ``name`` on the picture."""
    check_scale(scale)
    first = as_whole(first_channel if first_channel is not None else 0, 0, MAX_FIRST_CHANNEL, "feat.first_channel")
    network = _network(name, weights, trained, device)
    _, prepared = network_input(network, image, fit=fit)
    layer, output = layer_output(network, prepared.tensor, layer_name)
    # the network scale needs every layer's largest value: a pass that keeps no channel at all
    maps = feature_maps(network, prepared.tensor, channels=0) if scale == "network" else None
    return LayerView(network, layer, output, first, scale, maps)


# --- what the network looked at ------------------------------------------------------------------------


@dataclass(frozen=True)
class Explanation:
    """One attribution map, the picture the network saw, and how the map is drawn over it."""

    seen: Image.Image
    attribution: attribution.Attribution
    shading: attribution.Shading


@dataclass(frozen=True)
class Sanity:
    """The sanity check of one method (the trained network against a randomised copy) and how to draw it."""

    seen: Image.Image
    check: attribution.SanityCheck
    shading: attribution.Shading


def explain(name: str, weights: str, image: Picture, method: str, *, fit: Fit, target: object = None,
            layer: str | None = None, n_steps: object = 32, sign: str = "absolute", opacity: float = 0.5,
            clip_percentile: float = 99.0, trained: Mapping[str, Any] | None = None, device: str | None = None,
            progress: attribution.Progress | None = None) -> Explanation:
    """``method``'s map of class ``target`` (None: the predicted class) on the picture; the drawing options and
    the steps (whatever the method: the learner set them) are checked first."""
    shading = attribution.Shading(sign, opacity, clip_percentile)
    attribution.check_steps(n_steps)
    network = _network(name, weights, trained, device)
    _, prepared = network_input(network, image, fit=fit)
    result = attribution.attribute(network, prepared.tensor, method, target=target, n_steps=n_steps,
                                   layer=layer, progress=progress)
    return Explanation(prepared.seen, result, shading)


def sanity(name: str, weights: str, image: Picture, method: str, *, fit: Fit, target: object = None,
           layer: str | None = None, n_steps: object = 32, sign: str = "absolute", opacity: float = 0.5,
           clip_percentile: float = 99.0, trained: Mapping[str, Any] | None = None,
           device: str | None = None) -> Sanity:
    """Adebayo et al.'s check of ``method`` on the picture (two attributions); the drawing options are checked
    before either runs."""
    shading = attribution.Shading(sign, opacity, clip_percentile)
    attribution.check_steps(n_steps)
    network = _network(name, weights, trained, device)
    _, prepared = network_input(network, image, fit=fit)
    check = attribution.sanity_check(network, prepared.tensor, method, target=target, n_steps=n_steps,
                                     layer=layer)
    return Sanity(prepared.seen, check, shading)


# --- every network ---------------------------------------------------------------------------------------


def compare(image: Picture, *, weights: str = "bundled", fit: Fit = "pad", temperature: float = 1.0,
            trained: Mapping[str, Any] | None = None, device: str | None = None,
            progress: Callable[[float, str], None] | None = None) -> list[NetworkRow]:
    """Every CNN of the zoo on the picture (see ``compare_networks``)."""
    if not image:
        raise InputError("img.err.no_image")
    temperature = check_temperature(temperature)
    loaded = open_image(image)
    return compare_networks(loaded.image, weights=weights, fit=fit, temperature=temperature,
                            device=str(resolve_device(device)), trained=trained, progress=progress)
