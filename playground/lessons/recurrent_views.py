"""The Recurrent tab's views (primer §12), one function each: the bundled model of the chosen kind, the cheap
controls checked first, then the lesson steps of ``playground.lessons.recurrent`` the view shows.

    >>> view = read("lstm", 'print("hello (world)")', layer=2, state="c")
    >>> view.trace.layers[1].gates["c"].shape, sorted(view.flows)
    (torch.Size([22, 128]), ['gru', 'lstm', 'rnn'])
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from playground import zoo
from playground.inputs import as_whole
from playground.lessons.networks import resolve
from playground.lessons.recurrent import (
    GradientFlow,
    Sample,
    Saturation,
    Trace,
    UnitFinder,
    best_unit,
    gate_saturation,
    gradient_flow,
    sample,
    states,
    trace,
    unit_finder,
)
from playground.runtime import resolve_device
from playground.train.metrics import bits_per_char


@dataclass(frozen=True)
class RecurrentView:
    """One model reading the learner's text, as the Recurrent tab shows it."""

    trace: Trace
    layer: int  # 1-based, as the learner counts
    state: str  # "h", or a gate of this model (see ``states``)
    unit: int  # the unit the text is coloured by
    found: UnitFinder  # the units that follow each property of the text best, over all layers
    saturation: tuple[Saturation, ...]
    bits: float  # bits per character on this text; NaN for a single character
    metrics: dict[str, float]  # what the manifest records: held-out and unigram bits per character
    flows: dict[str, GradientFlow]  # every model's gradient flow on the same text, in the zoo's order


def read(kind: str, text: str, *, layer: object, state: str = "h", unit: object = -1, temperature: float = 1.0,
         device: str | None = None) -> RecurrentView:
    """The bundled ``kind`` model reads ``text``: every layer's states and gates, the units and gates to look at,
    and the gradient flow of all three models. ``unit`` -1 (or None): the unit of ``layer`` that best follows a
    property of the text; a ``state`` this model does not have shows Hₜ."""
    device = str(resolve_device(device))
    model = resolve(kind, "bundled", device=device).model
    layer = as_whole(layer, 1, model.num_layers, "rnn.layer")
    unit = as_whole(unit if unit is not None else -1, -1, model.hidden_size - 1, "rnn.unit")
    result = trace(model, text, temperature=temperature)
    state = state if state in states(model.kind) else "h"
    if unit < 0:
        in_layer = unit_finder(replace(result, layers=(result.layers[layer - 1],)))
        unit = (best_unit(in_layer) or (1, 0))[1]
    bits = bits_per_char(model, text) if len(result.chars) > 1 else math.nan
    flows = {name: gradient_flow(resolve(name, "bundled", device=device).model, text)
             for name in zoo.list_models("language")}
    return RecurrentView(result, layer, state, unit, unit_finder(result), gate_saturation(result), bits,
                         zoo.bundled_record(kind)["metrics"], flows)


def sample_view(kind: str, prompt: str, *, length: object = 200, temperature: float = 1.0, seed: object = 0,
                device: str | None = None) -> Sample:
    """The bundled ``kind`` model continues ``prompt`` (see ``sample``)."""
    model = resolve(kind, "bundled", device=str(resolve_device(device))).model
    return sample(model, prompt, length=length, temperature=temperature, seed=seed)
