"""The feature-map tab through gradio_client against a launched server: every hostile picture gets a message
or a sensible result, the layer view shows PyTorch's values, attribution and the comparison answer."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import pytest
import torch
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError
from PIL import Image

from playground.lessons.feature_maps import feature_maps, layer_output
from playground.lessons.images import open_image, prepare
from playground.lessons.networks import resolve
from playground.viz import feature_maps as feature_viz

EXAMPLES = Path(__file__).resolve().parents[2] / "assets" / "examples"
DIGIT = handle_file(str(EXAMPLES / "digit-7.png"))


def _array(value) -> np.ndarray:
    if isinstance(value, dict):
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        return array.reshape([int(n) for n in str(value.get("shape", len(array))).split(",")])
    return np.asarray(value)


def _view(client, picture, network="lenet", fit="pad", scale="layer", temperature=1.0):
    return client.predict(network, "bundled", picture, fit, scale, temperature, api_name="/feature_maps")


def test_the_view_lists_every_layer_and_predicts_the_digit(client):
    seen, steps, predictions, summary, gallery, layer, first, enlarged, table, target, cam_layer = _view(client, DIGIT)
    assert predictions["label"] == "7"
    assert "12 layers" in summary and "121,182 parameters" in summary
    assert len(gallery) == 6  # LeNet: conv, relu, pool twice
    # each gallery picture is the layer's tile (JPEG-compressed), its caption the layer's
    network = resolve("lenet", "bundled")
    x = prepare(open_image(EXAMPLES / "digit-7.png").image, size=32, mean=network.input.mean,
                std=network.input.std).tensor
    expected = feature_viz.layer_gallery(feature_maps(network, x))
    for item, (tile, caption) in zip(gallery, expected, strict=True):
        with Image.open(item["image"]["path"]) as shown:
            assert shown.format == "JPEG" and shown.size == tile.shape[1::-1]
            assert np.abs(np.asarray(shown.convert("RGB"), dtype=float) - tile).mean() < 4
        assert item["caption"] == caption
    assert [row[1] for row in table["data"]][:3] == ["features.conv1", "features.relu1", "features.pool1"]
    assert table["data"][0][-1] == "input(3, 32, 32) output(16, 28, 28)"
    assert "resized to 32×32" in steps


def test_the_enlarged_layer_shows_pytorchs_values(client):
    figure, slider = client.predict("lenet", "bundled", DIGIT, "pad", "features.conv2", 0, "layer",
                                    api_name="/feature_layer")
    data = json.loads(figure["plot"])["data"][0]
    custom = _array(data["customdata"])
    network = resolve("lenet", "bundled")
    loaded = open_image(EXAMPLES / "digit-7.png")
    x = prepare(loaded.image, size=32, mean=network.input.mean, std=network.input.std).tensor
    _, expected = layer_output(network, x, "features.conv2")
    cells = ~np.isnan(custom[..., 3])
    index = custom[..., :3][cells].astype(int)
    np.testing.assert_allclose(custom[..., 3][cells], expected.numpy()[index[:, 0], index[:, 1], index[:, 2]],
                               rtol=1e-5, atol=1e-6)


def test_a_big_layer_is_paged_by_the_first_channel(client):
    figure, slider = client.predict("densenet", "bundled", DIGIT, "pad", "features.dense1", 40, "channel",
                                    api_name="/feature_layer")
    channels = _array(json.loads(figure["plot"])["data"][0]["customdata"])[..., 0]
    assert np.nanmin(channels) == 40


@pytest.mark.parametrize("args, message", [
    (("lenet", "bundled", None, "pad", "layer", 1.0), "Choose a picture first"),
    (("lenet", "trained", DIGIT, "pad", "layer", 1.0), "Training-loop tab"),
    (("lenet", "imagenet", DIGIT, "pad", "layer", 1.0), "no ImageNet"),
    (("lenet", "bundled", DIGIT, "pad", "layer", 0.0), "The temperature must be between 0.01 and 100.0"),
])
def test_bad_choices_are_readable_errors(app_url, args, message):
    from gradio_client import Client

    fresh = Client(app_url, verbose=False, download_files=False)  # a learner who has trained nothing
    with pytest.raises(AppError) as info:
        fresh.predict(*args, api_name="/feature_maps")
    assert message in str(info.value) and "Traceback" not in str(info.value)


def test_an_unknown_layer_is_named(client):
    with pytest.raises(AppError) as info:
        client.predict("lenet", "bundled", DIGIT, "pad", "features.conv9", 0, "layer", api_name="/feature_layer")
    assert "features.conv9" in str(info.value)


def test_the_drawing_becomes_the_picture(client, tmp_path):
    path = client.predict({"background": None, "layers": [], "composite": DIGIT}, api_name="/use_drawing")
    assert path["path"].endswith("drawing.png")
    white = tmp_path / "white.png"
    Image.new("RGB", (64, 64), "white").save(white)
    with pytest.raises(AppError) as info:
        client.predict({"background": None, "layers": [], "composite": handle_file(str(white))},
                       api_name="/use_drawing")
    assert "Draw a digit" in str(info.value)


@pytest.mark.parametrize("method", ["saliency", "integrated_gradients", "grad_cam", "occlusion"])
def test_every_attribution_method_answers(client, method):
    overlay, notes = client.predict("lenet", "bundled", DIGIT, "pad", method, -1, "features.conv2", 8,
                                    "absolute", 0.5, 99.0, api_name="/attribution")
    assert overlay["path"].endswith(".png") and "class **7**" in notes


def test_attribution_bad_layer_and_class_are_readable(client):
    with pytest.raises(AppError) as info:
        client.predict("lenet", "bundled", DIGIT, "pad", "grad_cam", 42, "", 8, "absolute", 0.5, 99.0,
                       api_name="/attribution")
    assert "Traceback" not in str(info.value) and "42" in str(info.value)


def test_the_sanity_check_compares_two_maps(client):
    gallery, notes = client.predict("lenet", "bundled", DIGIT, "pad", "saliency", -1, "", 8, "absolute", 0.5, 99.0,
                                    api_name="/sanity_check")
    assert len(gallery) == 2 and "ρ =" in notes


def test_compare_runs_all_eight_networks(client, app_url):
    html, table = client.predict("bundled", DIGIT, "pad", 1.0, api_name="/compare_networks")
    rows = table["data"]
    assert [row[0] for row in rows] == ["LeNet", "AlexNet", "VGG", "GoogLeNet", "ResNet", "MobileNet v1",
                                        "MobileNet v2", "DenseNet"]
    assert all(row[1] == "7" for row in rows)  # every bundled network reads this held-out digit
    params = {row[0]: row[3] for row in rows}
    assert params["LeNet"] == 121_182
    assert html.count("<img") == 8 * 4  # seen, first maps, last maps, Grad-CAM
    from gradio_client import Client

    fresh = Client(app_url, verbose=False, download_files=False)  # a learner who has trained nothing
    with pytest.raises(AppError) as info:
        fresh.predict("trained", DIGIT, "pad", 1.0, api_name="/compare_networks")
    assert "not trained a network" in str(info.value)


def test_compare_is_deterministic_about_what_it_measures():
    # the comparison's multiply-adds are the layer table's: checked against torch's flop counter elsewhere
    from playground.lessons.compare import network_row

    network = resolve("lenet", "bundled")
    row = network_row(network, open_image(EXAMPLES / "digit-7.png").image, with_cam=False, repeats=1)
    assert row.macs == 2_327_720 and row.latency_ms > 0 and row.prediction.label == "7"
    assert torch.is_tensor(row.first[1]) and row.last[0].name == network.cam_layer


def test_the_comparison_shows_the_latencys_spread_and_says_when_the_order_cannot_be_trusted():
    from dataclasses import replace

    from playground.lessons.compare import busy_while_timing, network_row
    from playground.viz.compare import comparison_html

    network = resolve("lenet", "bundled")
    row = network_row(network, open_image(EXAMPLES / "digit-7.png").image, with_cam=False)
    low, high = row.latency_spread_ms
    assert 0 < low <= row.latency_ms <= high
    steady = replace(row, latency_ms=2.0, latency_spread_ms=(1.9, 2.2))
    busy = replace(row, latency_ms=2.0, latency_spread_ms=(1.5, 3.5))  # the middle half wider than half the median
    assert not busy_while_timing([steady, steady]) and busy_while_timing([steady, busy])
    assert "1.90–2.20" in comparison_html([steady]) and "middle half" in comparison_html([steady])
    assert "cannot be ranked by speed" in comparison_html([steady, busy], lang="en")


def test_imagenet_weights_from_a_planted_checkpoint(client, plant):
    """torchvision's ResNet-18 as if downloaded (random weights planted in a private torch.hub cache): the
    ImageNet preprocessing, 1,000 categories and the published size; the comparison runs what is on disk."""
    _, weights = plant("resnet")
    cat = handle_file(str(EXAMPLES / "cat.jpg"))
    seen, steps, predictions, summary, gallery, *_ = client.predict("resnet", "imagenet", cat, "crop", "layer", 1.0,
                                                                    api_name="/feature_maps")
    assert "shorter side resized to 256" in steps and "centre square cropped: 224×224" in steps
    assert "11,689,512 parameters" in summary  # torchvision's published count for ResNet-18
    assert predictions["label"] in weights.meta["categories"]
    html, table = client.predict("imagenet", cat, "crop", 1.0, api_name="/compare_networks")
    status = {row[0].split(" · ")[0]: row[1] for row in table["data"]}
    assert status["LeNet"] == "no ImageNet version in torchvision"
    assert status["VGG"].startswith("not downloaded yet")
    assert status["ResNet"] in weights.meta["categories"]


def test_the_network_this_learner_trained_is_one_of_the_choices(app_url):
    from gradio_client import Client

    learner = Client(app_url, verbose=False, download_files=False)
    learner.predict("lenet", "adam", 0.002, 64, 1, 0, api_name="/train")  # kept in this learner's session
    steps = learner.predict("lenet", "trained", DIGIT, "pad", "layer", 1.0, api_name="/feature_maps")[1]
    assert steps.startswith("**LeNet · ") and "%" in steps.split("**")[1]  # "LeNet · 93.1%": its accuracy
    other = Client(app_url, verbose=False, download_files=False)
    with pytest.raises(AppError):  # ...and only in that session
        other.predict("lenet", "trained", DIGIT, "pad", "layer", 1.0, api_name="/feature_maps")


def test_an_upload_and_the_files_written_for_a_learner_leave_with_their_session(app_url, tmp_path):
    """Over HTTP: the picture a learner uploads (Gradio's upload route knows no session) and the drawing file the
    app writes for them are theirs; when their page's session ends, both are deleted, the app's examples not."""
    from playground.ui.common.files import _cache_keeper, release_session_files

    learner = Client(app_url, verbose=False, download_files=False)
    picture = tmp_path / "my-seven.png"
    Image.open(EXAMPLES / "digit-7.png").convert("L").resize((60, 60)).save(picture)  # bytes of no example
    drawn = learner.predict({"background": None, "layers": [], "composite": handle_file(str(picture))},
                            api_name="/use_drawing")
    _view(learner, DIGIT)  # an example: Gradio's copy is protected
    keeper = _cache_keeper()
    held = set(keeper._held[learner.session_hash])
    upload = next(path for path in held if path.name == "my-seven.png")
    assert Path(drawn["path"]) in held and upload.exists() and Path(drawn["path"]).exists()
    (example,) = [path for path in held if path.name == "digit-7.png"]
    assert str(example) in keeper.protected()  # the same bytes as the example Gradio copied at start: one file
    assert release_session_files(learner.session_hash) > 0
    assert not upload.exists() and not Path(drawn["path"]).exists()
    assert example.exists()
    assert keeper.held_bytes(learner.session_hash) == 0
