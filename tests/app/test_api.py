"""Every endpoint answers through gradio_client against a launched server; bad input gets a message."""

from __future__ import annotations

import json

import pytest
from gradio_client.exceptions import AppError

# api_name -> valid arguments (the session State is hidden from the API). A new endpoint must be added
# here: test_every_endpoint_is_covered fails otherwise.
VALID_CALLS = {
    "/activation_curves": (["sigmoid", "gelu"], -4, 4, 0.1, 1.0, 1.0),
    "/neuron": (1.0, 0.5, -1.0, 0.8, -0.4, 0.3, 0.1, "tanh"),
    "/softmax": ("3, 1, -3", 1.0),
    "/linear_collapse": (4, 0, "relu"),
    "/losses": (-2.0, 3.0, 0.5, 0),
}

BAD_CALLS = [
    ("/softmax", ("3, banana", 1.0), "is not a number"),
    ("/softmax", ("", 1.0), "at least one number"),
    ("/softmax", ("1, nan", 1.0), "not a finite number"),
    ("/softmax", ("1 " * 3000, 1.0), "limit"),
    ("/activation_curves", ([], -4, 4, 0.1, 1.0, 1.0), "at least one activation"),
    ("/activation_curves", (["relu"], 4, -4, 0.1, 1.0, 1.0), "smaller to a larger"),
    ("/neuron", (1.0, 0.5, -1.0, 0.8, -0.4, 0.3, 0.1, "not-an-activation"), "not in the list of choices"),
]


def _figure(output) -> dict:
    assert output["type"] == "plotly"
    return json.loads(output["plot"])


def test_every_endpoint_is_covered(client):
    named = set(client.view_api(print_info=False, return_format="dict")["named_endpoints"])
    assert named == set(VALID_CALLS)


@pytest.mark.parametrize("api_name", sorted(VALID_CALLS))
def test_endpoint_answers(client, api_name):
    result = client.predict(*VALID_CALLS[api_name], api_name=api_name)
    outputs = result if isinstance(result, tuple) else (result,)
    assert _figure(outputs[0])["data"], "the figure has no traces"
    for text in outputs[1:]:
        assert isinstance(text, str) and text.strip()


def test_softmax_primer_example_through_the_api(client):
    figure, table = client.predict("3, 1, -3", 1.0, api_name="/softmax")
    softmax_bar = _figure(figure)["data"][0]
    assert softmax_bar["text"] == ["0.88", "0.12", "0.00"]
    assert "Matches PyTorch" in table


@pytest.mark.parametrize("api_name, args, message", BAD_CALLS)
def test_bad_input_is_a_readable_error_and_the_server_survives(client, api_name, args, message):
    with pytest.raises(AppError) as info:
        client.predict(*args, api_name=api_name)
    text = str(info.value)
    assert message in text
    assert "Traceback" not in text and 'File "' not in text
    # ...and the next request is served normally.
    assert client.predict("1, 2", 1.0, api_name="/softmax")
