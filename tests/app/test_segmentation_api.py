"""The segmentation tab through gradio_client: scenes get their digits' classes, hostile pictures get a
message or a result, torchvision's FCN from a planted checkpoint."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gradio_client import handle_file
from gradio_client.exceptions import AppError

EXAMPLES = Path(__file__).resolve().parents[2] / "assets" / "examples"
SCENE = handle_file(str(EXAMPLES / "scene-1.png"))
ALL = ["background", *map(str, range(10))]


def _segment(client, picture, weights="bundled", shown=ALL, score_class="1"):
    return client.predict(weights, picture, 0.6, shown, score_class, api_name="/segment")


def test_a_bundled_scene_gets_its_digits(client):
    # scene-1 is held-out scene 4: the digits 1, 2, 3 and 9 (see playground/data/build_examples.py)
    overlay, steps, legend, scores, kernel, note, score_class, shown = _segment(client, SCENE)
    for digit in ("1", "2", "3"):
        assert f"> {digit} · " in legend or f"</span>{digit} · " in legend
    assert "background" in legend and "resized to 64×64" in steps
    figure = json.loads(scores["plot"])
    assert [trace["type"] for trace in figure["data"]] == ["heatmap", "heatmap"]
    assert "before upsampling: 4×4" in json.dumps(figure["layout"], ensure_ascii=False)
    assert "kernel 8×8, stride 4" in note and json.loads(kernel["plot"])["data"][0]["type"] == "heatmap"


def test_the_other_networks_class_names_still_ticked_paint_every_class(client):
    """Switching networks changes the class toggles' choices; a view that starts while the page still sends the
    other network's names gets every class painted, not Gradio's "not in the list of choices" (issue 16)."""
    overlay, steps, legend, *_ = _segment(client, SCENE, shown=["aeroplane", "cat"], score_class="cat")
    painted = _segment(client, SCENE)[2]
    assert legend == painted  # the same classes as with every class ticked
    assert "> 1 · " in legend or "</span>1 · " in legend


def test_no_picture_and_no_classes(client):
    with pytest.raises(AppError) as info:
        _segment(client, None)
    assert "Choose a picture first" in str(info.value)
    overlay, *_ = _segment(client, SCENE, shown=[])  # every class hidden: the picture itself
    assert overlay["path"].endswith(".png")


@pytest.mark.slow  # torchvision's FCN ResNet-50 at 520 pixels on the CPU
def test_torchvision_fcn_from_a_planted_checkpoint(client, plant):
    _, weights = plant("fcn", aux_loss=True, num_classes=21, weights_backbone=None)
    cat = handle_file(str(EXAMPLES / "cat.jpg"))
    overlay, steps, legend, scores, kernel, note, score_class, shown = _segment(client, cat, weights="imagenet",
                                                                                shown=ALL, score_class="cat")
    assert "FCN · COCO (fcn_resnet50)" in steps and "520" in steps.split("resized to")[1]  # shorter side 520
    assert "F.interpolate" in note and kernel is None
    figure = json.loads(scores["plot"])
    assert "Score of class 'cat'" in json.dumps(figure["layout"], ensure_ascii=False)
    import re

    found = re.findall(r"</span>([^<]+?) · [0-9.]+%", legend)  # random planted weights: any classes, VOC's names
    assert found and set(found) <= {"background", *weights.meta["categories"][1:]}
