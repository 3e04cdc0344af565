"""Primer §2–§9, "what did the network look at?": four attribution methods (captum) and a sanity check.

* **saliency** (Simonyan et al. 2014): the gradient of the class score with respect to each input pixel.
* **integrated gradients** (Sundararajan et al. 2017): the gradient averaged along the straight path from a
  baseline (the mean colour) to the picture, times the difference; the pixels' shares add up to the score
  difference between the picture and the baseline ("completeness"), and captum reports how far off that is.
* **Grad-CAM** (Selvaraju et al. 2017): a convolutional stage's feature maps weighted by the mean gradient of
  the class score on each, summed, ReLU'd — coarse (the stage's resolution), upsampled to the picture.
* **occlusion** (Zeiler & Fergus 2014): cover a patch with the mean colour and see how much the score drops.

The networks are shared by every learner on the server, so nothing here changes them: the mode stays, hooks
(captum's, for Grad-CAM) live only while ``network.lock`` is held, gradients are taken with
``torch.autograd.grad`` (captum's path) so no parameter's ``.grad`` is ever written, and the input is a clone.

``sanity_check`` is Adebayo et al. 2018, "Sanity Checks for Saliency Maps": the same method on a copy of the
network with re-drawn weights. A map that barely changes shows the picture's edges, not what the network
learned.

captum is imported inside the functions, so importing the lessons (and starting the app) stays light. One topic
(what the network looked at, and whether the map can be trusted), hence longer than most modules.

    >>> network = resolve("lenet", "bundled")
    >>> result = attribute(network, prepared.tensor, "grad_cam")
    >>> result.heat.shape, result.target_name, result.coarse.shape
    ((32, 32), '7', (10, 10))
"""

from __future__ import annotations

import copy
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor, nn

from playground.errors import InputError
from playground.i18n import Text
from playground.inputs import as_number
from playground.lessons.images import Note
from playground.lessons.networks import Network
from playground.limits import (
    MAX_CLIP_PERCENTILE,
    MAX_IG_BATCH,
    MAX_IG_STEPS,
    MAX_OCCLUSION_WINDOWS,
    MIN_CLIP_PERCENTILE,
    MIN_IG_STEPS,
)
from playground.runtime import device_of

METHODS = ("saliency", "integrated_gradients", "grad_cam", "occlusion")
# Literal keys (not built from the method name), so the i18n test finds each one used.
METHOD_KEYS = {"saliency": "attr.method.saliency", "integrated_gradients": "attr.method.integrated_gradients",
               "grad_cam": "attr.method.grad_cam", "occlusion": "attr.method.occlusion"}
METHOD_INFO_KEYS = {"saliency": "attr.method.saliency.info",
                    "integrated_gradients": "attr.method.integrated_gradients.info",
                    "grad_cam": "attr.method.grad_cam.info", "occlusion": "attr.method.occlusion.info"}
PROGRESS_KEYS = {"saliency": "attr.progress.saliency", "integrated_gradients": "attr.progress.integrated_gradients",
                 "grad_cam": "attr.progress.grad_cam", "occlusion": "attr.progress.occlusion"}

# Which part of a map is drawn, as captum's visualize_image_attr ``sign``: raising the score, lowering it, either
# (the magnitude), or both in two colours.
SIGNS = ("positive", "negative", "absolute", "all")

# IG's convergence delta above this share of the attributions' sum: the integral is too rough, say so.
IG_DELTA_WARNING = 0.05
# |Spearman ρ| of the sanity check above this: the map hardly depends on the weights (Adebayo et al.'s warning).
SANITY_SIMILAR = 0.5

# progress(fraction in [0, 1], description): the description is an i18n key without parameters (the lesson does
# not know the learner's language), e.g. "attr.progress.occlusion"; the UI translates it for gr.Progress.
Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class Attribution:
    """One explanation of one class score, at the network's input resolution."""

    method: str
    target: int  # the class index explained
    target_name: str
    probability: float  # softmax of the target for this input
    heat: np.ndarray  # (S, S) float32, signed: > 0 raises the class score (pixel methods: summed over colours)
    coarse: np.ndarray | None  # Grad-CAM: the (h, w) map at the layer's resolution, before upsampling
    layer: str | None  # Grad-CAM: the dotted module name used
    convergence_delta: float | None  # IG: Σ attributions − (f(x) − f(baseline)) for the target; ≈ 0 is good
    notes: tuple[Note, ...]
    seconds: float


@dataclass(frozen=True)
class SanityCheck:
    """The same method on the trained network and on a copy with re-drawn weights (Adebayo et al. 2018)."""

    original: Attribution
    randomised: Attribution
    rank_correlation: float  # Spearman ρ of |heat| between the two maps; nan when either map is constant
    notes: tuple[Note, ...]

    @property
    def verdict(self) -> Note:
        """What the learner should conclude: similar maps mean the method ignores what the network learned."""
        if not math.isfinite(self.rank_correlation):
            return Note("attr.sanity.undefined")
        rho = f"{self.rank_correlation:.2f}"
        key = "attr.sanity.similar" if abs(self.rank_correlation) > SANITY_SIMILAR else "attr.sanity.different"
        return Note(key, {"rho": rho, "method": Text(METHOD_KEYS[self.original.method])})


# --- checking the learner's choices ------------------------------------------------------------------


def _whole(value: object, low: int, high: int, name: str, error: str) -> int:
    """A whole number in [low, high]; out of range raises ``error`` (an attr.err key with low/high/value)."""
    number = as_number(value, name)
    if number != int(number):
        raise InputError("common.err.not_whole", name=Text(name), value=number)
    if not low <= number <= high:
        raise InputError(error, low=low, high=high, value=int(number))
    return int(number)


@dataclass(frozen=True)
class Shading:
    """How a map is drawn over the picture: its ``sign`` (see SIGNS), the opacity, and the percentile of its
    magnitudes that gets the strongest colour. Made before any attribution runs, so a bad choice costs nothing."""

    sign: str = "absolute"
    opacity: float = 0.5
    clip_percentile: float = 99.0

    def __post_init__(self) -> None:
        check_shading(self.sign, self.clip_percentile, self.opacity)


def check_shading(sign: str, clip_percentile: float, opacity: float = 0.0) -> None:
    if sign not in SIGNS:
        raise InputError("attr.err.sign", sign=str(sign)[:20], choices=", ".join(SIGNS))
    if not MIN_CLIP_PERCENTILE <= clip_percentile <= MAX_CLIP_PERCENTILE:  # NaN fails too
        raise InputError("attr.err.clip", low=MIN_CLIP_PERCENTILE, high=MAX_CLIP_PERCENTILE, value=clip_percentile)
    if not 0.0 <= opacity <= 1.0:
        raise InputError("attr.err.opacity", low=0, high=1, value=opacity)


def _check_method(method: str) -> str:
    if method not in METHODS:
        raise InputError("attr.err.method", method=str(method)[:30],
                         choices=", ".join(METHODS))
    return method


def _check_input(x: Tensor) -> None:
    if not isinstance(x, Tensor) or x.dim() != 4 or x.shape[0] != 1:
        shape = "×".join(map(str, x.shape)) if isinstance(x, Tensor) else type(x).__name__
        raise InputError("attr.err.input", shape=shape)


def layer_choices(model: nn.Module) -> list[str]:
    """Dotted names of the modules whose output is a feature map Grad-CAM can weigh: every convolution and every
    first- or second-level block that contains one (e.g. ``layer4``, ``features.conv2``), in network order."""
    names = []
    for name, module in model.named_modules():
        if not name:
            continue
        if isinstance(module, nn.Conv2d) or (name.count(".") <= 1 and any(
                isinstance(m, nn.Conv2d) for m in module.modules())):
            names.append(name)
    return names


def _resolve_layer(network: Network, layer: str | None) -> tuple[str, nn.Module]:
    name = network.cam_layer if layer is None or not str(layer).strip() else str(layer).strip()
    try:
        return name, network.model.get_submodule(name)
    except AttributeError:
        choices = layer_choices(network.model)
        # the default first, then the last stages (the useful ones for Grad-CAM); the error stays one line
        shown = list(dict.fromkeys([network.cam_layer, *choices[-4:]]))
        raise InputError("attr.err.layer", layer=name[:60], choices=", ".join(shown)) from None


def _occlusion_geometry(size: int, window: object, stride: object) -> tuple[int, int, int]:
    """(window, stride, positions per side); defaults S/8 and S/16 give 15×15 = 225 positions at any size
    divisible by 16 (32-pixel digits, 224-pixel ImageNet) — a few seconds for ResNet-18 at 224 on 2 cores."""
    window = max(1, size // 8) if window is None else _whole(window, 1, size, "attr.window", "attr.err.window")
    stride = max(1, size // 16) if stride is None else _whole(stride, 1, size, "attr.stride", "attr.err.stride")
    per_side = (size - window) // stride + 1
    if per_side * per_side > MAX_OCCLUSION_WINDOWS:
        # the smallest stride that fits, so the message says exactly what to type
        need = next(s for s in range(stride, size + 1) if ((size - window) // s + 1) ** 2 <= MAX_OCCLUSION_WINDOWS)
        raise InputError("attr.err.occlusion_windows", count=per_side * per_side, limit=MAX_OCCLUSION_WINDOWS,
                         stride=need)
    return window, stride, per_side


# --- running captum ----------------------------------------------------------------------------------


def _counting(model: nn.Module, total: int, progress: Progress | None, key: str) -> Callable[[Tensor], Tensor]:
    """The model as a plain function that reports each forward pass as progress (captum calls it once per
    internal batch), so progress comes without re-implementing captum's loops or hooking the shared model."""
    calls = 0

    def forward(inputs: Tensor) -> Tensor:
        nonlocal calls
        output = model(inputs)
        calls += 1
        if progress is not None:
            progress(min(calls / max(total, 1), 0.99), key)
        return output

    return forward


def _flat(heat: Tensor) -> bool:
    return bool((heat.max() - heat.min()).abs() == 0)


def check_steps(n_steps: object) -> int:
    """Integrated gradients' number of steps, a whole number in [MIN_IG_STEPS, MAX_IG_STEPS]."""
    return _whole(n_steps, MIN_IG_STEPS, MAX_IG_STEPS, "attr.steps", "attr.err.steps")


def attribute(network: Network, x: Tensor, method: str, *, target: object = None, n_steps: object = 32,
              internal_batch_size: object = 16, layer: str | None = None, window: object = None,
              stride: object = None, progress: Progress | None = None) -> Attribution:
    """Explain ``network``'s score for class ``target`` (default: the predicted class) on ``x`` (1, 3, S, S),
    normalised, with one of ``METHODS``.

    Baselines (IG, occlusion) are 0 in normalised space, i.e. the dataset's mean colour: "nothing" for the
    network, where black would be a strong, unusual colour. ``n_steps`` and ``internal_batch_size`` are IG's,
    ``layer`` Grad-CAM's (default ``network.cam_layer``), ``window`` and ``stride`` occlusion's (default S/8
    and S/16 pixels).
    """
    _check_method(method)
    _check_input(x)
    classes = len(network.classes)
    if target is not None:
        target = _whole(target, 0, classes - 1, "attr.target", "attr.err.target")
    if method == "integrated_gradients":
        steps = check_steps(n_steps)
        batch = _whole(internal_batch_size, 1, MAX_IG_BATCH, "attr.batch", "attr.err.batch")
    size = x.shape[-1]
    if method == "occlusion":
        window, stride, per_side = _occlusion_geometry(size, window, stride)
        if x.shape[-2] != size:
            raise InputError("attr.err.input", shape="×".join(map(str, x.shape)))
    layer_name, layer_module = _resolve_layer(network, layer) if method == "grad_cam" else (None, None)

    key = PROGRESS_KEYS[method]
    if progress is not None:
        progress(0.0, key)
    model = network.model
    with network.lock:  # no one else's hooks run in our passes, and ours (Grad-CAM) in no one else's
        start = time.perf_counter()
        inputs = x.detach().to(device_of(model), torch.float32).clone()  # (1, C, H, W); the caller's x untouched
        with torch.no_grad():
            probabilities = torch.softmax(model(inputs).float(), dim=1)[0]  # (classes,)
        if target is None:
            target = int(probabilities.argmax())
        notes: list[Note] = []
        delta = coarse = None
        inputs.requires_grad_(True)  # on the clone only
        with torch.enable_grad():
            if method == "saliency":
                from captum.attr import Saliency

                # signed gradient (abs=False), so positive and negative evidence can be told apart
                grads = Saliency(_counting(model, 1, progress, key)).attribute(inputs, target=target, abs=False)
                heat = grads[0].sum(0)  # (H, W)
            elif method == "integrated_gradients":
                from captum.attr import IntegratedGradients

                batch = min(batch, steps)
                forwards = math.ceil(steps / batch) + 2  # the path's batches, then f(x) and f(baseline) for Δ
                ig = IntegratedGradients(_counting(model, forwards, progress, key))
                attributions, deltas = ig.attribute(inputs, baselines=0.0, target=target, n_steps=steps,
                                                    internal_batch_size=batch, return_convergence_delta=True)
                heat = attributions[0].detach().sum(0)  # (H, W)
                delta = float(deltas.reshape(-1)[0])
                total = float(attributions.detach().sum())
                if abs(delta) > IG_DELTA_WARNING * max(abs(total), 1e-2):
                    notes.append(Note("attr.note.ig_delta", {"delta": f"{delta:.3g}", "steps": steps,
                                                             "max": MAX_IG_STEPS}))
            elif method == "grad_cam":
                from captum.attr import LayerGradCam

                try:
                    cam = LayerGradCam(_counting(model, 1, progress, key), layer_module).attribute(
                        inputs, target=target, relu_attributions=True)  # (1, 1, h, w)
                except AssertionError as error:  # captum's way of saying the layer never ran (its hook is gone)
                    if "did not obtain any outputs" not in str(error):
                        raise
                    raise InputError("attr.err.layer_unused", layer=layer_name) from None
                if cam.dim() != 4:
                    raise InputError("attr.err.layer_not_spatial", layer=layer_name,
                                     shape="×".join(map(str, cam.shape)))
                coarse = cam[0, 0].detach().float().cpu().numpy()  # (h, w)
                heat = F.interpolate(cam.detach().float(), size=tuple(x.shape[-2:]), mode="bilinear",
                                     align_corners=False)[0, 0]  # (H, W)
                if not coarse.any():
                    notes.append(Note("attr.note.cam_zero", {"layer": layer_name}))
            else:
                from captum.attr import Occlusion

                positions = per_side * per_side
                per_eval = min(positions, 16)  # occluded copies per forward pass
                forwards = math.ceil(positions / per_eval) + 1  # plus the unoccluded pass
                channels = inputs.shape[1]
                attributions = Occlusion(_counting(model, forwards, progress, key)).attribute(
                    inputs.detach(), sliding_window_shapes=(channels, window, window),
                    strides=(channels, stride, stride), baselines=0.0, target=target,
                    perturbations_per_eval=per_eval)
                # the colours are covered together, so each channel holds the same value: take one, not their sum
                heat = attributions[0].mean(0)  # (H, W)
                if (per_side - 1) * stride + window < size:
                    notes.append(Note("attr.note.occlusion_edges",
                                      {"pixels": size - (per_side - 1) * stride - window}))
        heat = heat.detach().float()
        if not bool(torch.isfinite(heat).all()):
            notes.append(Note("attr.note.non_finite"))
            heat = torch.nan_to_num(heat, nan=0.0, posinf=0.0, neginf=0.0)
        name = network.classes[target]
        if _flat(heat) and not any(n.key == "attr.note.cam_zero" for n in notes):
            notes.append(Note("attr.note.flat", {"method": Text(METHOD_KEYS[method]), "name": name}))
        seconds = time.perf_counter() - start
    if progress is not None:
        progress(1.0, key)
    return Attribution(method, int(target), name, float(probabilities[target]), heat.cpu().numpy(), coarse,
                       layer_name, delta, tuple(notes), seconds)


# --- the sanity check ----------------------------------------------------------------------------------


def randomised_copy(model: nn.Module, seed: int) -> nn.Module:
    """A deep copy of ``model`` with every parameter re-drawn, in eval mode; ``model`` itself is untouched.

    Each module's own ``reset_parameters`` draws its weights (so every layer keeps a sensible scale); a
    parameter that comes out equal to the original — BatchNorm's γ = 1 and β = 0 on an untrained network, or a
    parameter with no reset of its own — gets Gaussian noise at its own spread (0.1 when constant). The draws
    use a forked RNG seeded with ``seed``: the same seed gives the same copy, and the global RNG that training
    and other learners use is left exactly where it was. Callers holding a shared model hold its lock, so the
    copy carries no one's hooks; any it would carry are removed anyway.
    """
    device = device_of(model)
    forked = [device.index or 0] if device.type == "cuda" else []
    with torch.random.fork_rng(devices=forked), torch.no_grad():
        torch.manual_seed(int(seed))
        clone = copy.deepcopy(model)
        for module in clone.modules():
            for hooks in (module._forward_hooks, module._forward_pre_hooks, module._backward_hooks):
                hooks.clear()
            reset = getattr(module, "reset_parameters", None)
            if callable(reset):
                reset()
        for (_, new), (_, old) in zip(clone.named_parameters(), model.named_parameters(), strict=True):
            if torch.equal(new, old):
                spread = float(old.float().std()) if old.numel() > 1 else 0.0
                new.add_(torch.randn_like(new) * (spread if spread > 0 else 0.1))
    return clone.eval()


def _ranks(values: np.ndarray) -> np.ndarray:
    """Ranks 0..n−1 (argsort of the argsort), ties sharing their mean rank, as Spearman's ρ needs — a
    ReLU'd map has thousands of tied zeros, and breaking them by position would invent a correlation."""
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    _, first, counts = np.unique(ordered, return_index=True, return_counts=True)  # groups of equal values
    ranks = np.empty(len(values), dtype=np.float64)
    ranks[order] = np.repeat(first + (counts - 1) / 2, counts)
    return ranks


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    """Spearman's rank correlation of two maps of the same shape; nan when either is constant (no ranking)."""
    ra, rb = _ranks(np.asarray(a, dtype=np.float64).ravel()), _ranks(np.asarray(b, dtype=np.float64).ravel())
    ra, rb = ra - ra.mean(), rb - rb.mean()
    scale = math.sqrt(float(ra @ ra) * float(rb @ rb))
    return float(ra @ rb) / scale if scale > 0 else math.nan


def sanity_check(network: Network, x: Tensor, method: str, *, target: object = None, seed: int = 0,
                 **kwargs: object) -> SanityCheck:
    """Adebayo et al. 2018: explain the same class with the same method on a copy of the network whose weights
    are re-drawn, and rank-correlate the two maps' magnitudes. A faithful method's map changes completely."""
    original = attribute(network, x, method, target=target, **kwargs)
    with network.lock:
        model = randomised_copy(network.model, seed)
    random = Network(network.name, network.weights, network.label, model, network.classes, network.input,
                     network.cam_layer, False)
    randomised = attribute(random, x, method, target=original.target, **kwargs)
    rho = spearman(np.abs(original.heat), np.abs(randomised.heat))
    notes = () if math.isfinite(rho) else (Note("attr.note.correlation_undefined"),)
    return SanityCheck(original, randomised, rho, notes)
