"""The recurrent-networks tab through gradio_client: the heatmap shows the model's own states, hostile text
gets a message or a note, sampling is reproducible."""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest
import torch
from gradio_client.exceptions import AppError

from playground.data.text import corpus_vocab
from playground.lessons import recurrent as lesson
from playground.lessons.networks import resolve

TEXT = 'The "print(x)" call writes x.'


def _z(figure) -> np.ndarray:
    z = json.loads(figure["plot"])["data"][0]["z"]
    if isinstance(z, dict):
        array = np.frombuffer(base64.b64decode(z["bdata"]), dtype=z["dtype"])
        return array.reshape([int(n) for n in str(z["shape"]).split(",")])
    return np.asarray(z)


def test_the_heatmap_is_the_models_own_memory_cell(client):
    summary, coloured, heatmap, gradient, saturation, units, state = client.predict(
        "lstm", TEXT, 1, "c", 5, 1.0, api_name="/rnn_trace")
    expected = lesson.trace(resolve("lstm", "bundled").model, TEXT).layers[0].gates["c"]  # (T, H)
    np.testing.assert_allclose(_z(heatmap), expected.T.numpy(), rtol=1e-5, atol=1e-6)
    assert coloured.count("<span") == len(TEXT) and "unit 5 of layer 1" in coloured
    assert "bits per character" in summary and "forget gate" in saturation
    traces = json.loads(gradient["plot"])["data"]
    assert len(traces) == 6  # three models × two layers, on one figure
    assert "inside quotes" in units


@pytest.mark.parametrize("text, message", [
    ("", "Type or paste some text first"),
    ("x" * 100_000, "limit is 2000"),
    ("你好世界", "is in the model's vocabulary"),
])
def test_bad_text_gets_a_readable_message(client, text, message):
    with pytest.raises(AppError) as info:
        client.predict("gru", text, 2, "h", -1, 1.0, api_name="/rnn_trace")
    assert message in str(info.value) and "Traceback" not in str(info.value)
    assert client.predict("rnn", TEXT, 1, "h", 0, 1.0, api_name="/rnn_trace")[0]  # the server still answers


@pytest.mark.parametrize("text", ["emoji 🙂 and 中文 inside", "control\x07 and NUL\x00 characters", "tab\there"])
def test_unusual_characters_are_read_as_unknown_with_a_note(client, text):
    summary = client.predict("lstm", text, 2, "h", -1, 1.0, api_name="/rnn_trace")[0]
    unknown = [c for c in text if c not in corpus_vocab().chars[1:]]
    assert unknown and "unknown token" in summary


def test_a_state_of_another_model_falls_back_to_the_hidden_state(client):
    *_, state = client.predict("rnn", TEXT, 2, "f", 0, 1.0, api_name="/rnn_trace")  # an RNN has no forget gate
    assert state["value"] == "h" and [value for _, value in state["choices"]] == ["h"]


def test_sampling_is_reproducible_and_continues_the_prompt(client):
    first = client.predict("lstm", "The ", 60, 0.7, 11, api_name="/rnn_sample")
    again = client.predict("lstm", "The ", 60, 0.7, 11, api_name="/rnn_sample")
    other = client.predict("lstm", "The ", 60, 0.7, 12, api_name="/rnn_sample")
    assert first == again and first != other and first.startswith("The ") and len(first) == 64
    with pytest.raises(AppError):
        client.predict("lstm", "The ", 60, 0.0, 11, api_name="/rnn_sample")  # below the temperature limit
    assert torch.is_tensor(lesson.trace(resolve("rnn", "bundled").model, first).top_probs)


@pytest.mark.parametrize("layer", [1, 2])
def test_the_best_unit_is_taken_from_the_chosen_layer(client, layer):
    summary, coloured, heatmap, *_ = client.predict("lstm", TEXT, layer, "h", -1, 1.0, api_name="/rnn_trace")
    assert f"of layer {layer} after reading" in coloured
    assert f"of layer {layer}, LSTM" in json.dumps(json.loads(heatmap["plot"])["layout"], ensure_ascii=False)
