"""The MLP playground through gradio_client: N steps from a config, deterministic; config strings restore every
control; the learner's CSV file; bad files and bad strings get messages."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError

from playground.lessons.mlp_experiment import decode

# A learner's CSV file (also used by test_api.VALID_CALLS["/mlp_csv"]).
POINTS_CSV = str(Path(__file__).resolve().parents[2] / "assets" / "examples" / "points-moons.csv")

XOR = '{"dataset": "xor", "hidden": [6], "activations": ["tanh"], "optimizer": "adam", "seed": 4}'
SETTINGS = 24  # the setting controls /mlp_load and /mlp_csv return, then the points as a CSV file, then the pictures


def _figure(output) -> dict:
    assert output["type"] == "plotly"
    return json.loads(output["plot"])


def _array(value) -> np.ndarray:
    """A plotly JSON array: a plain list, or numpy's base64 form {"dtype", "bdata", "shape"}."""
    if isinstance(value, dict):
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        return array.reshape([int(n) for n in str(value.get("shape", len(array))).split(",")])
    return np.asarray(value)


def _loss_curves(figure) -> list[np.ndarray]:
    return [_array(trace["y"]) for trace in _figure(figure)["data"]]


def test_steps_from_a_config_are_the_same_on_every_call(client, app_url):
    first = client.predict(XOR, 60, api_name="/mlp_step")
    again = client.predict(XOR, 60, api_name="/mlp_step")  # the same session: replayed, not continued
    elsewhere = Client(app_url, verbose=False, download_files=False).predict(XOR, 60, api_name="/mlp_step")
    boundary, losses, neurons, status, config, link = first
    assert status.startswith("**Step 60**") and decode(config).step == 60 and f"?mlp={config}" in link
    for other in (again, elsewhere):
        assert other[3] == status and other[4] == config
        for a, b in zip(_loss_curves(losses), _loss_curves(other[1]), strict=True):
            np.testing.assert_array_equal(a, b)
    train_loss = _loss_curves(losses)[0]
    assert len(train_loss) == 61 and train_loss[-1] < train_loss[0]  # the network learns
    assert [t["type"] for t in _figure(boundary)["data"]][:2] == ["heatmap", "contour"]
    assert _figure(neurons)["data"][0]["type"] == "heatmap"


def test_stepping_on_from_a_returned_config_equals_one_longer_run(client):
    *_, config, _ = client.predict(XOR, 30, api_name="/mlp_step")
    continued = client.predict(config, 20, api_name="/mlp_step")
    whole = client.predict(XOR, 50, api_name="/mlp_step")
    assert continued[3] == whole[3] and continued[4] == whole[4]
    for a, b in zip(_loss_curves(continued[1]), _loss_curves(whole[1]), strict=True):
        np.testing.assert_array_equal(a, b)


def test_a_config_string_restores_every_control_and_replays_its_steps(client):
    *_, config, _ = client.predict('{"dataset": "spiral", "classes": 3, "hidden": [5, 3], "activations": '
                                   '["relu", "none"], "learning_rate": 0.1, "l2": 0.01, "optimizer": "momentum", '
                                   '"features": ["x", "y", "sin_x"], "noise": 0.3, "seed": 8}', 40,
                                   api_name="/mlp_step")
    outputs = client.predict(config, api_name="/mlp_load")
    controls, download = outputs[:SETTINGS], outputs[SETTINGS]
    boundary, losses, neurons, status, again, link = outputs[SETTINGS + 1:]
    dataset, points, noise, classes, ratio, seed, features, layers = controls[:8]
    assert (dataset, noise, classes["value"], seed, features, layers) == ("spiral", 0.3, 3, 8, ["x", "y", "sin_x"], 2)
    assert list(controls[8:10]) == [5, 3] and list(controls[14:16]) == ["relu", "none"]
    assert list(controls[20:]) == [0.1, 10, "momentum", 0.01]
    assert again == config and "replayed to step 40" in status and status.startswith("**Step 40**")
    assert len(_figure(neurons)["data"][0]["z"]) > 0
    assert download["value"]["orig_name"] == "spiral-seed8.csv"  # the points, to edit and upload again


def test_the_learners_csv_file_becomes_the_data(client):
    outputs = client.predict(handle_file(POINTS_CSV), XOR, api_name="/mlp_csv")
    controls, download = outputs[:SETTINGS], outputs[SETTINGS]
    boundary, losses, neurons, status, config, link = outputs[SETTINGS + 1:]
    assert controls[0] == "csv" and "200 points in 2 classes (0, 1)" in status
    experiment = decode(config)
    assert experiment.dataset == "csv" and len(experiment.csv_points) == 200 and experiment.hidden == (6,)
    points = [t for t in _figure(boundary)["data"] if t["type"] == "scatter"]
    assert sum(len(_array(t["x"])) for t in points) == 200
    assert Path(download["value"]["path"]).read_text() == Path(POINTS_CSV).read_text()  # the same points back
    stepped = client.predict(config, 5, api_name="/mlp_step")  # the shared string carries the points
    assert stepped[3].startswith("**Step 5**")


@pytest.mark.parametrize("api_name, args, message", [
    ("/mlp_load", ("https://example.org/?mlp=garbage",), "This is not an experiment string"),
    ("/mlp_load", ("",), "Paste an experiment string"),
    ("/mlp_load", ('{"hidden": [4], "activations": ["swish"]}',), "'swish' is not an activation"),
    ("/mlp_load", ('{"dataset": "xor", "colour": "red"}',), "setting 'colour'"),
    ("/mlp_step", (XOR, 2.5), "must be a whole number"),
    ("/mlp_step", (XOR, 0), "Steps per update must be between 1 and 1000 (got 0)"),
    ("/mlp_csv", (None, XOR), "Upload a CSV file"),
])
def test_bad_strings_and_values_get_messages(client, api_name, args, message):
    with pytest.raises(AppError) as info:
        client.predict(*args, api_name=api_name)
    assert message in str(info.value) and "Traceback" not in str(info.value)


def test_every_endpoint_returns_json_safe_figures(client):
    """Diverged runs have NaN probabilities: the figures must still be valid JSON for the browser."""
    diverging = ('{"dataset": "spiral", "features": ["x", "y", "x2", "y2", "xy", "sin_x", "sin_y"], "hidden": [8, 8], '
                 '"activations": ["none", "none"], "learning_rate": 10, "optimizer": "sgd"}')
    boundary, losses, neurons, status, *_ = client.predict(diverging, 50, api_name="/mlp_step")
    assert "diverged" in status and "**Step 4**" in status
    for figure in (boundary, losses, neurons):
        json.loads(figure["plot"], parse_constant=lambda name: pytest.fail(f"{name} in the figure JSON"))
