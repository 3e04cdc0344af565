"""The transfer-learning tab in Chromium: the four curves grow live, the table fills in, Stop works (in Chinese
too). (Closing the page ends its run: tests/browser/test_app.py.)"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_app import _plot, _screenshot

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

TAB_EN, TAB_ZH = "§10 · Transfer learning", "§10 · 迁移学习"


def _open(page, app_url, tab=TAB_EN):
    page.goto(app_url)
    page.get_by_role("tab", name=tab).click()
    expect(page.locator("#tab-transfer")).to_be_visible()


def _set_epochs(page, epochs: int) -> None:
    box = page.locator("#xfer-epochs input[type=number]")
    box.fill(str(epochs))
    box.press("Enter")


def _points(page) -> int:
    """How many epochs (0 = before training) the first accuracy curve shows."""
    return page.evaluate("() => { const gd = document.querySelector('#xfer-curves .js-plotly-plot');"
                         " return gd && gd.data ? gd.data[0].x.length : 0; }")


def test_a_comparison_draws_four_curves_and_the_table(page, app_url):
    _open(page, app_url)
    _plot(page, "xfer-examples")  # source vs target pictures, on load
    expect(page.locator("#xfer-examples .ytick").first).to_contain_text("source")
    _set_epochs(page, 6)
    page.locator("#xfer-start").click()
    expect(page.locator("#xfer-status")).to_contain_text("epoch", timeout=60_000)
    _plot(page, "xfer-curves")
    expect(page.locator("#xfer-status")).to_contain_text("✅", timeout=180_000)
    assert _points(page) == 7
    legend = page.locator("#xfer-curves .legendtext")
    expect(legend).to_have_count(4)
    expect(legend.nth(2)).to_have_text("③ new FC layer on top")
    table = page.locator("#xfer-table table")
    expect(table.locator("tbody tr")).to_have_count(4)
    expect(table).to_contain_text("Trainable parameters")
    expect(table.locator("tbody tr").first).to_contain_text("121,182 (100%)")
    _screenshot(page, "transfer")


def test_stop_keeps_every_epoch_already_drawn_in_chinese(page_factory, app_url):
    page = page_factory(locale="zh-CN")
    _open(page, app_url, TAB_ZH)
    _set_epochs(page, 30)
    page.locator("#xfer-start").click()
    page.wait_for_function("() => { const gd = document.querySelector('#xfer-curves .js-plotly-plot');"
                           " return gd && gd.data && gd.data[3].x.length >= 2; }", timeout=120_000)
    page.locator("#xfer-stop").click()
    expect(page.locator("#xfer-status")).to_contain_text("已停止", timeout=60_000)
    counts = page.evaluate("() => document.querySelector('#xfer-curves .js-plotly-plot').data"
                           ".filter(t => !t.xaxis || t.xaxis === 'x').map(t => t.x.length)")
    # every epoch a strategy finished stays (they train in turn: at most one epoch apart); the table compares them
    # after the epochs all four finished
    assert len(counts) == 4 and 2 <= min(counts) and max(counts) - min(counts) <= 1 and max(counts) < 31
    expect(page.locator("#xfer-table table")).to_contain_text("可训练参数")
    expect(page.locator("#xfer-table table")).to_contain_text(f"{min(counts) - 1} 轮后")
    _screenshot(page, "transfer-zh")
