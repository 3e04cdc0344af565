"""Every endpoint that takes a file, against every file of the hostile corpus.

The corpus is ``tests/corpus/files`` (made by ``python -m tests.corpus.generate``; its ``MANIFEST.tsv`` says
what each file must do). For each valid call in test_api.VALID_CALLS, each file argument — a picture, a sketch's
composite, a CSV of points — is replaced by each corpus file in turn. A file of the argument's own kind must do
what the manifest says: be refused with its own message, or give a result (showing the manifest's note, on the
endpoints that list the picture's steps). A file of the other kind (a CSV as a picture, a picture as a CSV) must
be refused with a readable message. Never a traceback or the catch-all internal error.

The sweep runs in process (tests/app/in_process.py), the file handed over as gradio_client hands it. The wire
keeps one damaged file per kind of endpoint (a picture, a sketch, a CSV), uploaded through gradio_client to
the launched server: each gets the message the in-process call gives, and the server answers the next request.
(Text and number arguments are swept in test_hostile_inputs.)
"""

from __future__ import annotations

import gradio as gr
import pytest
from gradio_client import handle_file
from gradio_client.exceptions import AppError

from playground.i18n import STRINGS
from tests.app.test_api import VALID_CALLS
from tests.app.test_hostile_inputs import assert_readable, in_process_message
from tests.corpus.generate import read_manifest

MANIFEST = {row["name"]: row for row in read_manifest()}
KIND_OF_SUFFIX = {".png": "image", ".jpg": "image", ".jpeg": "image", ".csv": "csv"}
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


def _with_file(api_name: str, position: int, path) -> list:
    """The valid call with the file at ``position`` replaced by ``path`` (as a sketch's composite for a sketch)."""
    args = list(VALID_CALLS[api_name])
    upload = handle_file(str(path))
    args[position] = {**args[position], "composite": upload} if args[position].get("composite") else upload
    return args


def test_every_file_endpoint_is_swept():
    swept = {api_name for api_name, *_ in (case.values for case in _cases())}
    assert swept == {"/feature_maps", "/feature_layer", "/use_drawing", "/attribution", "/sanity_check",
                     "/compare_networks", "/segment", "/vit_attention", "/mlp_csv"}
    assert {row["kind"] for row in MANIFEST.values()} == {"image", "csv"}


@pytest.mark.parametrize("api_name, position, kind, name", list(_cases()))
def test_a_hostile_file_gets_its_message_or_a_result(app_in_process, corpus_dir, api_name, position, kind, name):
    row = dict(MANIFEST[name])
    if (api_name, name) in REFUSED_BY:
        row |= {"expect": "error", "message_key": REFUSED_BY[api_name, name]}
    args = _with_file(api_name, position, corpus_dir / name)
    if row["kind"] != kind or row["expect"] == "error":
        with pytest.raises(gr.Error) as info:
            app_in_process.predict(*args, api_name=api_name)
        assert_readable(info.value.message)
        if row["kind"] == kind:
            assert _english_start(row["message_key"]) in info.value.message
    else:
        outputs = app_in_process.predict(*args, api_name=api_name)
        if api_name in STEPS_OUTPUT and row["message_key"] != "-":
            assert _english_start(row["message_key"]) in outputs[STEPS_OUTPUT[api_name]]
    assert app_in_process.predict("1, 2", 1.0, api_name="/softmax")  # the app still answers


# --- over the wire: one damaged file per kind of endpoint -------------------------------------------------------

WIRE_FILES = [("/feature_maps", 2, "truncated.jpg"), ("/use_drawing", 0, "corrupt.png"),
              ("/mlp_csv", 0, "csv-utf16.csv")]


@pytest.mark.parametrize("api_name, position, name", WIRE_FILES, ids=["picture", "sketch", "csv"])
def test_a_damaged_file_over_the_wire(client, app_in_process, corpus_dir, api_name, position, name):
    args = _with_file(api_name, position, corpus_dir / name)
    with pytest.raises(AppError) as info:
        client.predict(*args, api_name=api_name)
    assert_readable(str(info.value))
    assert _english_start(MANIFEST[name]["message_key"]) in str(info.value)
    assert str(info.value) == in_process_message(app_in_process, api_name, args)
    assert client.predict("1, 2", 1.0, api_name="/softmax")  # the server still answers
