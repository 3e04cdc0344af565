"""One picture through every CNN of the primer, side by side (primer §2–§9).

For each network: its prediction and confidence, parameters, multiply-adds, the latency measured on this
device, its first and last convolutional feature maps and a Grad-CAM map — the table the primer's chapters
imply, LeNet to DenseNet.

    >>> from playground.lessons.images import open_image
    >>> rows = compare_networks(open_image("assets/examples/digit-7.png").image)
    >>> [(row.label, row.prediction.label) for row in rows][:2]
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import torch
from PIL import Image
from torch import Tensor

from playground import zoo
from playground.errors import InputError
from playground.lessons import attribution
from playground.lessons.feature_maps import Layer, Prediction, feature_maps, layer_output, top_k
from playground.lessons.images import Fit, Prepared, prepare
from playground.lessons.networks import Network, resolve
from playground.limits import MAX_LATENCY_REPEATS
from playground.runtime import device_of


@dataclass(frozen=True)
class NetworkRow:
    """One network's column of the comparison; ``missing`` (an i18n key) when it could not run."""

    name: str
    label: str
    prediction: Prediction | None = None
    params: int = 0
    macs: int = 0
    latency_ms: float = 0.0  # median
    latency_spread_ms: tuple[float, float] = (0.0, 0.0)  # the middle half of the measured passes (25th–75th pct)
    prepared: Prepared | None = None
    first: tuple[Layer, Tensor] | None = None  # the first convolution's output (first channels)
    last: tuple[Layer, Tensor] | None = None  # the Grad-CAM layer's output (the last convolutional stage)
    cam: attribution.Attribution | None = None
    missing: str = ""


LATENCY_REPEATS = 9  # timed passes per network: enough for a middle half


def latency_ms(network: Network, x: Tensor, *, repeats: int = LATENCY_REPEATS) -> float:
    """Median wall time of a bare forward pass (no hooks, no gradients), after one warm-up pass."""
    return latency_samples_ms(network, x, repeats=repeats)[1]


def latency_samples_ms(network: Network, x: Tensor, *, repeats: int = LATENCY_REPEATS) -> tuple[float, float, float]:
    """(25th percentile, median, 75th percentile) wall time of a bare forward pass, after one warm-up pass: the
    middle half shows how much a busy machine moved the measurement."""
    repeats = max(1, min(int(repeats), MAX_LATENCY_REPEATS))
    model, device = network.model, device_of(network.model)
    x = x.to(device)
    samples = []
    with network.lock, torch.no_grad():
        for i in range(repeats + 1):
            if device.type == "cuda":
                torch.cuda.synchronize(device)
            start = time.perf_counter()
            model(x)
            if device.type == "cuda":
                torch.cuda.synchronize(device)
            if i:  # the first pass warms caches and allocators
                samples.append(time.perf_counter() - start)
    if len(samples) < 2:
        return (samples[0] * 1e3,) * 3
    low, median, high = statistics.quantiles(samples, n=4)
    return low * 1e3, median * 1e3, high * 1e3



def network_row(network: Network, image: Image.Image, *, fit: Fit = "pad", temperature: float = 1.0,
                repeats: int = LATENCY_REPEATS, with_cam: bool = True) -> NetworkRow:
    spec = network.input
    prepared = prepare(image, size=spec.size, mean=spec.mean, std=spec.std, resize=spec.resize, fit=fit)
    result = feature_maps(network, prepared.tensor)
    maps = [(layer, out) for layer, out in zip(result.layers, result.outputs) if layer.is_map and out is not None]
    first = next(((layer, out) for layer, out in maps if layer.role in ("conv", "pointwise", "depthwise")), None)
    last = next(((layer, out) for layer, out in maps if layer.name == network.cam_layer), None)
    if last is None:  # the Grad-CAM layer is a stage the table lists through its blocks: hook it alone
        last = layer_output(network, prepared.tensor, network.cam_layer)
    cam = attribution.attribute(network, prepared.tensor, "grad_cam") if with_cam else None
    low, median, high = latency_samples_ms(network, prepared.tensor, repeats=repeats)
    return NetworkRow(network.name, network.label, top_k(result.logits, network.classes, k=1,
                                                          temperature=temperature)[0],
                      result.total_params, result.total_macs, median, (low, high), prepared, first, last, cam)


def compare_networks(image: Image.Image, *, weights: str = "bundled", fit: Fit = "pad", temperature: float = 1.0,
                     device: str = "cpu", trained: Mapping[str, Any] | None = None, repeats: int = LATENCY_REPEATS,
                     with_cam: bool = True, progress: Callable[[float, str], None] | None = None) -> list[NetworkRow]:
    """Every zoo network on ``image``. With ImageNet weights only those already downloaded run (eight
    downloads of up to 500 MB are not started by one click); the learner's trained networks when asked."""
    rows = []
    names = zoo.list_models()
    for i, name in enumerate(names):
        entry = zoo.get_entry(name)
        if progress is not None:
            progress(i / len(names), entry.family)
        if weights == "imagenet" and entry.imagenet is None:
            rows.append(NetworkRow(name, entry.family, missing="cmp.missing.no_imagenet"))
            continue
        if weights == "imagenet" and not zoo.imagenet_cached(name):
            rows.append(NetworkRow(name, entry.family, missing="cmp.missing.not_downloaded"))
            continue
        if weights == "trained" and name not in (trained or {}):
            rows.append(NetworkRow(name, entry.family, missing="cmp.missing.not_trained"))
            continue
        network = resolve(name, weights, trained=trained, device=device)
        rows.append(network_row(network, image, fit=fit, temperature=temperature, repeats=repeats,
                                with_cam=with_cam))
    if not any(row.prediction for row in rows):
        raise InputError(f"cmp.err.none_{weights}" if weights in ("imagenet", "trained") else "cmp.err.none")
    return rows


BUSY_SPREAD = 0.5  # a middle half wider than half the median: the machine was busy while measuring


def busy_while_timing(rows: list[NetworkRow]) -> bool:
    """Whether any network's latency moved so much between passes that the order of the networks by latency
    cannot be trusted (another learner's work, the page itself): then the comparison says so."""
    return any(row.prediction is not None and row.latency_ms > 0
               and (row.latency_spread_ms[1] - row.latency_spread_ms[0]) > BUSY_SPREAD * row.latency_ms
               for row in rows)
