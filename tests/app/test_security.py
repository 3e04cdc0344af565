"""The launched app serves nothing outside its own outputs, refuses oversized uploads, and keeps internals out of
its messages (issue 9's security checks, against a real server)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _status(url: str, *, data: bytes | None = None, headers: dict | None = None) -> int:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as err:
        return err.code


@pytest.mark.parametrize("path", [
    "/etc/passwd",
    str(ROOT / "playground" / "zoo.py"),  # the app's own source
    str(ROOT / "pretrained" / "manifest.json"),
    "../../../../etc/passwd",
    "..%2F..%2F..%2Fetc%2Fpasswd",
    str(ROOT / ".git" / "config"),
])
def test_files_outside_the_apps_outputs_are_refused(app_url, path):
    assert _status(f"{app_url}/gradio_api/file={path}") in (403, 404)


def test_an_upload_over_the_limit_is_refused_before_any_handler(app_url):
    boundary = "playgroundboundary"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"big.png\"\r\n"
            f"Content-Type: image/png\r\n\r\n").encode()
    body = head + b"\x00" * (11 * 1024 * 1024) + f"\r\n--{boundary}--\r\n".encode()  # 11 MiB > the 10 MB limit
    status = _status(f"{app_url}/gradio_api/upload", data=body,
                     headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert status == 413


def test_a_client_cannot_pass_a_server_path_as_a_picture(client):
    from gradio_client.exceptions import AppError

    forged = {"path": "/etc/passwd", "meta": {"_type": "gradio.FileData"}}
    with pytest.raises((AppError, ValueError, FileNotFoundError)) as info:
        client.predict("lenet", "bundled", forged, "pad", "layer", 1.0, api_name="/feature_maps")
    assert "root:" not in str(info.value)


def test_the_config_does_not_advertise_a_share_link_or_extra_paths(app_url):
    import json

    with urllib.request.urlopen(f"{app_url}/config", timeout=30) as response:
        config = json.loads(response.read())
    assert not config.get("share_url") and config.get("max_file_size") == 10 * 1024 * 1024  # "10mb"
    assert config.get("analytics_enabled") is False


def test_a_request_larger_than_the_limit_is_refused_before_it_is_read(app_url):
    """Gradio bounds each file, not a request: a big JSON body, or many files in one upload, is refused with 413 by
    its declared length (ui/common/server.py), before the server reads it into memory."""
    from playground.limits import MAX_REQUEST_BYTES

    # the headers alone: the answer comes before a byte of the body is sent
    assert _declared(app_url, "/gradio_api/call/softmax", MAX_REQUEST_BYTES + 1, "application/json") == 413
    # five 3 MiB files in one upload, each under the file limit
    assert _declared(app_url, "/gradio_api/upload", 5 * 3 * 1024 * 1024, "multipart/form-data; boundary=b") == 413
    assert _declared(app_url, "/gradio_api/upload", 0, "multipart/form-data; boundary=b") != 413


def _declared(app_url: str, path: str, length: int, content_type: str) -> int:
    import http.client
    import urllib.parse

    address = urllib.parse.urlsplit(app_url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
    connection.putrequest("POST", path)
    connection.putheader("Content-Type", content_type)
    connection.putheader("Content-Length", str(length))
    connection.endheaders()
    try:
        return connection.getresponse().status
    finally:
        connection.close()


def test_a_chunked_request_is_cut_off_once_it_passes_the_limit(app_url):
    import http.client
    import urllib.parse

    from playground.limits import MAX_REQUEST_BYTES

    address = urllib.parse.urlsplit(app_url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
    chunk = b"7" * 1_000_000
    chunks = (chunk for _ in range(MAX_REQUEST_BYTES // len(chunk) + 5))  # no Content-Length: sent in chunks
    connection.request("POST", "/gradio_api/call/softmax", body=chunks, encode_chunked=True,
                       headers={"Content-Type": "application/json"})
    assert connection.getresponse().status == 413
    connection.close()


def test_every_response_says_what_it_is_and_who_may_frame_it(app_url):
    with urllib.request.urlopen(f"{app_url}/", timeout=30) as response:
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]


def _join(app_url: str, fn_index: int, data: list, session: str) -> int:
    body = json.dumps({"data": data, "fn_index": fn_index, "session_hash": session, "event_data": None,
                       "trigger_id": None}).encode()
    return _status(f"{app_url}/gradio_api/queue/join", data=body, headers={"Content-Type": "application/json"})


def test_one_page_cannot_fill_the_queue_for_the_others(launched_app):
    """A client sending request after request gets its own refused once it has MAX_WORK_PER_SESSION waiting or
    running; another learner's request is still taken (Gradio bounds only the queue as a whole)."""
    from playground.limits import MAX_WORK_PER_SESSION
    from tests.app.test_api import VALID_CALLS

    demo, app_url = launched_app
    index, fn = next((i, fn) for i, fn in demo.fns.items() if fn.api_name == "mlp_step")
    config, _ = VALID_CALLS["/mlp_step"]
    data = [config, 300, None, None]  # 300 steps: ~0.3 s each, two at a time (the rest wait)
    assert len(data) == len(fn.inputs)
    statuses = [_join(app_url, index, data, "greedy") for _ in range(MAX_WORK_PER_SESSION + 2)]
    assert statuses[:MAX_WORK_PER_SESSION] == [200] * MAX_WORK_PER_SESSION and statuses[-2:] == [503, 503]
    assert _join(app_url, index, [config, 1, None, None], "another-learner") == 200


def _get(url: str, headers: dict | None = None):
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=30) as response:
        return response.read(), response.headers


def test_the_pages_own_files_are_read_and_compressed_once_and_sent_as_gradio_sends_them(launched_app):
    """A class of fresh browsers each downloads Gradio's ~140 front-end files; the server sends the first answer
    again (Gradio compressed every copy afresh), with its headers and the app's own."""
    import re

    from playground.ui.common.server import AssetCache

    demo, app_url = launched_app
    page, _ = _get(f"{app_url}/")
    script = "/assets/" + re.search(r"/assets/([\w.-]+\.js)", page.decode()).group(1)
    cache = demo.server_app.middleware_stack
    assert isinstance(cache, AssetCache)  # outside Gradio's Brotli middleware: it keeps what was compressed
    first, first_headers = _get(app_url + script, {"Accept-Encoding": "br"})
    kept = len(cache)
    again, again_headers = _get(app_url + script, {"Accept-Encoding": "br"})
    assert again == first and again_headers["Content-Encoding"] == first_headers["Content-Encoding"] == "br"
    assert len(cache) == kept and cache._answers[(script.encode(), b"br")][1] == first
    assert again_headers["Cache-Control"].startswith("public") and again_headers["X-Content-Type-Options"] == "nosniff"
    plain, plain_headers = _get(app_url + script, {"Accept-Encoding": "identity"})  # another encoding: its own
    assert "Content-Encoding" not in plain_headers and len(plain) > len(first) and len(cache) == kept + 1
    assert _status(app_url + "/assets/no-such-file.js") == 404 and (b"/assets/no-such-file.js", b"") not in \
        cache._answers  # only successes are kept
    _get(app_url + script + "?v=2")
    assert len(cache) == kept + 1  # a query passes through
