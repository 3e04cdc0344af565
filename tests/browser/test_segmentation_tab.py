"""The segmentation tab in Chromium: a scene's digits coloured by class, the coarse score map, the kernel; switching
networks, a failure and an upload never leave it stuck."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.test_app import _plot, _screenshot

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
SCENE_1 = Path(__file__).resolve().parents[2] / "assets" / "examples" / "scene-1.png"


def test_a_scene_is_segmented_and_classes_can_be_hidden(page, app_url):
    page.goto(app_url)
    page.locator("button[role=tab]:has-text('§11')").first.click()
    legend = page.locator("#seg-legend")
    expect(legend).to_contain_text("Classes found", timeout=60_000)
    for digit in ("0 ·", "5 ·", "6 ·"):  # the default scene (assets/examples/scene-3.png)
        expect(legend).to_contain_text(digit)
    _plot(page, "seg-scores")
    expect(page.locator("#seg-scores .gtitle").first).to_contain_text("Score of class")
    _plot(page, "seg-kernel")
    expect(page.locator("#seg-kernel-note")).to_contain_text("stride 4")
    _screenshot(page, "segmentation")
    before = page.locator("#seg-overlay img").get_attribute("src")
    page.locator("#seg-shown label:has-text('background')").click()  # toggling a class redraws the overlay
    page.locator("#seg-shown label", has_text="5").first.click()
    expect(page.locator("#seg-overlay img")).not_to_have_attribute("src", before, timeout=30_000)

    # issue 16 §2: any sequence of network switches, failures and uploads leaves the tab usable
    page.locator("#seg-weights label", has_text="torchvision").click()  # offline in the tests: no weights
    toast = page.locator(".toast-body").last
    expect(toast).to_contain_text("pretrained weights", timeout=60_000)
    expect(toast).not_to_contain_text("Value:")  # not Gradio's "not in the list of choices"
    expect(page.locator("#seg-overlay")).to_have_attribute("data-stale", re.compile("Last good result"))
    page.locator("#seg-weights label", has_text="bundled").click()  # back: the other network's classes were ticked
    for digit in ("0 ·", "5 ·", "6 ·"):
        expect(legend).to_contain_text(digit, timeout=60_000)
    expect(page.locator("#seg-overlay")).not_to_have_attribute("data-stale", re.compile(".*"))
    page.locator("#seg-image input[type=file]").first.set_input_files(str(SCENE_1))  # the digits 1, 2, 3, 9
    for digit in ("1 ·", "2 ·", "3 ·"):
        expect(legend).to_contain_text(digit, timeout=60_000)
