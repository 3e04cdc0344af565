"""Semantic segmentation with an FCN on the learner's picture (primer §11): one class per pixel.

``segment(network, image)`` resizes the picture as the network expects (never cropped or squashed: the
aspect ratio is kept), runs the network once, keeps the coarse score map from before the upsampling, and maps
the per-pixel classes back onto the learner's own picture, so the overlay lines up with what they uploaded.
``playground.train.metrics.mean_iou`` is the metric the manifest records (Pascal VOC's: the confusion matrix
summed over all pixels, IoU per class, void pixels ignored).

    >>> from playground.lessons.networks import resolve
    >>> network = resolve("fcn", "bundled")
    >>> result = segment(network, open_image("assets/examples/digit-7.png").image)
    >>> result.shares[:2]

``segment_view`` is what the Segmentation tab shows: the network loaded, the learner's choices checked, the
picture segmented, and the class whose scores and kernel are drawn.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torch import Tensor

from playground import zoo
from playground.errors import InputError
from playground.lessons.feature_maps import capturing
from playground.lessons.images import LoadedImage, Note, open_image
from playground.lessons.networks import Network, resolve
from playground.limits import MAX_SEGMENT_SIDE, MIN_SEGMENT_SIDE
from playground.runtime import device_of, resolve_device

# Where each network's coarse class scores come out, before they are upsampled to the input's size.
COARSE_LAYER = {"fcn": "score.layer4", "fcn_resnet50": "classifier"}


@dataclass(frozen=True)
class Segmentation:
    """One picture, segmented."""

    network: Network
    picture: Image.Image  # the learner's picture, as read (upright RGB)
    seen: Image.Image  # what the network saw: the picture resized, aspect ratio kept
    steps: tuple[Note, ...]
    scores: Tensor  # (C, h, w) per-pixel class scores at the network's input size
    coarse: Tensor  # (C, h', w') the score map before upsampling (stride 16 or 8)
    labels: np.ndarray  # (h, w) int64: the class of each pixel the network saw
    labels_on_picture: np.ndarray  # (H, W) int64: the same classes on the learner's picture (nearest neighbour)
    shares: tuple[tuple[int, float], ...]  # (class, share of the picture's pixels), most pixels first

    @property
    def classes(self) -> tuple[str, ...]:
        return self.network.classes


def input_side(network: Network, image: Image.Image) -> tuple[int, int]:
    """The (width, height) the network gets: the bundled FCN's longer side at its scene size (64: digits drawn
    large become scene-sized digits), torchvision's shorter side at its preset's 520; the ratio kept."""
    width, height = image.size
    if network.weights == "imagenet":
        scale = (network.input.resize or network.input.size) / min(width, height)
    else:
        scale = network.input.size / max(width, height)
    new = (max(MIN_SEGMENT_SIDE, round(width * scale)), max(MIN_SEGMENT_SIDE, round(height * scale)))
    if max(new) > MAX_SEGMENT_SIDE:  # a very long panorama: cap the longer side
        factor = MAX_SEGMENT_SIDE / max(new)
        new = (max(MIN_SEGMENT_SIDE, round(new[0] * factor)), max(MIN_SEGMENT_SIDE, round(new[1] * factor)))
    return new


def segment(network: Network, image: Image.Image) -> Segmentation:
    """Every pixel's class, on the network's input and mapped back onto ``image``."""
    size = input_side(network, image)
    seen = image.resize(size, Image.BILINEAR) if size != image.size else image
    steps = [Note("img.step.original", {"size": "×".join(map(str, image.size))})]
    if size != image.size:
        steps.append(Note("seg.step.resize", {"size": "×".join(map(str, size))}))
    mean, std = torch.tensor(network.input.mean)[:, None, None], torch.tensor(network.input.std)[:, None, None]
    x = (torch.from_numpy(np.asarray(seen, dtype=np.float32) / 255).permute(2, 0, 1) - mean) / std
    steps.append(Note("img.step.normalise", {"mean": ", ".join(f"{m:g}" for m in network.input.mean),
                                             "std": ", ".join(f"{s:g}" for s in network.input.std)}))
    model = network.model
    coarse_name = COARSE_LAYER["fcn_resnet50" if network.weights == "imagenet" else "fcn"]
    with network.lock, torch.no_grad(), capturing(model, only={coarse_name}) as capture:
        out = model(x[None].to(device_of(model)))
    scores = (out["out"] if isinstance(out, dict) else out)[0].float().cpu()  # (C, h, w)
    labels = scores.argmax(0)
    # back onto the learner's pixels; "nearest-exact" samples at pixel centres ("nearest" shifts by half a cell)
    on_picture = F.interpolate(labels[None, None].float(), size=(image.height, image.width),
                               mode="nearest-exact")[0, 0]
    counts = np.bincount(on_picture.long().flatten().numpy(), minlength=len(network.classes))
    total = counts.sum()
    shares = tuple((int(c), float(counts[c] / total)) for c in np.argsort(-counts) if counts[c])
    return Segmentation(network, image, seen, tuple(steps), scores, capture.outputs[0].float().cpu(),
                        labels.numpy(), on_picture.long().numpy(), shares)


def segment_classes(weights: str) -> tuple[str, ...]:
    """The classes of the FCN with these weights, without loading it (torchvision's from its weights' metadata)."""
    return zoo.torchvision_categories("fcn") if weights == zoo.IMAGENET else zoo.get_entry("fcn").classes


def check_opacity(opacity: float) -> float:
    """How strongly the classes' colours cover the picture, from 0 (not at all) to 1."""
    if not 0 <= opacity <= 1:  # NaN fails too
        raise InputError("seg.err.opacity")
    return opacity


@dataclass(frozen=True)
class SegmentView:
    """One picture segmented as the Segmentation tab shows it."""

    result: Segmentation
    loaded: LoadedImage  # what reading the file did (its notes)
    opacity: float
    shown: tuple[int, ...] | None  # the classes painted over the picture; None: every class
    picked: str | None  # the class the learner picked for the scores, if it is one of this network's
    chosen: int  # the class whose scores (and kernel) are shown: the one picked, else the largest found
    kernel: Tensor | None  # (k, k) the final transposed convolution's kernel for that class; None: torchvision's
    upsampling: tuple[int, int, int] | None  # that convolution's (kernel size, stride, padding); None: interpolation


def segment_view(weights: str, image: str | bytes | None, *, opacity: float = 0.6, shown: object = None,
                 score_class: str | None = None, device: str | None = None, progress: bool = False) -> SegmentView:
    """The FCN with ``weights`` segments the picture. ``shown``: the names of the classes to paint (None, or
    names of another network's classes: every class); ``score_class``: the class whose scores are shown.
    ``progress``: torchvision's download progress for its weights."""
    if not image:
        raise InputError("img.err.no_image")
    opacity = check_opacity(opacity)
    network = resolve("fcn", weights, device=str(resolve_device(device)), progress=progress)
    loaded = open_image(image)
    result = segment(network, loaded.image)
    names = result.classes
    # None, or names of another network's classes (the weights just changed; both have "background"): every class
    foreign = any(name not in names for name in shown or ())
    painted = None if shown is None or foreign else tuple(names.index(name) for name in shown)
    # the class the learner picked; none picked: the largest class found in this picture (chosen anew each time)
    present = [names[index] for index, _ in result.shares if index > 0]
    picked = score_class if score_class in names else None
    chosen = names.index(picked or (present[0] if present else names[0]))
    if network.weights == zoo.IMAGENET:  # torchvision's FCN upsamples with F.interpolate: no kernel to show
        kernel, upsampling = None, None
    else:
        up = network.model.up_final
        kernel, upsampling = transposed_kernel(network, chosen), (up.kernel_size[0], up.stride[0], up.padding[0])
    return SegmentView(result, loaded, opacity, painted, picked, chosen, kernel, upsampling)


def transposed_kernel(network: Network, class_index: int = 1) -> Tensor:
    """The final transposed convolution's kernel from a class to itself (k, k): bilinear at the start of
    training; what training made of it."""
    if network.weights == "imagenet":
        raise InputError("seg.err.no_kernel")  # torchvision's FCN upsamples with F.interpolate, no kernel
    weight = network.model.up_final.weight.detach().cpu()  # (C, C, k, k)
    return weight[class_index, class_index]
