"""Which network a view runs: a zoo entry with its bundled weights, torchvision's ImageNet weights, or the
network this learner trained in the Training tab (kept in their session); and the learner's picture made into
that network's input."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from torch import nn

from playground import zoo
from playground.errors import InputError
from playground.lessons.images import Fit, LoadedImage, Prepared, open_image, prepare

WEIGHTS = ("bundled", "imagenet", "trained")


@dataclass(frozen=True)
class Network:
    """A ready network in eval mode on its device, with what is needed to feed it and read its answer."""

    name: str
    weights: str
    label: str  # e.g. "ResNet · ImageNet (torchvision resnet18)"
    model: nn.Module
    classes: tuple[str, ...]
    input: zoo.InputSpec
    cam_layer: str
    shared: bool  # True: a cached model other learners use too — never change its mode or weights
    # Held while hooks are registered on the model (feature capture, captum's layer methods), so that another
    # learner's forward pass on the same shared model never runs through them.
    lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)


def resolve(name: str, weights: str, *, trained: Mapping[str, Any] | None = None, device: str = "cpu",
            cache: zoo.ModelCache = zoo.MODELS, progress: bool = False) -> Network:
    """The network ``name`` with the chosen ``weights``; unavailable combinations are clear InputErrors.

    ``progress``: show torchvision's download progress bar (tqdm) when ImageNet weights are fetched.
    """
    entry = zoo.get_entry(name)
    device = str(device)
    if weights == "bundled":
        model = cache.get(entry.name, zoo.BUNDLED, device)
        return Network(entry.name, weights, entry.family, model, entry.classes, entry.input, entry.cam_layer, True,
                       cache.lock((entry.name, zoo.BUNDLED, device)))
    if weights == "imagenet":
        if entry.imagenet is None:
            raise InputError("zoo.err.no_imagenet", name=entry.family)
        loaded = cache.get(entry.name, zoo.IMAGENET, device, progress=progress)
        source = "COCO" if entry.task == "segment" else "ImageNet"
        return Network(entry.name, weights, f"{entry.family} · {source} ({entry.imagenet.builder})", loaded.model,
                       loaded.categories, loaded.input, imagenet_cam_layer(entry.imagenet.builder), True,
                       cache.lock((entry.name, zoo.IMAGENET, device)))
    if weights == "trained":
        record = (trained or {}).get(entry.name)
        if record is None:
            raise InputError("net.err.not_trained", name=entry.family)
        model = entry.build()
        model.load_state_dict(record["state_dict"])
        return Network(entry.name, weights, f"{entry.family} · {record.get('accuracy', 0):.1%}",
                       model.to(device).eval(), entry.classes, entry.input, entry.cam_layer, False)
    raise InputError("net.err.weights", weights=str(weights)[:20], choices=", ".join(WEIGHTS))


def imagenet_cam_layer(builder: str) -> str:
    """The last convolutional stage of torchvision's ImageNet definitions, after its ReLU (Grad-CAM's usual
    choice; see zoo.ZOO)."""
    return {"alexnet": "features.11", "vgg16": "features.29", "googlenet": "inception5b", "resnet18": "layer4",
            "fcn_resnet50": "backbone.layer4",
            "mobilenet_v2": "features.18", "densenet121": "features.denseblock4",
            "vit_b_16": "encoder.ln"}[builder]  # a ViT has no convolutional stage; its tab shows attention instead


def network_input(network: Network, image: str | Path | bytes | None, *, fit: Fit) -> tuple[LoadedImage, Prepared]:
    """The learner's picture file read safely and prepared as ``network`` expects: (what reading the file did,
    the network's input with the picture it corresponds to)."""
    if not image:
        raise InputError("img.err.no_image")
    loaded = open_image(image)
    spec = network.input
    return loaded, prepare(loaded.image, size=spec.size, mean=spec.mean, std=spec.std, resize=spec.resize, fit=fit)
