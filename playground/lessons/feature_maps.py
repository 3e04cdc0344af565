"""Every layer of a CNN on the learner's picture, from one forward pass (primer §2–§9).

``capturing(model)`` registers a forward hook on every layer and block, keeps a *clone* of each output in
the order the layers ran (a module called twice, like torchvision's shared ReLU, appears twice), and removes
every hook when the ``with`` block ends, even on error. It never changes the model's mode or weights, so the
cached model other learners use stays as it was; the hooks ignore forward passes of other threads.

``feature_maps(network, x)`` builds on it: the layer table (name, type, output shape, parameters,
multiply-adds, the shape comment written next to the layer in ``playground/models``) and the predictions.

    >>> from playground.lessons.networks import resolve
    >>> network = resolve("lenet", "bundled")
    >>> result = feature_maps(network, torch.zeros(1, 3, 32, 32))
    >>> [(layer.name, layer.shape) for layer in result.layers][:3]
    [('features.conv1', (16, 28, 28)), ('features.relu1', (16, 28, 28)), ('features.pool1', (16, 14, 14))]
"""

from __future__ import annotations

import inspect
import math
import re
import threading
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cache

import torch
from torch import Tensor, nn

from playground.errors import InputError
from playground.lessons.networks import Network
from playground.limits import GRID_CHANNELS, MAX_TEMPERATURE, MAX_TOP_K, MIN_TEMPERATURE
from playground.runtime import device_of

# Blocks whose output is the architecture's idea: what their forward does with their parts' outputs.
# Class names, so torchvision's ImageNet definitions are recognised as well as ours.
BLOCK_ROLES = {
    "Inception": "concat",  # four paths side by side (GoogLeNet)
    "DenseBlock": "concat", "_DenseBlock": "concat",  # every layer's output appended (DenseNet)
    "Residual": "add", "BasicBlock": "add", "Bottleneck": "add",  # F(x) + x (ResNet)
    "InvertedResidual": "add",  # MobileNet v2 (when the shapes allow the skip)
    "DepthwiseSeparable": "separable",  # MobileNet v1: depthwise then pointwise
}
_CONTAINERS = (nn.Sequential, nn.ModuleList, nn.ModuleDict)
# What "most red" means in a picture of maps (see playground.viz.feature_maps): each channel's own largest
# |value|, the layer's, or the whole network's (which takes the peaks of every layer: a pass of its own).
SCALES = ("channel", "layer", "network")


@dataclass(frozen=True)
class Layer:
    """One row of the layer table: a module's output on this picture."""

    index: int  # call order in the forward pass
    name: str  # dotted module name; "name #2" when the module ran a second time
    kind: str  # the module's class, e.g. "Conv2d"
    role: str  # conv | depthwise | pointwise | pool | norm | act | linear | concat | add | separable | block | other
    shape: tuple[int, ...]  # output shape without the batch dimension; () when the output is not a tensor
    params: int  # parameters of this module, its parts included
    macs: int  # multiply-adds of this module (its parts' sum for a block); 0 for layers without products
    depth: int  # nesting depth below the network's stages, for indentation
    parts: tuple[int, ...] = ()  # channels of each concatenated part (concat blocks), when they can be told
    comment: str = ""  # the shape comment written next to this layer in the model's source, if any
    peak: float = 0.0  # the largest |value| of the whole output (all channels, even those not kept)

    @property
    def is_map(self) -> bool:
        """A (C, H, W) output: something to draw as channel pictures."""
        return len(self.shape) == 3

    @property
    def sums_its_parts(self) -> bool:
        """A block whose parameters and multiply-adds are its parts' (listed on their own rows): counted once."""
        return self.role in CONTAINER_ROLES


CONTAINER_ROLES = ("concat", "add", "separable", "block")


@dataclass
class Capture:
    """What one forward pass left behind: the layers in call order and their cloned outputs."""

    layers: list[Layer] = field(default_factory=list)
    outputs: list[Tensor | None] = field(default_factory=list)  # outputs[i] belongs to layers[i]: (c, H, W) / (F,)


def _role(module: nn.Module) -> str:
    name = type(module).__name__
    if name in BLOCK_ROLES:
        if BLOCK_ROLES[name] == "add" and getattr(module, "use_res_connect", True) is False:
            return "block"  # a MobileNet v2 block that changes the shape has no skip
        return BLOCK_ROLES[name]
    if isinstance(module, nn.Conv2d):
        if module.groups > 1 and module.groups == module.in_channels:
            return "depthwise"
        return "pointwise" if module.kernel_size == (1, 1) else "conv"
    if isinstance(module, (nn.MaxPool2d, nn.AvgPool2d, nn.AdaptiveAvgPool2d, nn.AdaptiveMaxPool2d)):
        return "pool"
    if isinstance(module, (nn.BatchNorm2d, nn.BatchNorm1d, nn.LocalResponseNorm, nn.LayerNorm)):
        return "norm"
    if isinstance(module, (nn.ReLU, nn.ReLU6, nn.Sigmoid, nn.Tanh, nn.GELU, nn.LeakyReLU, nn.Hardswish, nn.SiLU)):
        return "act"
    if isinstance(module, nn.Linear):
        return "linear"
    return "block" if any(True for _ in module.children()) else "other"


def _macs(module: nn.Module, output: Tensor) -> int:
    """Multiply-adds for batch 1: each output value of a convolution or linear layer is a sum of products."""
    if isinstance(module, nn.Conv2d):
        kh, kw = module.kernel_size
        return output[0].numel() * (module.in_channels // module.groups) * kh * kw
    if isinstance(module, nn.Linear):
        return output[0].numel() * module.in_features
    return 0


def watched_modules(model: nn.Module) -> list[tuple[str, nn.Module]]:
    """Every layer and block, in definition order; plain containers are left out (their output is their last
    part's, already listed)."""
    return [(name, module) for name, module in model.named_modules()
            if name and type(module) not in _CONTAINERS]


@contextmanager
def capturing(model: nn.Module, *, only: Collection[str] | None = None,
              channels: int | None = None) -> Iterator[Capture]:
    """Hook every watched module of ``model`` (or those named in ``only``) for the forward passes run by this
    thread inside the block; the hooks are removed on exit, whatever happens.

    ``channels`` keeps only the first channels of each map (the overview draws 16): copying whole outputs is
    what makes capturing slow, while the layer's largest value, its shape and the table need no copy.
    """
    capture = Capture()
    owner = threading.get_ident()
    calls: dict[str, int] = {}
    depth_of = {name: name.count(".") for name, _ in watched_modules(model)}
    handles = []
    peaks: list[Tensor] = []  # each layer's max |value|, read in one transfer at the end (no GPU sync per layer)

    def hook_for(name: str):
        def hook(module: nn.Module, inputs: tuple, output: object) -> None:
            if threading.get_ident() != owner:  # another learner's forward pass on the shared model
                return
            calls[name] = calls.get(name, 0) + 1
            label = name if calls[name] == 1 else f"{name} #{calls[name]}"
            is_tensor = isinstance(output, Tensor)
            # clone: later in-place operations (torchvision's ReLU(inplace=True)) must not change what we keep
            kept = output.detach()[0] if is_tensor and output.dim() >= 2 else None
            shape = tuple(kept.shape) if kept is not None else ()
            peaks.append(kept.abs().max().float() if kept is not None and kept.numel() else
                         torch.zeros((), device=output.device if is_tensor else "cpu"))
            if kept is not None:
                kept = (kept[:channels] if channels is not None and kept.dim() == 3 else kept).clone()
            capture.layers.append(Layer(
                index=len(capture.layers), name=label, kind=type(module).__name__, role=_role(module),
                shape=shape, params=sum(p.numel() for p in module.parameters()),
                macs=_macs(module, output) if is_tensor else 0, depth=max(0, depth_of.get(name, 1) - 1),
                parts=_inception_parts(module)))
            capture.outputs.append(kept)
        return hook

    # with ``only``, any named module may be watched, a plain container too (ResNet's stage ``layer3``)
    watched = watched_modules(model) if only is None else \
        [(name, module) for name, module in model.named_modules() if name and name in only]
    try:
        for name, module in watched:
            handles.append(module.register_forward_hook(hook_for(name)))
        yield capture
    finally:
        for handle in handles:
            handle.remove()
    if peaks:
        values = torch.stack([peak.to(peaks[0].device) for peak in peaks]).cpu().tolist()
        capture.layers[:] = [replace(layer, peak=value) for layer, value in zip(capture.layers, values)]
    _sum_block_macs(capture)


def _inception_parts(module: nn.Module) -> tuple[int, ...]:
    """The channels each path of an Inception block adds to the concatenation (ours: p1..p4; torchvision:
    branch1..4); each path ends in a convolution."""
    if "Inception" not in type(module).__name__:
        return ()
    paths = [getattr(module, n) for n in ("p1", "p2", "p3", "p4", "branch1", "branch2", "branch3", "branch4")
             if hasattr(module, n)]
    return tuple([m for m in path.modules() if isinstance(m, nn.Conv2d)][-1].out_channels for path in paths)


def _sum_block_macs(capture: Capture) -> None:
    """A block's multiply-adds are its parts'; parts run before the block, so sum the earlier rows inside it."""
    for i, layer in enumerate(capture.layers):
        if layer.role in ("concat", "add", "separable", "block") and layer.macs == 0:
            base = layer.name.split(" #")[0] + "."
            total = sum(inner.macs for inner in capture.layers[:i] if inner.name.startswith(base)
                        and inner.role not in ("concat", "add", "separable", "block"))
            capture.layers[i] = replace(layer, macs=total)


# --- the shape comments written next to each layer in playground/models ----------------------------------

_ASSIGNMENT = re.compile(r"^\s*(?:self\.)?(\w+)\s*=(?!=)(.*)$")
_SHAPE_COMMENT = re.compile(r"#\s*(.*(?:input|output)\(.*)$")


@cache
def _class_assignments(cls: type) -> tuple[tuple[str, str], ...]:
    """``(attribute, comment)`` for each assignment line of the class's source, in order; the comment is the
    shape comment (``# input(3, 32, 32) output(16, 28, 28)``) or ''."""
    try:
        source = inspect.getsource(cls)
    except (OSError, TypeError):
        return ()
    out = []
    for line in source.splitlines():
        if match := _ASSIGNMENT.match(line):
            comment = _SHAPE_COMMENT.search(match.group(2))
            out.append((match.group(1), comment.group(1).strip() if comment else ""))
    return tuple(out)


def source_comments(model: nn.Module) -> dict[str, str]:
    """The shape comments written beside the layers in ``playground/models``, keyed by dotted module name.

    A line ``conv1=nn.Conv2d(3, 16, 5),  # input(3, 32, 32) output(16, 28, 28)`` in a class's ``__init__``
    defines a module of that class, directly or inside a Sequential built there. The k-th line assigning an
    attribute is paired with the k-th such module of that name (both are in definition order); attributes
    whose lines and modules do not pair one to one (made in a loop) are left without a comment.
    """
    comments: dict[str, str] = {}
    modules = dict(model.named_modules())
    for owner_name, owner in modules.items():
        prefix = f"{owner_name}." if owner_name else ""
        lines = _class_assignments(type(owner))
        if not lines:
            continue
        defined_here: dict[str, list[str]] = {}
        for name in modules:
            if not name.startswith(prefix) or name == owner_name:
                continue
            path = name[len(prefix):].split(".")
            # defined by this class: every module between owner and it is a plain container
            between = [modules[prefix + ".".join(path[:i])] for i in range(1, len(path))]
            if all(type(m) in _CONTAINERS for m in between):
                defined_here.setdefault(path[-1], []).append(name)
        for attribute in {a for a, _ in lines}:
            said = [comment for a, comment in lines if a == attribute]
            names = defined_here.get(attribute, [])
            if len(said) == len(names):
                comments.update({n: c for n, c in zip(names, said) if c})
    return comments


# --- the view: one forward pass, the table, the predictions -------------------------------------------------


@dataclass(frozen=True)
class Prediction:
    label: str
    index: int
    probability: float


@dataclass(frozen=True)
class FeatureMaps:
    """The whole network on one picture."""

    network: Network
    layers: tuple[Layer, ...]
    outputs: tuple[Tensor | None, ...]  # on the CPU, float32: (c, H, W) maps (the first ``channels``), (F,) vectors
    logits: Tensor  # (K,)
    total_params: int
    total_macs: int

    def layer(self, name: str) -> int:
        """The index of the layer called ``name`` (as listed in the table)."""
        for layer in self.layers:
            if layer.name == name:
                return layer.index
        raise InputError("feat.err.layer", name=str(name)[:60])


def feature_maps(network: Network, x: Tensor, *, channels: int | None = GRID_CHANNELS) -> FeatureMaps:
    """Run ``network`` once on ``x`` (1, 3, S, S): every layer's first ``channels`` channels (None: all),
    the layer table and the logits."""
    model = network.model
    with network.lock, torch.no_grad(), capturing(model, channels=channels) as capture:
        logits = model(x.to(device_of(model)))
    comments = source_comments(model)
    layers = tuple(replace(layer, comment=comments.get(layer.name, "")) for layer in capture.layers)
    outputs = tuple(None if out is None else out.float().cpu() for out in capture.outputs)
    total_macs = sum(layer.macs for layer in layers if not layer.sums_its_parts)
    return FeatureMaps(network, layers, outputs, logits[0].float().cpu(),
                       sum(p.numel() for p in model.parameters()), total_macs)


def layer_output(network: Network, x: Tensor, name: str) -> tuple[Layer, Tensor]:
    """One layer's output, from a forward pass that hooks only that module (for the enlarged view); any named
    module, including a stage the table lists through its parts (e.g. ResNet's ``features.layer3``)."""
    base, _, call = name.partition(" #")
    modules = dict(network.model.named_modules())
    if not base or base not in modules:
        raise InputError("feat.err.layer", name=str(name)[:60])
    with network.lock, torch.no_grad(), capturing(network.model, only={base}) as capture:
        network.model(x.to(device_of(network.model)))
    wanted = int(call) if call else 1
    if len(capture.layers) < wanted or capture.outputs[wanted - 1] is None:
        raise InputError("feat.err.layer", name=str(name)[:60])
    return capture.layers[wanted - 1], capture.outputs[wanted - 1].float().cpu()


def top_k(logits: Tensor, classes: Sequence[str], *, k: int = 5, temperature: float = 1.0) -> list[Prediction]:
    """The ``k`` most probable classes under softmax(logits / temperature) (primer §1's temperature)."""
    check_temperature(temperature)
    k = max(1, min(int(k), MAX_TOP_K, len(classes)))
    probabilities = torch.softmax(logits.double() / temperature, dim=0)  # softmax subtracts the max: stable
    values, indices = probabilities.topk(k)
    return [Prediction(classes[i], int(i), float(p)) for p, i in zip(values.tolist(), indices.tolist())]


def check_temperature(temperature: object) -> float:
    """The softmax temperature of the predictions, within the server's limits."""
    if not (isinstance(temperature, (int, float)) and math.isfinite(temperature)
            and MIN_TEMPERATURE <= temperature <= MAX_TEMPERATURE):
        raise InputError("feat.err.temperature", low=MIN_TEMPERATURE, high=MAX_TEMPERATURE)
    return float(temperature)


def check_scale(scale: str) -> str:
    if scale not in SCALES:
        raise InputError("feat.err.scale", scale=str(scale)[:20], choices=", ".join(SCALES))
    return scale
