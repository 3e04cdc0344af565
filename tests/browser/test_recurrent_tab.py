"""The recurrent-networks tab in Chromium: type a sentence, see the heatmap and the coloured text."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_app import _plot, _screenshot

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_type_a_sentence_and_see_the_states(page, app_url):
    page.goto(app_url)
    page.locator("button[role=tab]:has-text('§12')").first.click()
    expect(page.locator("#rnn-summary")).to_contain_text("bits per character", timeout=60_000)
    box = page.locator("#rnn-text textarea")
    box.fill('def f(x):\n    return "(" + str(x) + ")"')
    box.press("Enter")  # a newline in the text...
    page.locator("#rnn-summary").click()  # ...and leaving the box reads it
    expect(page.locator("#rnn-coloured span")).to_have_count(len('def f(x):\n    return "(" + str(x) + ")"') + 1,
                                                             timeout=30_000)
    _plot(page, "rnn-heatmap")
    expect(page.locator("#rnn-heatmap .gtitle").first).to_contain_text("LSTM")
    _plot(page, "rnn-gradient")
    page.locator("#rnn-kind label:has-text('GRU')").click()
    expect(page.locator("#rnn-summary")).to_contain_text("GRU", timeout=30_000)
    _screenshot(page, "recurrent")
