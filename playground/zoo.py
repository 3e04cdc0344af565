"""The model zoo: every network of the primer by name, its input, its classes and its weights.

Two kinds of weights:

* **bundled** (the default, offline): ``pretrained/<name>.safetensors``, trained by
  ``python -m playground.train <name>`` on the bundled coloured digits and listed in
  ``pretrained/manifest.json`` with its sha256, data, split, held-out accuracy, and the class and
  arguments that rebuild the network. Loading checks the hash and rebuilds the network from its record alone; a
  missing or corrupted file is an error that names the file, never a random model.
* **imagenet** (on demand, online): torchvision's own definition and weights, fetched through torchvision's
  weights API the first time a learner asks (categories and preprocessing come from the weights object), and
  cached on disk by torch.hub. Without a network the learner gets a clear message; the bundled model stays.

    >>> model = load("lenet")                   # the bundled LeNet, verified, in eval mode
    >>> get_entry("resnet").input.describe()
"""

from __future__ import annotations

import hashlib
import json
import pickle
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from torch import nn

from playground import models
from playground.data.digits import CLASSES as DIGIT_CLASSES
from playground.data.digits import IMAGE_SIZE, MEAN, STD
from playground.data.scenes import SCENE_SIZE, SEGMENT_CLASSES
from playground.errors import InputError

PRETRAINED = Path(__file__).resolve().parents[1] / "pretrained"
MANIFEST = PRETRAINED / "manifest.json"
BUNDLED = "bundled"
IMAGENET = "imagenet"


class WeightsIntegrityError(InputError):
    """A bundled weights file is missing or differs from its manifest entry."""


@dataclass(frozen=True)
class InputSpec:
    """What a network expects: image size and channels, and how pixels are normalised."""

    size: int
    channels: int = 3
    mean: tuple[float, ...] = MEAN
    std: tuple[float, ...] = STD
    resize: int | None = None  # ImageNet models: shorter side resized to this, then ``size`` centre-cropped

    def describe(self) -> str:
        steps = [f"resize shorter side to {self.resize}", f"centre-crop {self.size}×{self.size}"] if self.resize \
            else [f"resize to {self.size}×{self.size}"]
        mean = ", ".join(f"{m:g}" for m in self.mean)
        std = ", ".join(f"{s:g}" for s in self.std)
        return " → ".join([*steps, "to [0, 1]", f"normalise (x − [{mean}]) / [{std}]"])


@dataclass(frozen=True)
class TorchvisionWeights:
    """The ImageNet counterpart of an entry: torchvision's builder and weights enum member."""

    builder: str  # e.g. "resnet18"
    weights: str  # e.g. "ResNet18_Weights.IMAGENET1K_V1"


@dataclass(frozen=True)
class ModelEntry:
    """One network of the primer: how to build it, what it reads, where its weights come from."""

    name: str
    family: str
    builder: Callable[..., nn.Module]
    primer_section: str
    cam_layer: str  # the default layer for Grad-CAM: the last convolutional stage
    input: InputSpec = field(default_factory=lambda: InputSpec(IMAGE_SIZE))
    classes: tuple[str, ...] = DIGIT_CLASSES
    imagenet: TorchvisionWeights | None = None  # torchvision's pretrained counterpart (ImageNet; COCO for FCN)
    task: str = "classify"  # "classify": one label per picture (CNNs); "segment": one per pixel; "language": next
    # character; "seq2seq": a token sequence out for one in; "vit": one label per picture, by attention

    def build(self, **kwargs: Any) -> nn.Module:
        """A freshly initialised network with this entry's architecture (no weights loaded)."""
        return self.builder(**{"num_classes": len(self.classes), **kwargs})


def _tv(builder: str, weights: str) -> TorchvisionWeights:
    return TorchvisionWeights(builder, weights)


def _char_lm(kind: str) -> Callable[..., nn.Module]:
    """A builder for the character language model with ``kind`` cells; the vocabulary is the bundled corpus's
    (read at build time, not at import)."""

    def build(num_classes: int = 0, **kwargs: Any) -> nn.Module:
        from playground.data.text import corpus_vocab

        args = {"kind": kind, "vocab_size": len(corpus_vocab()), "embed": 32, "hidden": 128, "layers": 2, **kwargs}
        return models.CharLM(**args)

    build.__name__ = build.__qualname__ = f"CharLM_{kind}"
    return build


def _date_transformer(num_classes: int = 0, **kwargs: Any) -> nn.Module:
    """The encoder–decoder Transformer of the date task; its vocabularies are the task's alphabets."""
    from playground.data import dates

    args = {"source_vocab": len(dates.SOURCE_TOKENS), "target_vocab": len(dates.TARGET_TOKENS), "dim": 64,
            "heads": 4, "layers": 2, "hidden": 128, **kwargs}
    return models.Seq2SeqTransformer(**args)


def _vit(num_classes: int = 10, **kwargs: Any) -> nn.Module:
    """The digits' ViT: 4×4-pixel patches embedded by a small convolutional stem (see models.transformer)."""
    return models.VisionTransformer(num_classes=num_classes, **{"patch": 4, "stem": "conv", **kwargs})


# The primer's order. cam_layer: the last convolutional stage that still has a few cells (VGG's and ResNet's
# last stages are 1×1 and 2×2 on 32-pixel digits, too coarse for Grad-CAM), after its ReLU: Grad-CAM weighs
# rectified maps (Selvaraju et al.); on a convolution's raw output the weighted sum is often all negative,
# and the ReLU'd map all zero.
ZOO: dict[str, ModelEntry] = {
    entry.name: entry
    for entry in (
        ModelEntry("lenet", "LeNet", models.LeNet, "§2–§3", "features.conv2"),
        ModelEntry("alexnet", "AlexNet", models.AlexNet, "§4", "features.relu5",
                   imagenet=_tv("alexnet", "AlexNet_Weights.IMAGENET1K_V1")),
        ModelEntry("vgg", "VGG", models.VGG, "§5", "features.block4.3",
                   imagenet=_tv("vgg16", "VGG16_Weights.IMAGENET1K_V1")),
        ModelEntry("googlenet", "GoogLeNet", models.GoogLeNet, "§6", "features.inception5a",
                   imagenet=_tv("googlenet", "GoogLeNet_Weights.IMAGENET1K_V1")),
        ModelEntry("resnet", "ResNet", models.ResNet, "§7", "features.layer3",
                   imagenet=_tv("resnet18", "ResNet18_Weights.IMAGENET1K_V1")),
        ModelEntry("mobilenet_v1", "MobileNet v1", models.MobileNetV1, "§8", "features.block8"),
        ModelEntry("mobilenet_v2", "MobileNet v2", models.MobileNetV2, "§8", "features.conv_last",
                   imagenet=_tv("mobilenet_v2", "MobileNet_V2_Weights.IMAGENET1K_V1")),
        ModelEntry("densenet", "DenseNet", models.DenseNet, "§9", "features.norm",
                   imagenet=_tv("densenet121", "DenseNet121_Weights.IMAGENET1K_V1")),
        ModelEntry("fcn", "FCN", models.FCN, "§11", "backbone.layer4", input=InputSpec(SCENE_SIZE),
                   classes=SEGMENT_CLASSES, task="segment",
                   imagenet=_tv("fcn_resnet50", "FCN_ResNet50_Weights.COCO_WITH_VOC_LABELS_V1")),
        # character language models: their classes are the corpus's characters, read when one is built
        ModelEntry("rnn", "RNN", _char_lm("rnn"), "§12", "", classes=(), task="language"),
        ModelEntry("gru", "GRU", _char_lm("gru"), "§12", "", classes=(), task="language"),
        ModelEntry("lstm", "LSTM", _char_lm("lstm"), "§12", "", classes=(), task="language"),
        # attention: date normalisation (tokens in, tokens out) and a ViT on the digits
        ModelEntry("transformer", "Transformer", _date_transformer, "§14", "", classes=(), task="seq2seq"),
        ModelEntry("vit", "ViT", _vit, "§15", "", task="vit",
                   imagenet=_tv("vit_b_16", "ViT_B_16_Weights.IMAGENET1K_V1")),
    )
}


# The attention networks' (layers, heads), read by the controls that pick one, so that no network is built to count
# them: the bundled ones as their builders above make them (tests/unit/test_zoo.py checks), torchvision's ViT-B/16.
ATTENTION_LAYOUT = {("transformer", BUNDLED): (2, 4), ("vit", BUNDLED): (4, 4), ("vit", IMAGENET): (12, 12)}


def list_models(task: str | None = "classify") -> list[str]:
    """The networks for one task ("classify", "segment"), in the primer's order; ``None``: all of them."""
    return [name for name, entry in ZOO.items() if task is None or entry.task == task]


def get_entry(name: str) -> ModelEntry:
    try:
        return ZOO[name]
    except KeyError:
        raise InputError("zoo.err.unknown", name=str(name)[:40], choices=", ".join(ZOO)) from None


# --- bundled weights --------------------------------------------------------------------------------


def read_manifest(path: Path = MANIFEST) -> dict[str, Any]:
    """``{"models": {name: record}}``; an absent manifest is an empty one."""
    if not path.exists():
        return {"models": {}}
    return json.loads(path.read_text(encoding="utf-8"))


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def bundled_record(name: str, *, manifest: dict[str, Any] | None = None) -> dict[str, Any]:
    entry = get_entry(name)
    record = (manifest or read_manifest())["models"].get(entry.name)
    if record is None:
        raise WeightsIntegrityError("zoo.err.no_weights", name=entry.name,
                                    command=f"python -m playground.train {entry.name}")
    return record


def build_from_record(record: dict[str, Any]) -> nn.Module:
    """A freshly initialised network as its manifest record describes it: the ``playground.models`` class named by
    ``architecture``, called with ``model_args`` (nanoGPT's ``GPT(GPTConfig(**checkpoint["model_args"]))``)."""
    module_name, _, class_name = record["architecture"].rpartition(".")
    architecture = getattr(models, class_name, None)
    if not (isinstance(architecture, type) and issubclass(architecture, nn.Module)
            and architecture.__module__ == module_name):
        raise ValueError(f"{record['architecture']!r} is not a network of playground.models")
    return architecture(**record["model_args"])


def load_bundled(name: str, *, root: Path = PRETRAINED, manifest: dict[str, Any] | None = None) -> nn.Module:
    """The bundled network in eval mode, rebuilt from its manifest record after checking its file's sha256."""
    from safetensors.torch import load_file

    entry = get_entry(name)
    record = bundled_record(name, manifest=manifest)
    path = root / record["file"]
    if not path.exists():
        raise WeightsIntegrityError("zoo.err.missing_file", file=str(path.name),
                                    command=f"python -m playground.train {entry.name}")
    if sha256_of(path) != record["sha256"]:
        raise WeightsIntegrityError("zoo.err.hash", file=str(path.name),
                                    command=f"python -m playground.train {entry.name}")
    model = build_from_record(record)
    model.load_state_dict(load_file(path), strict=True)
    return model.eval()


# --- torchvision ImageNet weights, on demand ----------------------------------------------------------


@dataclass(frozen=True)
class ImageNetModel:
    model: nn.Module
    categories: tuple[str, ...]
    transforms: Any  # torchvision's preset, callable on a PIL image / tensor
    input: InputSpec


def load_imagenet(name: str, *, progress: bool = False) -> ImageNetModel:
    """torchvision's network with its ImageNet weights, downloaded once into torch.hub's cache.

    Raises InputError("zoo.err.offline") when the file is not cached and cannot be downloaded.
    """
    import torchvision.models as tv_models

    entry = get_entry(name)
    if entry.imagenet is None:
        raise InputError("zoo.err.no_imagenet", name=entry.name)
    weights = tv_models.get_weight(entry.imagenet.weights)
    try:
        state = weights.get_state_dict(progress=progress, check_hash=True, weights_only=True)
    except OSError as err:  # URLError, socket errors, a read-only cache...
        raise InputError("zoo.err.offline", name=entry.family, reason=type(err).__name__) from None
    except (pickle.UnpicklingError, RuntimeError, EOFError) as err:  # weights_only refused it, or a torn file
        raise InputError("zoo.err.bad_checkpoint", name=entry.family, folder=torch.hub.get_dir(),
                         reason=type(err).__name__) from None
    # Build as torchvision's builder does when it loads these weights itself (we load them with weights_only).
    builder = entry.imagenet.builder
    extra = {"googlenet": {"aux_logits": True, "transform_input": True, "init_weights": False},
             "fcn_resnet50": {"aux_loss": True, "num_classes": len(weights.meta["categories"])}}.get(builder, {})
    model = tv_models.get_model(builder, weights=None, weights_backbone=None, **extra) \
        if builder == "fcn_resnet50" else tv_models.get_model(builder, weights=None, **extra)
    model.load_state_dict(state)
    if builder == "googlenet":  # the auxiliary classifiers only help training
        model.aux_logits, model.aux1, model.aux2 = False, None, None
    if builder == "fcn_resnet50":
        model.aux_classifier = None
    preset = weights.transforms()
    resize = preset.resize_size[0] if preset.resize_size else None
    crop = getattr(preset, "crop_size", None)  # segmentation presets resize only: every pixel gets a label
    spec = InputSpec(size=crop[0] if crop else resize, mean=tuple(preset.mean), std=tuple(preset.std),
                     resize=resize)
    return ImageNetModel(model.eval(), torchvision_categories(name), preset, spec)


def torchvision_categories(name: str) -> tuple[str, ...]:
    """The class names of ``name``'s torchvision weights, from their metadata (no download); VOC's
    "__background__" is called "background" as in the bundled FCN."""
    import torchvision.models as tv_models

    entry = get_entry(name)
    if entry.imagenet is None:
        raise InputError("zoo.err.no_imagenet", name=entry.family)
    categories = tv_models.get_weight(entry.imagenet.weights).meta["categories"]
    return tuple("background" if c == "__background__" else c for c in categories)


def imagenet_cached(name: str) -> bool:
    """Whether torchvision's ImageNet weights for ``name`` are already on disk (no download needed)."""
    entry = get_entry(name)
    if entry.imagenet is None:
        return False
    import torchvision.models as tv_models

    url = tv_models.get_weight(entry.imagenet.weights).url
    return (Path(torch.hub.get_dir()) / "checkpoints" / url.rsplit("/", 1)[-1]).exists()


# --- one copy of each model per process ---------------------------------------------------------------


class ModelCache:
    """Loads each (name, weights, device) once, however many tabs and learners ask at the same time.

    The returned module is shared: callers must not change its mode or weights (tabs that train build their
    own copy) and should hold ``lock(key)`` while hooks are registered on it.
    """

    def __init__(self) -> None:
        self._models: dict[tuple[str, str, str], Any] = {}
        self._locks: dict[tuple[str, str, str], threading.Lock] = {}
        self._guard = threading.Lock()

    def lock(self, key: tuple[str, str, str]) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())

    def get(self, name: str, weights: str = BUNDLED, device: str = "cpu", *, progress: bool = False) -> Any:
        key = (get_entry(name).name, weights, str(device))
        with self.lock(key):  # a second caller waits for the first load instead of loading again
            if key not in self._models:
                loaded = load_bundled(name) if weights == BUNDLED else load_imagenet(name, progress=progress)
                if isinstance(loaded, ImageNetModel):
                    loaded = ImageNetModel(loaded.model.to(device), loaded.categories, loaded.transforms,
                                           loaded.input)
                else:
                    loaded = loaded.to(device)
                self._models[key] = loaded
            return self._models[key]

    def __len__(self) -> int:
        return len(self._models)


MODELS = ModelCache()


def parameter_count(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def file_record(path: Path) -> dict[str, Any]:
    """The manifest fields that describe a weights file itself."""
    return {"file": path.name, "sha256": sha256_of(path), "bytes": path.stat().st_size}

