"""The attention tab in Chromium: type a date, step through the decoding, take one head apart; a digit through
the ViT, switched to one head's CLS attention; the same in Chinese."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_app import _plot, _screenshot

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def _open(page, app_url, query=""):
    page.goto(app_url + query)
    page.locator("button[role=tab]:has-text('§13')").first.click()


def test_type_a_date_and_step_through_the_decoding(page, app_url):
    _open(page, app_url)
    expect(page.locator("#attn-result")).to_contain_text("2026-11-26", timeout=60_000)
    box = page.locator("#attn-text textarea, #attn-text input").first
    box.fill("the 3rd of March, 1999")
    box.press("Enter")
    expect(page.locator("#attn-result")).to_contain_text("1999-03-03", timeout=30_000)
    for elem_id in ("attn-encoder", "attn-decoder", "attn-cross", "attn-mech-plot"):
        _plot(page, elem_id)
    expect(page.locator("#attn-decoder .gtitle").first).to_contain_text("masked")
    # step 6 writes the month's first digit, "0"
    step = page.locator("#attn-step input[type=number]")
    step.fill("6")
    step.press("Enter")
    expect(page.locator("#attn-lit")).to_contain_text("Step 6 writes 0", timeout=30_000)
    expect(page.locator("#attn-lit .attn-char")).to_have_count(len("the 3rd of March, 1999"))
    page.locator("#attn-head label:has-text('2')").click()
    page.locator("#attn-mech-kind label:has-text('decoder')").click()
    expect(page.locator("#attn-mech-check")).to_contain_text("head 2, step 6", timeout=30_000)
    expect(page.locator("#attn-mech-check")).to_contain_text("✅")
    _screenshot(page, "attention")


def test_a_digit_through_the_vision_transformer_in_chinese(page, app_url):
    _open(page, app_url, "?lang=zh")
    page.locator("button[role=tab]:has-text('ViT')").first.click()
    expect(page.locator("#vit-summary")).to_contain_text("每一行之和都为 1", timeout=60_000)
    _plot(page, "vit-grid")
    expect(page.locator("#vit-overlay img")).to_be_visible()
    page.locator("#vit-view label:has-text('CLS')").click()
    expect(page.locator("#vit-summary")).to_contain_text("CLS 注意力", timeout=30_000)
    expect(page.locator("#vit-predictions td").first).to_have_text("3")
    _screenshot(page, "vit-zh")
