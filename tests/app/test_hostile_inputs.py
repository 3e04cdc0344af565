"""Every endpoint against hostile values in every text and number argument, through gradio_client.

For each valid call in test_api.VALID_CALLS, one argument at a time is replaced: text by an empty string,
100,000 characters, emoji and CJK, right-to-left marks, control and NUL characters; numbers by NaN, ±inf and
±1e308. Each must give a result or a readable message — never a traceback, never an internal error — and the
server must answer the next request. (Images have their own corpus: test_features_api, test_segmentation_api.)
"""

from __future__ import annotations

import json
import math
import urllib.request
import uuid

import pytest
from gradio_client.exceptions import AppError

from tests.app.test_api import VALID_CALLS

TEXTS = {"empty": "", "huge": "7, " * 33_334, "emoji-cjk": "🙂 中文 ١٢٣", "rtl": "\u202e1, 2\u202c",
         "control": "1\x00, 2\x07"}
NUMBERS = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf, "1e308": 1e308, "-1e308": -1e308}
SKIPPED = {"/train", "/stop_training", "/compare_networks"}  # long-running: covered by their own tests
GENERIC = "something went wrong on the server"  # common.err.internal: a failure nobody turned into a message


def _cases():
    for api_name, args in sorted(VALID_CALLS.items()):
        if api_name in SKIPPED:
            continue
        for position, value in enumerate(args):
            if isinstance(value, bool):
                continue
            if isinstance(value, str):
                for label, text in TEXTS.items():
                    yield pytest.param(api_name, position, text, id=f"{api_name}-arg{position}-{label}")
            elif isinstance(value, (int, float)):
                for label, number in NUMBERS.items():
                    yield pytest.param(api_name, position, number, id=f"{api_name}-arg{position}-{label}")


def _upload(app_url: str, path: str) -> dict:
    """A file as the browser sends it: uploaded first, then referred to by its server path."""
    boundary = uuid.uuid4().hex
    with open(path, "rb") as f:
        data = f.read()
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"upload.png\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(f"{app_url}/gradio_api/upload", data=body,
                                     headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    with urllib.request.urlopen(request, timeout=60) as response:
        server_path = json.loads(response.read())[0]
    return {"path": server_path, "meta": {"_type": "gradio.FileData"}}


def _raw_call(app_url: str, api_name: str, args: list) -> str:
    """POST /gradio_api/call with JSON that may hold NaN and Infinity (gradio_client refuses to encode them, a
    hand-written client need not): the event's last SSE message, "complete" or "error" with its text."""
    args = [_upload(app_url, a["path"]) if isinstance(a, dict) and "path" in a and "meta" in a else
            {**a, "composite": _upload(app_url, a["composite"]["path"])} if isinstance(a, dict) and a.get("composite")
            else a for a in args]
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
        raise AppError(json.loads(datas[-1]) if datas and datas[-1] not in ("", "null") else "")
    return events[-1] if events else ""


@pytest.mark.parametrize("api_name, position, value", list(_cases()))
def test_a_hostile_value_gets_a_result_or_a_readable_message(client, app_url, api_name, position, value):
    args = list(VALID_CALLS[api_name])
    args[position] = value
    try:
        if isinstance(value, float) and not math.isfinite(value):
            _raw_call(app_url, api_name, args)
        else:
            client.predict(*args, api_name=api_name)
    except AppError as err:
        message = str(err)
        assert message.strip() and "Traceback" not in message and 'File "' not in message
        assert GENERIC not in message.lower(), f"unhandled failure behind: {message}"
    assert client.predict("1, 2", 1.0, api_name="/softmax")  # the server still answers
