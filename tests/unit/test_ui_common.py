"""The UI helpers every tab relies on: readable errors in the learner's language, translated labels."""

from __future__ import annotations

import gradio as gr
import pytest

from playground.errors import InputError
from playground.ui._common import Translator, ui_errors

ZH = {"lang": "zh", "device": "cpu"}
EN = {"lang": "en", "device": "cpu"}


@ui_errors
def _bad_range(value, session):
    raise InputError("act.err.range_order", low=value, high=1)


@ui_errors
def _crash(value, session):
    raise RuntimeError("secret internal detail /etc/passwd")


@ui_errors
def _stream(count, session):
    yield 1
    raise InputError("common.err.empty_numbers")


def test_input_error_speaks_the_session_language():
    with pytest.raises(gr.Error) as info:
        _bad_range(3, ZH)
    assert "区间必须" in info.value.message and info.value.title == "无法计算"
    with pytest.raises(gr.Error) as info:
        _bad_range(3, EN)
    assert info.value.message.startswith("The range must go")


def test_unexpected_errors_hide_their_details(caplog):
    with pytest.raises(gr.Error) as info:
        _crash(1, EN)
    assert "secret" not in info.value.message and "went wrong" in info.value.message
    assert "secret internal detail" in caplog.text  # ...but the server log has them


def test_generators_are_wrapped_too():
    stream = _stream(2, ZH)
    assert next(stream) == 1
    with pytest.raises(gr.Error) as info:
        next(stream)
    assert "至少输入一个数" in info.value.message


def test_translator_relabels_labels_info_choices_and_buttons():
    tr = Translator()
    with gr.Blocks():
        slider = tr(gr.Slider(0, 1, 0.1), "act.negative_slope")
        radio = tr(gr.Radio([0, 1], value=0), "act.target", choices={0: "act.class1", 1: "act.class2"})
        button = tr(gr.Button(), "common.run")
    assert slider.label == "LeakyReLU slope" and slider.info.startswith("f(x) = slope")
    assert button.value == "Run"
    slider_zh, radio_zh, button_zh = tr.updates("zh")
    assert slider_zh["label"] == "LeakyReLU 负半轴斜率" and "斜率" in slider_zh["info"]
    assert radio_zh["choices"] == [("类别 1", 0), ("类别 2", 1)]
    assert button_zh["value"] == "运行"
    assert tr.components == [slider, radio, button]
