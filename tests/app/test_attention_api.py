"""The attention tab through gradio_client: dates in many forms and scripts, hostile text, ViT on pictures,
torchvision's ViT-B/16 from a planted checkpoint."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gradio_client import handle_file
from gradio_client.exceptions import AppError

from playground.limits import MAX_DATE_CHARS
from tests.app.test_api import _array

EXAMPLES = Path(__file__).resolve().parents[2] / "assets" / "examples"


def _read(client, text, layer="2", head="average", step=1, kind="cross"):
    return client.predict(text, layer, head, step, kind, api_name="/attention")


def test_a_date_is_normalised_with_all_three_maps(client):
    result, output, encoder, decoder, cross, lit, mech, check = _read(client, "Nov 26th 2026", step=3)
    assert "**2026-11-26**" in result and "exists on the calendar" in result
    assert "attn-out-now" in output and "Step 3 writes <b>2</b>" in lit
    encoder, decoder, cross = (json.loads(figure["plot"]) for figure in (encoder, decoder, cross))
    assert [trace["type"] for trace in decoder["data"]] == ["heatmap", "heatmap"]  # weights + the mask layer
    assert _array(encoder["data"][0]["z"]).shape == (13, 13)  # "Nov 26th 2026": 13 characters
    assert _array(cross["data"][0]["z"]).shape == (11, 13)  # 10 characters + the end token, each over the 13
    assert "✅" in check and "head 1" in check  # the heads' average: the mechanism shows head 1
    bars = json.loads(mech["plot"])["data"]
    assert len(_array(bars[-1]["y"])) == len("Nov 26th 2026")


def test_the_decoder_mechanism_masks_the_future(client):
    *_, mech, check = _read(client, "26/11/2026", layer="1", head="3", step=4, kind="decoder")
    softmax = _array(json.loads(mech["plot"])["data"][-1]["y"]).tolist()
    assert len(softmax) == 11 and all(w == 0 for w in softmax[4:]) and abs(sum(softmax) - 1) < 1e-4
    assert "✅" in check and "head 3" in check


@pytest.mark.parametrize("text", ["😀😀 26 nov 2026 🎉", "二〇二六年十一月二十六日", "٢٦/١١/٢٠٢٦", "26 ноября 2026",
                                  "<script>alert(1)</script>", "\u202e2026\u202c", "x"])
def test_emoji_unseen_scripts_and_markup_get_an_answer(client, text):
    result, output, *_, lit, _, _ = _read(client, text)
    assert "Output:" in result
    assert "<script>" not in lit and "<script>" not in output


@pytest.mark.parametrize("text,message", [("", "Type a date first"), ("   ", "Type a date first"),
                                          ("9" * 10_000, f"the date Transformer reads at most {MAX_DATE_CHARS}")])
def test_empty_and_very_long_text_get_a_message(client, text, message):
    with pytest.raises(AppError, match=message):
        _read(client, text)


def test_bad_controls_get_a_message(client):
    with pytest.raises(AppError, match="Layer must be between 1 and 2"):
        _read(client, "26/11/2026", layer="7")
    with pytest.raises(AppError, match="Decoding step"):
        _read(client, "26/11/2026", step=2.5)


def test_the_bundled_vit_reads_a_digit(client):
    patches, overlay, predictions, summary, grid = client.predict(
        "bundled", handle_file(str(EXAMPLES / "digit-3.png")), 4, 0, "rollout", 0.7,
        api_name="/vit_attention")
    assert predictions.splitlines()[2].startswith("| 3 |")
    assert "8×8 patches of 4×4 pixels + [CLS] = 65 tokens" in summary and "every row sums to 1" in summary
    assert "Shown: rollout through the layers, layer 4, average." in summary
    figure = json.loads(grid["plot"])
    assert len(figure["data"]) == 4 * (4 + 2)  # 4 layers × (4 heads + average + rollout)
    assert patches["path"].endswith(".png") and overlay["path"].endswith(".png")


def test_vit_without_a_picture_gets_a_message(client):
    with pytest.raises(AppError, match="picture"):
        client.predict("bundled", None, 4, 0, "cls", 0.7, api_name="/vit_attention")


def test_torchvision_vit_from_a_planted_checkpoint(client, plant):
    # torchvision's blocks call attention with need_weights=False; the tab recomputes the weights with the same
    # modules (tests/unit/test_attention.py checks they reproduce the blocks' outputs)
    plant("vit")
    patches, overlay, predictions, summary, grid = client.predict(
        "imagenet", handle_file(str(EXAMPLES / "cat.jpg")), 12, 5, "cls", 0.7, api_name="/vit_attention")
    assert "ViT · ImageNet (vit_b_16)" in summary and "14×14 patches of 16×16 pixels + [CLS] = 197 tokens" in summary
    assert "CLS's attention in layer 12" in summary
    assert "Shown: CLS attention of one layer, layer 12, head 5." in summary
    figure = json.loads(grid["plot"])
    assert len(figure["data"]) == 12 * (12 + 2)
