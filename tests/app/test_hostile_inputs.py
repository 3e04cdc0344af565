"""Every endpoint against hostile values in every text and number argument.

For each valid call in test_api.VALID_CALLS, one argument at a time is replaced: text by an empty string,
100,000 characters, emoji and CJK, right-to-left marks, control and NUL characters; numbers by NaN, ±inf and
±1e308. Each must give a result or a readable message — never a traceback, never the catch-all internal error.

The sweep runs in process (tests/app/in_process.py: Gradio's preprocessing, the handler behind ``ui_errors``,
postprocessing). The wire keeps one case per kind of argument, sent to the launched server exactly as a client
would (NaN and ±inf as raw JSON, which gradio_client refuses to encode; 100,000 characters through
gradio_client): each must get the message the in-process call gives, and the server must answer the next
request. (Files have their own sweep: test_hostile_files.)
"""

from __future__ import annotations

import asyncio
import json
import math
import re
import threading
import urllib.request

import gradio as gr
import pytest
from gradio_client.exceptions import AppError

from tests.app.test_api import VALID_CALLS

TEXTS = {"empty": "", "huge": "7, " * 33_334, "emoji-cjk": "🙂 中文 ١٢٣", "rtl": "\u202e1, 2\u202c",
         "control": "1\x00, 2\x07"}
WRONG_TYPES = {"list": ["lenet", 1], "object": {"a": 1}}  # what a hand-written client may send anywhere
NUMBERS = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf, "1e308": 1e308, "-1e308": -1e308}
GENERIC = "something went wrong on the server"  # common.err.internal: a failure nobody turned into a message


def _cases():
    for api_name, args in sorted(VALID_CALLS.items()):
        for position, value in enumerate(args):
            if isinstance(value, bool):
                continue
            if isinstance(value, str):
                for label, text in TEXTS.items():
                    yield pytest.param(api_name, position, text, id=f"{api_name}-arg{position}-{label}")
            elif isinstance(value, (int, float)):
                for label, number in NUMBERS.items():
                    yield pytest.param(api_name, position, number, id=f"{api_name}-arg{position}-{label}")
            if isinstance(value, (str, int, float)):
                for label, wrong in WRONG_TYPES.items():
                    yield pytest.param(api_name, position, wrong, id=f"{api_name}-arg{position}-{label}")


def assert_readable(message: str) -> None:
    """What a learner may be shown: a sentence, no traceback, not the catch-all for an unhandled failure."""
    assert message.strip() and "Traceback" not in message and 'File "' not in message
    assert GENERIC not in message.lower(), f"unhandled failure behind: {message}"


def in_process_message(app, api_name: str, args: list) -> str | None:
    """The message the learner gets for this call, or None when it gives a result."""
    try:
        app.predict(*args, api_name=api_name)
    except gr.Error as err:
        return err.message
    return None


GRADIOS_RANGE_CHECK = re.compile(r"Value .* is (less than minimum|greater than maximum) value")
# Arguments whose lesson takes more than the control shows: any finite number is a logit (the sliders show the
# range where the two losses differ most).
WIDER_THAN_THE_CONTROL = {("/losses", 0), ("/losses", 1), ("/losses", 2)}


@pytest.mark.parametrize("api_name", sorted(VALID_CALLS))
def test_a_number_far_outside_its_controls_range_gets_the_apps_message(app_in_process, api_name):
    """Gradio's own range check (English, before any handler, naming no control) is left to the lessons:
    every bounded number box and slider of every endpoint, sent a value far beyond either end, gets the app's
    message from the lesson (components.LessonNumber, LessonSlider)."""
    visible = [block for block in app_in_process.endpoints[api_name].inputs if not block.stateful]
    for position, block in enumerate(visible):
        if not isinstance(block, (gr.Number, gr.Slider)):
            continue
        assert block.get_block_name() in {"number", "slider"} and type(block).__name__.startswith("Lesson"), \
            f"{api_name} argument {position} is a plain Gradio {type(block).__name__}"
        low, high = block.minimum, block.maximum
        span = 1000 * (1 + (high - low if low is not None and high is not None else 0))
        beyond = ([low - span] if low is not None else []) + ([high + span] if high is not None else [])
        for value in beyond:
            args = list(VALID_CALLS[api_name])
            args[position] = value
            message = in_process_message(app_in_process, api_name, args)
            if message is None:
                assert (api_name, position) in WIDER_THAN_THE_CONTROL, f"{api_name} argument {position} = {value}"
                continue
            assert not GRADIOS_RANGE_CHECK.search(message), message
            assert_readable(message)


def test_every_endpoint_is_reached_in_process(app_in_process):
    assert set(app_in_process.endpoints) == set(VALID_CALLS)
    no_text_or_number = {"/stop_training", "/stop_transfer", "/use_drawing"}
    assert {case.values[0] for case in _cases()} == set(VALID_CALLS) - no_text_or_number


def test_in_process_calls_work_beside_a_running_event_loop(app_in_process):
    # a pytest-xdist worker that ran the browser tests first has Playwright's event loop running on its thread;
    # here a fresh thread runs one and calls the app from inside it
    answers = []

    async def inside_a_running_loop():
        answers.append(app_in_process.predict("1, 2", 1.0, api_name="/softmax"))

    caller = threading.Thread(target=asyncio.run, args=(inside_a_running_loop(),))
    caller.start()
    caller.join()
    assert answers and answers[0]


@pytest.mark.parametrize("api_name, position, value", list(_cases()))
def test_a_hostile_value_gets_a_result_or_a_readable_message(app_in_process, api_name, position, value):
    args = list(VALID_CALLS[api_name])
    args[position] = value
    # every component reads every value (a whole-number box given NaN or ±inf too: Gradio's own int(nan) failed
    # before any handler, with no message); the lesson answers
    message = in_process_message(app_in_process, api_name, args)
    if message is not None:
        assert_readable(message)
    assert app_in_process.predict("1, 2", 1.0, api_name="/softmax")  # the app still answers


# --- markup: what a learner types is shown as text ---------------------------------------------------------------

# Each is harmless as text and harmful when rendered: a third-party picture fetched, a link, a heading, a formula.
MARKUP = {"html": '<img src="https://evil.example/i.png">', "link": "[Log in](https://evil.example)",
          "picture": "![i](https://evil.example/i.png)", "heading": "x\n# Big", "formula": "$$x^2$$"}


def rendered_markup(text: str, *, markdown: bool = True) -> list[str]:
    """The pieces of MARKUP that ``text`` still holds as markup: in Markdown, or in HTML (a toast) if not
    ``markdown``."""
    if not markdown:
        return ["<img"] if "<img" in text else []
    found = [piece for piece in ("<img", "](https://", "\n# Big", "$$x^2$$") if piece in text]
    return found + (["bare link"] if re.search(r"(?<!\\)https://evil", text) else [])


def _markup_cases():
    for api_name, args in sorted(VALID_CALLS.items()):
        for position, value in enumerate(args):
            if isinstance(value, str):
                for label, text in MARKUP.items():
                    yield pytest.param(api_name, position, text, id=f"{api_name}-arg{position}-{label}")


@pytest.mark.parametrize("api_name, position, value", list(_markup_cases()))
def test_markup_typed_anywhere_is_shown_as_text(app_in_process, api_name, position, value):
    """Every text argument of every endpoint, given HTML or Markdown: neither its message (a toast renders HTML)
    nor any Markdown or HTML output renders it."""
    args = list(VALID_CALLS[api_name])
    args[position] = value
    try:
        outputs = app_in_process.predict(*args, api_name=api_name)
    except gr.Error as err:
        assert not rendered_markup(err.message, markdown=False), err.message
        assert_readable(err.message)
        return
    blocks = app_in_process.endpoints[api_name].outputs
    for block, output in zip(blocks, outputs, strict=True):
        if isinstance(block, (gr.Markdown, gr.HTML)) and isinstance(output, str):
            assert not rendered_markup(output), f"{block.elem_id}: {output}"


# --- over the wire: one case per kind of argument --------------------------------------------------------------


def _raw_call(app_url: str, api_name: str, args: list) -> str:
    """POST /gradio_api/call with JSON that may hold NaN and Infinity (gradio_client refuses to encode them, a
    hand-written client need not): the event's last SSE message, "complete", or AppError with the error's text."""
    body = json.dumps({"data": args}, allow_nan=True).encode()
    request = urllib.request.Request(f"{app_url}/gradio_api/call{api_name}", data=body,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        event = json.loads(response.read())["event_id"]
    with urllib.request.urlopen(f"{app_url}/gradio_api/call{api_name}/{event}", timeout=120) as response:
        stream = response.read().decode()
    events = [line.split(":", 1)[1].strip() for line in stream.splitlines() if line.startswith("event:")]
    datas = [line.split(":", 1)[1].strip() for line in stream.splitlines() if line.startswith("data:")]
    if events and events[-1] == "error":
        payload = json.loads(datas[-1]) if datas and datas[-1] not in ("", "null") else None
        raise AppError((payload or {}).get("error") or "")
    return events[-1] if events else ""


# (api_name, position, value): NaN and ±inf into a number the handler checks, into a slider Gradio checks
WIRE_NUMBERS = [("/softmax", 1, math.nan), ("/neuron", 0, math.inf), ("/softmax", 1, -math.inf)]


@pytest.mark.parametrize("api_name, position, value", WIRE_NUMBERS, ids=["nan", "inf", "-inf"])
def test_non_finite_json_numbers_over_the_wire(client, app_url, app_in_process, api_name, position, value):
    args = list(VALID_CALLS[api_name])
    args[position] = value
    with pytest.raises(AppError) as info:
        _raw_call(app_url, api_name, args)
    assert_readable(str(info.value))
    assert str(info.value) == in_process_message(app_in_process, api_name, args)
    assert client.predict("1, 2", 1.0, api_name="/softmax")  # the server still answers


def test_a_hundred_thousand_characters_over_the_wire(client, app_in_process):
    args = [TEXTS["huge"], 1.0]
    with pytest.raises(AppError) as info:
        client.predict(*args, api_name="/softmax")
    assert_readable(str(info.value))
    assert str(info.value) == in_process_message(app_in_process, "/softmax", args)
    assert client.predict("1, 2", 1.0, api_name="/softmax")


@pytest.mark.parametrize("label", sorted(MARKUP))
def test_a_shared_links_unknown_setting_is_named_as_text(app_in_process, label):
    """A ``?mlp=`` link (or a pasted experiment) whose setting name is markup: the toast of Load shows it as
    characters, and a page opened with the link says what was wrong in its status note as text."""
    from playground.ui import tab_mlp
    from playground.ui.common import new_session

    link = json.dumps({"dataset": "xor", MARKUP[label]: 1})
    with pytest.raises(gr.Error) as info:
        app_in_process.predict(link, api_name="/mlp_load")
    assert "does not know" in info.value.message and not rendered_markup(info.value.message, markdown=False)

    shown = tab_mlp.on_open(link, None, new_session())
    notes = [out for out in shown if isinstance(out, str) and "could not be opened" in out]
    assert len(notes) == 1 and not rendered_markup(notes[0]), notes
