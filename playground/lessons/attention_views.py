"""The Attention tab's views (primer §13–§15), one function each: the network loaded, the learner's choices
checked (the cheap ones before any network runs), then the lesson steps of ``playground.lessons.attention`` one
view draws — the date Transformer's maps and one head's mechanism, the ViT's CLS maps and rollout.

    >>> view = date_view("Thursday, 26 November 2026", layer=2, head="average", step=1)
    >>> view.reading.output, view.maps["cross"].shape
    ('2026-11-26', torch.Size([11, 26]))
"""

from __future__ import annotations

from dataclasses import dataclass

from torch import Tensor

from playground import zoo
from playground.data import dates
from playground.errors import InputError
from playground.inputs import as_whole
from playground.lessons.attention import (
    KINDS,
    DateReading,
    Mechanism,
    VitReading,
    head_view,
    mechanism,
    read_date,
    read_picture,
    rollout,
)
from playground.lessons.attribution import check_shading
from playground.lessons.feature_maps import Prediction, top_k
from playground.lessons.images import LoadedImage, Prepared
from playground.lessons.networks import Network, network_input, resolve
from playground.runtime import device_of, resolve_device

AVERAGE = "average"  # the head control's value for the average of a layer's heads
VIT_WEIGHTS = (zoo.BUNDLED, zoo.IMAGENET)
VIT_VIEWS = ("cls", "rollout")  # CLS's attention in one layer, or the rollout through the layers up to it
MAX_VIT_LAYERS = max(zoo.ATTENTION_LAYOUT["vit", weights][0] for weights in VIT_WEIGHTS)  # also the most heads


# --- the date Transformer -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DateView:
    """What the Attention tab shows of one date: every kind of map for one layer and head, where one decoding
    step looked in the source, and that step's head recomputed from Q and K."""

    reading: DateReading
    layer: int  # 0-based
    head: int | None  # 0-based; None: the average of the layer's heads
    step: int  # 0-based decoding step, within the output
    maps: dict[str, Tensor]  # kind -> (rows, columns) map of that layer and head
    lit: Tensor  # (S,) the step's cross-attention over the source characters
    mechanism: Mechanism


def head_choice(head: object) -> int | None:
    """The head control's value: "average" (None) or "1", "2", … (1-based for the learner) as a 0-based index."""
    if head in (None, AVERAGE):
        return None
    return as_whole(head, 1, 64, "attn.head") - 1


def date_view(text: object, *, layer: object, head: object, step: object, mechanism_kind: str = "cross",
              device: str | None = None) -> DateView:
    """The bundled date Transformer reads ``text``; the maps of ``layer`` and ``head`` (1-based), and the
    mechanism of ``mechanism_kind`` at decoding step ``step`` (1-based; the last step when beyond the output)."""
    model = zoo.MODELS.get("transformer", zoo.BUNDLED, str(resolve_device(device)))
    reading = read_date(model, text)
    layer_index = as_whole(layer, 1, len(reading.encoder), "attn.layer") - 1
    head_index = head_choice(head)
    step_index = min(as_whole(step, 1, dates.TARGET_LENGTH + 1, "attn.step"), len(reading.output_tokens)) - 1
    maps = {kind: head_view(reading.maps(kind), layer_index, head_index) for kind in KINDS}
    mechanism_kind = mechanism_kind if mechanism_kind in KINDS else "cross"
    rows = reading.maps(mechanism_kind)[0].shape[1]  # the encoder has one row per source character, not per step
    mech = mechanism(model, reading, mechanism_kind, layer_index, head_index or 0, min(step_index, rows - 1))
    return DateView(reading, layer_index, head_index, step_index, maps, maps["cross"][step_index], mech)


# --- the Vision Transformer -----------------------------------------------------------------------------


@dataclass(frozen=True)
class VitView:
    """What the Attention tab shows of one picture: the ViT's reading, the chosen map over the patches, and
    the rollout's check."""

    network: Network
    loaded: LoadedImage  # what reading the file did (its notes)
    prepared: Prepared  # the network's input and the picture it sees
    reading: VitReading
    layer: int  # 0-based, within this network's layers
    head: int | None  # 0-based, within its heads; None: the average of the heads
    view: str  # one of VIT_VIEWS
    grid_map: Tensor  # (grid, grid): the chosen view's weights on the patches
    rollout_error: float  # max |row sum − 1| of the whole rollout: every row must stay a distribution
    cls_row_error: float  # |Σ − 1| of the shown layer's (and head's) CLS row: a softmax over CLS and every patch
    cls_self: float  # that row's weight on CLS itself: what the patch map leaves out
    predictions: list[Prediction]
    opacity: float  # how strongly the map covers the picture


def vit_view(weights: str, image: str | bytes | None, *, layer: object, head: object, view: str = "rollout",
             opacity: float = 0.6, device: str | None = None, progress: bool = False) -> VitView:
    """The ViT with ``weights`` reads the picture: CLS's attention in ``layer`` for ``head`` (1-based; 0 is the
    average), or the rollout through ``layer``. Numbers beyond this network's layers or heads show its last one
    (one control serves both networks). ``progress``: torchvision's download progress for ImageNet weights."""
    if not image:
        raise InputError("img.err.no_image")
    layer_number = as_whole(layer, 1, MAX_VIT_LAYERS, "attn.vit.layer_pick")
    head_number = as_whole(head, 0, MAX_VIT_LAYERS, "attn.vit.head_pick")
    check_shading("positive", 100.0, opacity)  # the map's drawing: its positive weights over their whole range
    network = resolve("vit", weights, device=str(resolve_device(device)), progress=progress)
    loaded, prepared = network_input(network, image, fit="crop" if network.weights == zoo.IMAGENET else "pad")
    with network.lock:  # torchvision's ViT: pre-hooks record each block's attention inputs
        reading = read_picture(network.model, prepared.tensor.to(device_of(network.model)))
    layers, heads = len(reading.attention), reading.attention[0].shape[0]
    layer_index = min(layer_number, layers) - 1
    head_number = min(head_number, heads)
    head_index = None if head_number == 0 else head_number - 1
    view = "rollout" if view == "rollout" else "cls"
    grid_map = reading.rollout_map(layer_index) if view == "rollout" else reading.cls_map(layer_index, head_index)
    rollout_error = float((rollout(reading.attention).sum(-1) - 1).abs().max())
    cls_row = head_view(reading.attention, layer_index, head_index)[0]  # (1 + patches,)
    predictions = top_k(reading.logits, network.classes, k=5)
    return VitView(network, loaded, prepared, reading, layer_index, head_index, view, grid_map, rollout_error,
                   float((cls_row.sum() - 1).abs()), float(cls_row[0]), predictions, opacity)
