"""Every endpoint that takes a file, against every file of the hostile corpus, through gradio_client.

The corpus is ``tests/corpus/files`` (made by ``python -m tests.corpus.generate``; its ``MANIFEST.tsv`` says
what each file must do). For each valid call in test_api.VALID_CALLS, each file argument — a picture, a sketch's
composite, a CSV of points — is replaced by each corpus file in turn. A file of the argument's own kind must do
what the manifest says: be refused with its own message, or give a result (showing the manifest's note, on the
endpoints that list the picture's steps). A file of the other kind (a CSV as a picture, a picture as a CSV) must
be refused with a readable message. Never a traceback or the catch-all internal error, and the server answers
the next request. (Text and number arguments are swept in test_hostile_inputs.)
"""

from __future__ import annotations

import pytest
from gradio_client import handle_file
from gradio_client.exceptions import AppError

from playground.i18n import STRINGS
from tests.app.test_api import VALID_CALLS
from tests.corpus.generate import read_manifest

MANIFEST = {row["name"]: row for row in read_manifest()}
KIND_OF_SUFFIX = {".png": "image", ".jpg": "image", ".jpeg": "image", ".csv": "csv"}
GENERIC = "something went wrong on the server"  # common.err.internal: a failure nobody turned into a message
# Endpoints whose output at this position lists how the picture was read (where the manifest's note appears).
STEPS_OUTPUT = {"/feature_maps": 1, "/segment": 1}
# Where an endpoint rightly refuses a file the manifest calls fine: one pixel holds no strokes to crop a drawing to.
REFUSED_BY = {("/use_drawing", "one-pixel.png"): "img.err.empty_sketch"}


def _file_kind(value) -> str | None:
    """'image' or 'csv' for a file argument (a sketch's composite counts as a picture), None for the rest."""
    if isinstance(value, dict) and value.get("composite"):
        return "image"
    if isinstance(value, dict) and "path" in value:
        return next((kind for suffix, kind in KIND_OF_SUFFIX.items() if value["path"].lower().endswith(suffix)))
    return None


def _cases():
    for api_name, args in sorted(VALID_CALLS.items()):
        for position, value in enumerate(args):
            kind = _file_kind(value)
            if kind is None:
                continue
            for name in sorted(MANIFEST):
                yield pytest.param(api_name, position, kind, name, id=f"{api_name}-arg{position}-{name}")


def _english_start(key: str) -> str:
    """The English text of ``key`` up to its first parameter: what the learner's message must contain."""
    return STRINGS[key][0].split("{")[0][:30]


def test_every_file_endpoint_is_swept():
    swept = {api_name for api_name, *_ in (case.values for case in _cases())}
    assert swept == {"/feature_maps", "/feature_layer", "/use_drawing", "/attribution", "/sanity_check",
                     "/compare_networks", "/segment", "/vit_attention", "/mlp_csv"}
    assert {row["kind"] for row in MANIFEST.values()} == {"image", "csv"}


@pytest.mark.parametrize("api_name, position, kind, name", list(_cases()))
def test_a_hostile_file_gets_its_message_or_a_result(client, corpus_dir, api_name, position, kind, name):
    row = dict(MANIFEST[name])
    if (api_name, name) in REFUSED_BY:
        row |= {"expect": "error", "message_key": REFUSED_BY[api_name, name]}
    args = list(VALID_CALLS[api_name])
    upload = handle_file(str(corpus_dir / name))
    args[position] = {**args[position], "composite": upload} if args[position].get("composite") else upload
    if row["kind"] != kind or row["expect"] == "error":
        with pytest.raises(AppError) as info:
            client.predict(*args, api_name=api_name)
        message = str(info.value)
        assert message.strip() and "Traceback" not in message and 'File "' not in message
        assert GENERIC not in message.lower(), f"unhandled failure behind: {message}"
        if row["kind"] == kind:
            assert _english_start(row["message_key"]) in message
    else:
        result = client.predict(*args, api_name=api_name)
        outputs = result if isinstance(result, tuple) else (result,)
        if api_name in STEPS_OUTPUT and row["message_key"] != "-":
            assert _english_start(row["message_key"]) in outputs[STEPS_OUTPUT[api_name]]
    assert client.predict("1, 2", 1.0, api_name="/softmax")  # the server still answers
