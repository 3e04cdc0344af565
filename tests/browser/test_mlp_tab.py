"""The MLP playground in Chromium: Play streams the decision map, Pause, Step and Reset; a changed setting starts
a new experiment; a pasted experiment string and a shared link restore everything; the learner's CSV file becomes
the data. (Closing the page stops its Play: tests/browser/test_app.py.)"""

from __future__ import annotations

import re
import urllib.parse

import pytest
from playwright.sync_api import expect

from playground.data.points import make_points, points_to_csv
from playground.lessons.mlp_experiment import decode, encode, make_experiment
from tests.browser.test_app import _plot, _screenshot

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

XOR_WITHOUT_ACTIVATION = encode(make_experiment(dataset="xor", hidden=[3], activations=["none"], seed=2, step=30))


def _open(page, url: str) -> None:
    page.goto(url)
    page.locator("#tab-mlp-button").click()
    expect(page.locator("#mlp-status")).to_contain_text("Step", timeout=60_000)
    _plot(page, "mlp-boundary")


def _step(page) -> int:
    return int(re.search(r"Step ([\d,]+)", page.locator("#mlp-status").inner_text()).group(1).replace(",", ""))


def _title(page) -> str:
    return page.locator("#mlp-boundary .gtitle").first.text_content()


def test_play_pause_step_reset_then_settings_a_csv_and_an_experiment_string(page, app_url, tmp_path):
    """One learner's walk through the tab: each step starts from where the previous one left the page."""
    _open(page, app_url)
    expect(page.locator("#mlp-status")).to_contain_text("Step 0")
    assert _title(page) == "Decision map after step 0"
    _plot(page, "mlp-neurons")
    _plot(page, "mlp-loss")

    page.locator("#mlp-play").click()
    expect(page.locator("#mlp-status")).to_contain_text("Playing", timeout=30_000)
    expect(page.locator("#mlp-step")).to_be_disabled()  # only Pause while the stream runs
    expect(page.locator("#mlp-boundary .gtitle").first).not_to_have_text("Decision map after step 0")
    page.wait_for_function("() => /after step ([2-9]\\d\\d|\\d,)/.test("  # trained for 200 steps or more
                           "document.querySelector('#mlp-boundary .gtitle').textContent)", timeout=60_000)
    page.locator("#mlp-pause").click()
    expect(page.locator("#mlp-status")).to_contain_text("Paused", timeout=30_000)
    expect(page.locator("#mlp-step")).to_be_enabled()
    paused = _step(page)
    assert paused >= 200 and paused % 20 == 0  # whole updates of 20 steps
    assert _title(page) == f"Decision map after step {paused:,}"
    page.wait_for_timeout(1_500)
    assert _step(page) == paused  # paused means paused
    _screenshot(page, "mlp")

    page.locator("#mlp-step").click()
    expect(page.locator("#mlp-status")).to_contain_text(f"Step {paused + 20:,}")
    page.locator("#mlp-reset").click()
    expect(page.locator("#mlp-status")).to_contain_text("Reset to step 0")
    expect(page.locator("#mlp-status")).to_contain_text("Step 0 ")
    assert _title(page) == "Decision map after step 0"

    # changing a setting starts a new experiment
    page.locator("#mlp-step").click()
    expect(page.locator("#mlp-status")).to_contain_text("Step 20 ")
    page.locator("#mlp-dataset label", has_text="Spiral").click()
    expect(page.locator("#mlp-status")).to_contain_text("Settings changed", timeout=30_000)
    expect(page.locator("#mlp-status")).to_contain_text("Step 0 ")
    assert decode(page.locator("#mlp-config textarea").input_value()).dataset == "spiral"

    # ...and so does a value typed into a slider's box
    spiral = page.locator("#mlp-config textarea").input_value()
    box = page.locator("#mlp-points input[type=number]")
    box.fill("123")
    box.press("Enter")
    expect(page.locator("#mlp-config textarea")).not_to_have_value(spiral, timeout=30_000)
    assert decode(page.locator("#mlp-config textarea").input_value()).points == 123

    # the learner's CSV file becomes the data; a bad one gets its line named
    good, bad = tmp_path / "blobs.csv", tmp_path / "bad.csv"
    good.write_text(points_to_csv(make_points("blobs", count=120, noise=0.2, classes=3, seed=1)))
    bad.write_text("x,y,label\n1,2,a\n3,oops,b\n")
    page.locator("#mlp-data input[type=file]").set_input_files(str(good))
    expect(page.locator("#mlp-status")).to_contain_text("120 points in 3 classes", timeout=30_000)
    expect(page.locator("#mlp-dataset input[value=csv]")).to_be_checked()
    page.locator("#mlp-data input[type=file]").set_input_files(str(bad))
    expect(page.locator(".toast-body").first).to_contain_text("Line 3: 'oops' is not a number")

    # a pasted experiment string restores every control
    page.locator("#mlp-config textarea").fill(XOR_WITHOUT_ACTIVATION)
    page.locator("#mlp-load").click()
    status = page.locator("#mlp-status")
    expect(status).to_contain_text("replayed to step 30", timeout=30_000)
    expect(status).to_contain_text("straight line")  # no activation: the linear collapse
    expect(page.locator("#mlp-dataset input[value=xor]")).to_be_checked()
    expect(page.locator("#mlp-layers input[type=number]")).to_have_value("1")
    expect(page.locator("#mlp-act-1 input")).to_have_value("none")
    expect(page.locator("#mlp-layer-2")).to_be_hidden()
    expect(page.locator("#mlp-neurons .ytick").first).to_contain_text("layer 1 (none)")

    page.locator("#mlp-config textarea").fill("not an experiment")
    page.locator("#mlp-load").click()
    expect(page.locator(".toast-body", has_text="This is not an experiment string")).to_be_visible()
    # a setting name that is HTML is shown as its characters: no picture fetched, no link (issue 22)
    page.locator("#mlp-config textarea").fill('{"<img src=\'/favicon.ico\'> [Log in](/x)": 1}')
    page.locator("#mlp-load").click()
    toast = page.locator(".toast-body", has_text="that this playground does not know")
    expect(toast).to_contain_text("<img src='/favicon.ico'")
    assert toast.locator("img, a").count() == 0


def test_a_shared_link_opens_the_tab_with_its_experiment(page, app_url):
    page.goto(f"{app_url}/?mlp={urllib.parse.quote(XOR_WITHOUT_ACTIVATION)}")
    status = page.locator("#mlp-status")  # no click on the tab: the link selects it
    expect(status).to_contain_text("replayed to step 30", timeout=60_000)
    expect(page.locator("#mlp-config textarea")).to_have_value(XOR_WITHOUT_ACTIVATION)
    href = page.locator("#mlp-link a").get_attribute("href")
    assert href.endswith(f"?mlp={XOR_WITHOUT_ACTIVATION}")


def test_in_chinese_and_back_to_english(page_factory, app_url):
    page = page_factory(locale="zh-CN")
    page.goto(app_url)
    page.get_by_role("tab", name="§1 · 多层感知机游乐场").click()
    expect(page.locator("#mlp-status")).to_contain_text("第 0 步", timeout=60_000)
    expect(page.locator("#mlp-boundary .gtitle").first).to_have_text("第 0 步后的决策图")
    expect(page.locator("#mlp-play")).to_contain_text("播放")
    _screenshot(page, "mlp-zh")
    page.locator("#lang label", has_text="English").click()
    expect(page.locator("#mlp-boundary .gtitle").first).to_have_text("Decision map after step 0")
    expect(page.locator("#mlp-status")).to_contain_text("Step 0")
    expect(page.locator("#mlp-download")).to_contain_text("These points as CSV")
