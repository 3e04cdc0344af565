"""The recurrent tab's pictures show the trace's own numbers."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from playground.data.text import corpus_vocab
from playground.errors import InputError
from playground.lessons import recurrent as lesson
from playground.models import CharLM
from playground.viz import recurrent as viz

TEXT = 'x = f("a", (b))\n'


@pytest.fixture(scope="module")
def model():
    torch.manual_seed(0)
    return CharLM("lstm", len(corpus_vocab()), embed=8, hidden=16, layers=2).eval()


def test_heatmap_is_units_by_time_of_the_chosen_state(model):
    trace = lesson.trace(model, TEXT)
    figure = viz.heatmap_figure(trace, 2, "f")
    z = np.asarray(figure.data[0].z)
    np.testing.assert_allclose(z, trace.layers[1].gates["f"].T.numpy(), rtol=1e-6)
    assert figure.data[0].zmin == 0 and figure.data[0].zmax == 1  # a sigmoid gate's range
    memory = viz.heatmap_figure(trace, 1, "c").data[0]
    assert memory.zmin == -memory.zmax  # the memory cell is unbounded: symmetric around 0


def test_coloured_text_has_one_span_per_character_with_the_guesses(model):
    trace = lesson.trace(model, TEXT, k=3)
    page = viz.coloured_text_html(trace, 1, "h", 3)
    assert page.count("<span") == len(TEXT)
    first = trace.top_chars[0][0]
    assert f"next: {viz._shown(first)}" in page or "next: &" in page
    assert "⏎<br>" in page  # the newline is shown
    with pytest.raises(InputError):
        viz.coloured_text_html(trace, 1, "h", 16)  # 16 units: 0..15
    with pytest.raises(InputError):
        viz.heatmap_figure(trace, 3, "h")


def test_gradient_figure_and_tables(model):
    flows = {"lstm": lesson.gradient_flow(model, TEXT)}
    figure = viz.gradient_figure(flows)
    assert len(figure.data) == 2 and figure.layout.yaxis.type == "log"
    np.testing.assert_allclose(np.asarray(figure.data[1].y, dtype=float),
                               np.where(flows["lstm"].norms[1].numpy() > 0, flows["lstm"].norms[1].numpy(), np.nan))
    trace = lesson.trace(model, TEXT)
    table = viz.saturation_markdown(lesson.gate_saturation(trace))
    assert table.count("\n") == 2 + 2 * 3 - 1  # header, rule, 2 layers × 3 sigmoid gates
    found = lesson.unit_finder(trace)
    assert "inside quotes" in viz.units_markdown(found)
    layer, unit = lesson.best_unit(found)
    assert 1 <= layer <= 2 and 0 <= unit < 16
