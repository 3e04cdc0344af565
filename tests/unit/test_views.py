"""The tabs' views (lessons/*_views.py and the views in the lesson modules): each checks the learner's cheap
choices before any network runs, and hands viz everything its page shows."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from playground import zoo
from playground.errors import InputError
from playground.lessons import attention_views, feature_views, recurrent_views, segmentation
from playground.lessons.images import Note
from playground.viz import attention as attention_viz
from playground.viz import recurrent as recurrent_viz
from playground.viz.images import steps_markdown

EXAMPLES = Path(__file__).resolve().parents[2] / "assets" / "examples"
DIGIT = str(EXAMPLES / "digit-7.png")


def _never(*args, **kwargs):
    raise AssertionError("a network ran before a cheap choice was checked")


def _key(call, *args, **kwargs) -> str:
    with pytest.raises(InputError) as info:
        call(*args, **kwargs)
    return info.value.key


def test_a_bad_drawing_choice_is_refused_before_any_attribution(monkeypatch):
    monkeypatch.setattr(feature_views, "resolve", _never)
    monkeypatch.setattr(feature_views.attribution, "attribute", _never)
    common = {"fit": "pad", "device": "cpu"}
    assert _key(feature_views.sanity, "lenet", "bundled", DIGIT, "saliency", sign="sideways", **common) == \
        "attr.err.sign"
    assert _key(feature_views.explain, "lenet", "bundled", DIGIT, "saliency", clip_percentile=10, **common) == \
        "attr.err.clip"
    assert _key(feature_views.explain, "lenet", "bundled", DIGIT, "saliency", opacity=math.nan, **common) == \
        "attr.err.opacity"


def test_the_colour_scale_and_temperature_are_checked_before_the_network_loads(monkeypatch):
    monkeypatch.setattr(feature_views, "resolve", _never)
    assert _key(feature_views.maps_view, "lenet", "bundled", DIGIT, fit="pad", scale="huge") == "feat.err.scale"
    assert _key(feature_views.maps_view, "lenet", "bundled", DIGIT, fit="pad", temperature=0.0) == \
        "feat.err.temperature"
    assert _key(feature_views.layer_view, "lenet", "bundled", DIGIT, "features.conv1", fit="pad",
                first_channel=-1) == "common.err.out_of_range"
    assert _key(feature_views.compare, DIGIT, temperature=math.inf) == "feat.err.temperature"


def test_vit_controls_are_checked_before_the_network_loads(monkeypatch):
    monkeypatch.setattr(attention_views, "resolve", _never)
    view = attention_views.vit_view
    assert _key(view, "bundled", None, layer=1, head=0) == "img.err.no_image"
    assert _key(view, "bundled", DIGIT, layer=0, head=0) == "common.err.out_of_range"
    assert _key(view, "bundled", DIGIT, layer=1, head=attention_views.MAX_VIT_LAYERS + 1) == "common.err.out_of_range"
    assert _key(view, "bundled", DIGIT, layer=1, head=0, opacity=2.0) == "attr.err.opacity"


def test_the_vit_view_clamps_to_its_network_and_checks_the_rollout():
    layers, heads = zoo.ATTENTION_LAYOUT["vit", zoo.BUNDLED]
    view = attention_views.vit_view("bundled", DIGIT, layer=12, head=12, view="cls", device="cpu")
    assert (view.layer, view.head) == (layers - 1, heads - 1)
    assert view.grid_map.shape == (view.reading.grid, view.reading.grid) and view.rollout_error < 1e-5
    assert view.cls_row_error < 1e-5 and 0 <= view.cls_self <= 1
    assert float(view.grid_map.sum()) + view.cls_self == pytest.approx(1, abs=1e-5)  # patches + CLS itself
    page = attention_viz.vit_page(view)
    assert len(page) == 5 and "CLS's attention in layer" in page[3] and "Rollout" not in page[3]
    rollout = attention_views.vit_view("bundled", DIGIT, layer=12, head=0, view="rollout", device="cpu")
    assert "Rollout through" in attention_viz.vit_page(rollout)[3]


def test_the_date_view_holds_every_map_of_the_chosen_layer_and_head():
    view = attention_views.date_view("Thursday, 26 November 2026", layer=2, head="average", step=11, device="cpu")
    steps, source = len(view.reading.output_tokens), len(view.reading.source_tokens)
    assert (view.layer, view.head, view.step) == (1, None, steps - 1)
    assert view.maps["cross"].shape == (steps, source) and view.lit.shape == (source,)
    assert view.mechanism.kind == "cross" and view.mechanism.max_difference < 1e-5
    assert len(attention_viz.date_page(view)) == 8


def test_the_recurrent_view_checks_layer_and_unit_before_reading(monkeypatch):
    monkeypatch.setattr(recurrent_views, "trace", _never)
    assert _key(recurrent_views.read, "lstm", "abc", layer=3, device="cpu") == "common.err.out_of_range"
    assert _key(recurrent_views.read, "lstm", "abc", layer=1, unit=10_000, device="cpu") == "common.err.out_of_range"


def test_the_recurrent_view_picks_a_unit_and_follows_every_model():
    view = recurrent_views.read("gru", 'x = f("a")', layer=1, state="c", unit=-1, device="cpu")
    assert view.state == "h"  # a GRU has no memory cell: its hidden state is shown
    assert 0 <= view.unit < 128 and list(view.flows) == zoo.list_models("language")
    assert math.isfinite(view.bits) and "held_out_bits_per_char" in view.metrics
    summary, *_, choices = recurrent_viz.trace_page(view)
    assert summary.startswith("**GRU (gated recurrent unit)** read 10 characters")
    assert [state for _, state in choices] == ["h", "r", "z", "n"]


def test_the_segmentation_view_checks_the_opacity_first(monkeypatch):
    monkeypatch.setattr(segmentation, "resolve", _never)
    assert _key(segmentation.segment_view, "bundled", DIGIT, opacity=1.5) == "seg.err.opacity"
    assert _key(segmentation.segment_view, "bundled", "", opacity=0.5) == "img.err.no_image"


def test_the_steps_markdown_names_the_network_then_lists_the_notes():
    text = steps_markdown("LeNet", "feat.steps", [Note("img.step.original", {"size": "32×32"})],
                          [Note("img.note.grey")], lang="en")
    head, note = text.split("\n")
    assert head.startswith("**LeNet** · ") and "32×32" in head
    assert note.startswith("- ") and len(text.split("\n")) == 2
