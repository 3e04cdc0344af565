"""The launched app serves nothing outside its own outputs, refuses oversized uploads, and keeps internals out of
its messages (issue 9's security checks, against a real server)."""

from __future__ import annotations

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
