"""The transfer-learning tab through gradio_client: a small comparison streams its curves and ends with the table,
Stop reaches the caller's own run, the pictures view answers, and bad numbers get messages."""

from __future__ import annotations

import json
import time

import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError

from playground.lessons import transfer as lesson

SMALL = ("lenet", 3, 2, 0.002, 0)  # network, labelled pictures per digit, epochs, learning rate, seed


def _accuracy_traces(figure: dict) -> list[dict]:
    return [trace for trace in figure["data"] if trace.get("xaxis", "x") == "x"]


def test_a_small_comparison_streams_and_ends_with_the_table(client):
    job = client.submit(*SMALL, api_name="/transfer")
    figure, table, status = job.result(timeout=300)
    streamed = job.outputs()
    assert len(streamed) >= 2  # at least the untrained start and the end
    assert status.startswith("✅") and "from scratch" in status
    traces = _accuracy_traces(json.loads(figure["plot"]))
    assert [trace["name"] for trace in traces] == ["① all layers", "② last layers", "③ new FC layer on top",
                                                  "from scratch"]
    assert all(trace["x"] == [0, 1, 2] for trace in traces)
    assert all(0 <= y <= 1 for trace in traces for y in trace["y"])
    # the same run in a notebook gives the same curves (the same seed, the same device)
    expected = lesson.compare(lesson.TransferConfig(network="lenet", per_class=3, epochs=2, lr=0.002, seed=0))
    for strategy, trace in zip(lesson.STRATEGIES, traces, strict=True):
        assert trace["y"] == pytest.approx([p.held_out_accuracy for p in expected.curves[strategy].points])
    assert "| ① all layers | every layer | 121,182 (100%) | 0 |" in table
    assert "| ③ new FC layer on top | new fc: 10 scores → 10 digits | 110 (0%) | 121,182 |" in table
    assert "Seconds per epoch" in table and "After 2 epoch(s)" in table


def test_stop_reaches_the_callers_own_run(app_url):
    caller, other = Client(app_url, verbose=False), Client(app_url, verbose=False)
    job = caller.submit("lenet", 20, 30, 0.002, 0, api_name="/transfer")
    deadline = time.time() + 120
    while time.time() < deadline and len(job.outputs()) < 2:  # running: at least one epoch reported
        time.sleep(0.2)
    other.predict(api_name="/stop_transfer")  # another learner's Stop does not end this run
    time.sleep(1.5)
    assert not job.done()
    caller.predict(api_name="/stop_transfer")
    figure, table, status = job.result(timeout=120)
    assert status.startswith("■ Stopped")
    lengths = [len(trace["x"]) for trace in _accuracy_traces(json.loads(figure["plot"]))]
    # every epoch each strategy finished is kept (the race trains them in turn: at most one epoch apart)
    assert len(lengths) == 4 and max(lengths) < 31 and max(lengths) - min(lengths) <= 1


def test_the_pictures_view_shows_source_and_target(client):
    figure = json.loads(client.predict(3, 10, api_name="/transfer_examples")["plot"])
    assert figure["data"][0]["type"] == "image"
    assert figure["layout"]["yaxis"]["ticktext"] == ["source:<br>strokes on gradients",
                                                 "target:<br>outlines on stripes"]


@pytest.mark.parametrize("args, message", [
    (("lenet", 2.5, 1, 0.002, 0), "whole number"),
    (("lenet", 3, 31, 0.002, 0), "Epochs (the same for all four) must be between 1 and 30 (got 31)"),
    (("lenet", 101, 1, 0.002, 0), "Labelled target pictures per digit must be between 1 and 100 (got 101)"),
    (("lenet", 3, 1, 5.0, 0), "must be between 1e-05 and 1.0 (got 5.0)"),
    (("fcn", 3, 1, 0.002, 0), "cannot be used here: choose one of the digit classifiers"),
    (("lenet", 3, 1, 0.002, -1), "Random seed must be between 0 and 2147483647 (got -1)"),
])
def test_bad_numbers_get_a_message_and_the_server_survives(client, args, message):
    with pytest.raises(AppError) as info:
        client.predict(*args, api_name="/transfer")
    assert message in str(info.value) and "Traceback" not in str(info.value)
    assert client.predict(0, 1, api_name="/transfer_examples")["type"] == "plotly"
