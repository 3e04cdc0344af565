"""Every endpoint answers through gradio_client against a launched server; bad input gets a message."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import pytest
from gradio_client import handle_file
from gradio_client.exceptions import AppError

EXAMPLES = Path(__file__).resolve().parents[2] / "assets" / "examples"

# api_name -> valid arguments (the session State is hidden from the API). A new endpoint must be added
# here: test_every_endpoint_is_covered fails otherwise.
VALID_CALLS = {
    "/activation_curves": (["sigmoid", "gelu"], -4, 4, 0.1, 1.0, 1.0),
    "/neuron": (1.0, 0.5, -1.0, 0.8, -0.4, 0.3, 0.1, "tanh"),
    "/softmax": ("3, 1, -3", 1.0),
    "/linear_collapse": (4, 0, "relu"),
    "/losses": (-2.0, 3.0, 0.5, 0),
    # size, kernel, stride, padding, dilation, C_in, C_out, groups, bias, seed, typed x/w/b, channel shown
    "/conv": (5, 3, 1, 1, 1, 2, 2, 2, True, 0, "", "", "", 1),
    "/conv_preset": ("dilation",),
    # kind, size, channels, kernel, stride, padding, dilation, seed, typed x, channel shown
    "/pool": ("max", 6, 2, 2, 2, 1, 1, 0, "", 0),
    # size, kernel, stride, padding, output_padding, dilation, C_in, C_out, bias, seed, typed x/w, shown
    "/transposed": (3, 3, 2, 1, 1, 1, 1, 2, True, 0, "", "", 1),
    "/transposed_preset": ("padding_strides_odd",),
    "/separable_cost": (3, 4, 3, 5, False),
    # network, optimizer, lr, batch size, epochs, seed
    "/train": ("lenet", "adam", 0.002, 64, 1, 0),
    "/stop_training": (),
    # network, weights, picture, fit, colour scale, temperature
    "/feature_maps": ("lenet", "bundled", handle_file(str(EXAMPLES / "digit-7.png")), "pad", "layer", 1.0),
    # ... picture, fit, layer, first channel, colour scale
    "/feature_layer": ("googlenet", "bundled", handle_file(str(EXAMPLES / "digit-3.png")), "pad",
                       "features.inception3a", 0, "channel"),
    "/use_drawing": ({"background": None, "layers": [], "composite": handle_file(str(EXAMPLES / "digit-1.png"))},),
    # ... picture, fit, method, class (-1: predicted), Grad-CAM layer, IG steps, sign, opacity, clip percentile
    "/attribution": ("resnet", "bundled", handle_file(str(EXAMPLES / "digit-5.png")), "pad", "grad_cam", -1,
                     "features.layer3", 16, "positive", 0.5, 99.0),
    "/sanity_check": ("lenet", "bundled", handle_file(str(EXAMPLES / "digit-5.png")), "pad", "saliency", 5, "", 16,
                      "absolute", 0.5, 99.0),
    # weights, picture, fit, temperature
    "/compare_networks": ("bundled", handle_file(str(EXAMPLES / "digit-0.png")), "pad", 1.0),
    # weights, picture, opacity, classes shown, class whose score map is shown
    "/segment": ("bundled", handle_file(str(EXAMPLES / "scene-1.png")), 0.6, ["background", "2", "3"], "3"),
    # model, text, layer, state, unit (-1: the best one), temperature
    "/rnn_trace": ("lstm", 'print("hello (world)")', 2, "c", -1, 1.0),
    # model, prompt, length, temperature, seed
    "/rnn_sample": ("gru", "The ", 40, 0.8, 3),
    # -- MLP playground (issue 8) --
    # experiment (an mlp1. string, a ?mlp= link or JSON with some settings), steps to train
    "/mlp_step": ('{"dataset": "xor", "hidden": [4], "activations": ["tanh"], "seed": 1}', 20),
    "/mlp_load": ('{"dataset": "spiral", "classes": 3, "hidden": [6, 4], "activations": ["relu", "none"], '
                  '"step": 30}',),
    # the learner's CSV file, the experiment whose settings it takes
    "/mlp_csv": (handle_file(str(EXAMPLES / "points-moons.csv")), "{}"),
    # -- transfer learning (issue 8) --
    # source network, labelled pictures per digit, epochs, learning rate, seed
    "/transfer": ("lenet", 3, 1, 0.002, 0),
    "/stop_transfer": (),
    # seed, labelled pictures per digit
    "/transfer_examples": (0, 5),
    # -- attention (issue 7) --
    # text, layer, head, decoding step, attention taken apart
    "/attention": ("26 November 2026", "2", "average", 3, "cross"),
    # weights, picture, layer, head, view, opacity
    "/vit_attention": ("bundled", handle_file(str(EXAMPLES / "digit-3.png")), 4, 0, "rollout", 0.7),
}
NO_FIGURE = ("_preset", "stop_training", "stop_transfer", "use_drawing", "attribution", "sanity_check",
             "compare_networks", "rnn_sample")
CONV = VALID_CALLS["/conv"]

BAD_CALLS = [
    ("/train", ("lenet", "adam", 0.001, 36, 31, 0), "Epochs must be between 1 and 30 (got 31)"),
    ("/train", ("lenet", "adam", 5.0, 36, 1, 0), "Learning rate must be between 1e-05 and 1.0 (got 5.0)"),
    ("/train", ("resnet9000", "adam", 0.001, 36, 1, 0), "Unknown network 'resnet9000'"),
    ("/train", ("fcn", "adam", 0.001, 36, 1, 0), "cannot be trained here: choose one of the digit classifiers"),
    ("/train", ("lenet", "adam", 0.001, 36, 1.5, 0), "whole number"),
    ("/conv", (4, 7, *CONV[2:]), "larger than the padded input"),
    ("/conv", (*CONV[:5], 3, 2, 2, *CONV[8:]), "divide"),
    ("/conv", (*CONV[:10], "1 2\n3", "", "", 0), "Row 2"),
    ("/conv", (*CONV[:5], 1, 1, 1, True, 0, "1 2 3\n4 5 6\n7 8 9", "1 0\n0 1", "1, x", 0), "is not a number"),
    ("/conv", (12, 1, 1, 6, 1, *CONV[5:]), "at most 400"),
    ("/pool", ("max", 6, 1, 2, 2, 2, 1, 0, "", 0), "half"),
    ("/pool", ("avg", 6, 1, 2, 2, 0, 2, 0, "", 0), "dilation"),
    ("/transposed", (3, 3, 2, 1, 2, 1, 1, 1, False, 0, "", "", 0), "output"),
    ("/softmax", ("3, banana", 1.0), "is not a number"),
    ("/softmax", ("", 1.0), "at least one number"),
    ("/softmax", ("1, nan", 1.0), "not a finite number"),
    ("/softmax", ("1 " * 3000, 1.0), "limit"),
    ("/activation_curves", ([], -4, 4, 0.1, 1.0, 1.0), "at least one activation"),
    ("/activation_curves", (["relu"], 4, -4, 0.1, 1.0, 1.0), "smaller to a larger"),
    ("/neuron", (1.0, 0.5, -1.0, 0.8, -0.4, 0.3, 0.1, "not-an-activation"), "Unknown activation 'not-an-activation'"),
]


def _figures(outputs) -> list[dict]:
    return [json.loads(o["plot"]) for o in outputs if isinstance(o, dict) and o.get("type") == "plotly"]


def _array(value) -> np.ndarray:
    """A plotly JSON array: a plain list, or numpy's base64 form {"dtype", "bdata", "shape"}."""
    if isinstance(value, dict):
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        return array.reshape([int(n) for n in str(value.get("shape", len(array))).split(",")])
    return np.asarray(value)


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
    figures = _figures(outputs)
    assert all(f["data"] for f in figures), "a figure has no traces"
    texts = [o for o in outputs if isinstance(o, str)]
    assert all(text.strip() for text in texts)
    if not api_name.endswith(NO_FIGURE):
        assert figures, "the view returned no figure"
    if any("PyTorch" in text for text in texts):
        assert "Differs" not in " ".join(texts)


def test_presets_set_the_conv_arithmetic_sizes(client):
    assert client.predict("dilation", api_name="/conv_preset") == (7, 3, 1, 0, 2)
    # Transposed: input = that example's output (3), output_padding 1 brings 3 back to 6.
    assert client.predict("padding_strides_odd", api_name="/transposed_preset") == (3, 3, 2, 1, 1, 1)


def test_conv_animation_has_a_frame_per_output_cell(client):
    figure, formula, check = client.predict(*VALID_CALLS["/conv"], api_name="/conv")
    frames = _figure(figure).get("frames", [])
    assert len(frames) == 25  # 5×5 input, k3, padding 1 → 5×5 outputs
    assert "= 5" in formula and "Matches PyTorch `F.conv2d`" in check


def test_transposed_three_ways_all_match(client):
    *_, formula, checks = client.predict(*VALID_CALLS["/transposed"], api_name="/transposed")
    assert checks.count("Matches PyTorch `F.conv_transpose2d`") == 3
    assert formula.strip().endswith("= 6`")  # (3 − 1)·2 − 2 + 2 + 1 + 1


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


def test_a_short_training_run_returns_its_evaluation_and_weights(client):
    curves, status, confusion, mistakes, download = client.predict(*VALID_CALLS["/train"], api_name="/train")
    assert "**LeNet** trained: 1 epoch(s)" in status
    counts = _array(_figure(confusion)["data"][0]["customdata"])
    assert counts.shape == (10, 10) and counts.sum() == 1000  # every held-out digit is counted once
    assert download["orig_name"] == "lenet-trained.safetensors"
    held_out_accuracy = _figure(curves)["data"][3]
    assert held_out_accuracy["name"] == "held-out accuracy" and len(held_out_accuracy["x"]) == 1


@pytest.mark.slow
def test_two_learners_training_at_once_see_and_stop_only_their_own_runs(app_url):
    import threading
    import time

    from gradio_client import Client
    from safetensors.torch import load_file

    first, second = (Client(app_url, verbose=False, download_files=False) for _ in range(2))
    long_run = first.submit("lenet", "adam", 0.001, 36, 30, 0, api_name="/train")
    short_run = second.submit("lenet", "sgd", 0.05, 64, 2, 7, api_name="/train")
    deadline = time.time() + 120
    while not (long_run.outputs() and short_run.outputs()) and time.time() < deadline:
        time.sleep(0.2)
    assert long_run.outputs() and short_run.outputs(), "both runs should be streaming at the same time"
    second_done = short_run.result(timeout=180)
    assert "trained: 2 epoch(s)" in second_done[1]
    second.predict(api_name="/stop_training")  # another learner's Stop must not reach this run...
    time.sleep(1.5)
    assert not long_run.done()  # ...nor did the other learner's run finishing end it
    first.predict(api_name="/stop_training")
    first_done = long_run.result(timeout=120)
    assert "Stopped after" in first_done[1]
    assert not [t for t in threading.enumerate() if t.name.startswith("train-") and t.is_alive()]
    # each learner only ever saw their own run: its epoch count in every streamed status
    running = [out[1] for out in long_run.outputs()[:-1] if "· epoch" in out[1]]
    assert running and all("/30 ·" in status for status in running)
    assert all("/2 ·" in out[1] for out in short_run.outputs()[:-1] if "· epoch" in out[1])
    # ...and got back their own network
    weights = [load_file(done[4]["path"]) for done in (first_done, second_done)]
    assert weights[0].keys() == weights[1].keys()
    assert any(not weights[0][k].equal(weights[1][k]) for k in weights[0])


def test_an_open_pages_session_costs_a_small_part_of_gradios_own(app_in_process):
    """Gradio's SessionState copies the configuration of every component when a page opens (~1.9 MiB for this
    app) and keeps every value sent since; the server's lean session keeps neither (issue 17: ≤ 2 MiB a page)."""
    import gc
    import tracemalloc

    from gradio.state_holder import SessionState

    from playground.ui.common.sessions import LeanSessionState

    def kept_bytes(make) -> int:
        """The least of five measurements: tracemalloc also counts what other threads of this test process
        allocate meanwhile (a launched server beside it under xdist), which only ever adds."""
        measured = []
        for _ in range(5):
            gc.collect()
            tracemalloc.start()
            try:
                session = make(app_in_process.demo)
                gc.collect()
                measured.append(tracemalloc.get_traced_memory()[0])
            finally:
                tracemalloc.stop()
            del session
        return min(measured)

    gradio_own, lean = kept_bytes(SessionState), kept_bytes(LeanSessionState)
    assert gradio_own > 500_000, gradio_own  # what it was
    assert lean < gradio_own / 10, (lean, gradio_own)
