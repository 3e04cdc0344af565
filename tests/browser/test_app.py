"""The app in a real browser: headless Chromium driven by Playwright, against a launched server."""

from __future__ import annotations

import json
import os
import re
import shutil
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "browser" / "artifacts"


# the ones README.md shows, from docs/
PUBLISHED = {"screenshot", "training", "conv", "transposed-zh", "features", "compare-zh", "segmentation",
             "recurrent", "mlp", "transfer", "attention", "vit-zh"}


def _screenshot(page, name: str) -> Path | None:
    """With SCREENSHOTS=1, save a screenshot under tests/browser/artifacts (a learner's pass to look at);
    UPDATE_SCREENSHOTS=1 also refreshes the ones README.md shows, in docs/. Off by default: a full-page
    screenshot and the wait before it cost the suite ~1 s each."""
    update = bool(os.environ.get("UPDATE_SCREENSHOTS")) and name in PUBLISHED
    if not (update or os.environ.get("SCREENSHOTS")):
        return None
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    expect(page.locator(".eta-bar")).to_have_count(0)  # no request still running (its output is faded)
    page.wait_for_timeout(400)  # ...and the fade-in finished
    page.screenshot(path=str(path), full_page=True)
    if update:
        (ROOT / "docs").mkdir(exist_ok=True)
        shutil.copy(path, ROOT / "docs" / path.name)
    return path


def _plot(page, elem_id: str):
    plot = page.locator(f"#{elem_id} .js-plotly-plot")
    expect(plot).to_be_visible()
    return plot


def _title(page, elem_id: str) -> str:
    _plot(page, elem_id)
    return page.locator(f"#{elem_id} .gtitle").first.text_content()


CONV_VIEWS = {"conv", "pool", "transposed", "separable_cost"}
ACTIVATION_VIEWS = {"activation_curves", "neuron", "softmax", "linear_collapse", "losses"}


def _record_views(page, app_url) -> list[str]:
    """The views this page asks the server for, by endpoint name, in order (opening a tab and switching language
    left out)."""
    with urllib.request.urlopen(f"{app_url}/config") as answer:
        names = {d["id"]: d["api_name"] for d in json.load(answer)["dependencies"]}
    asked: list[str] = []

    def record(request):
        if request.method == "POST" and "/queue/join" in request.url:
            name = names.get(json.loads(request.post_data or "{}").get("fn_index"))
            if name and not name.startswith(("open_page", "open_tab", "set_language")):
                asked.append(name)

    page.on("request", record)
    return asked


def _settled(page) -> None:
    page.wait_for_timeout(500)  # a select event's answer, and the views it starts, have been asked for
    expect(page.locator(".eta-bar")).to_have_count(0)


def test_a_page_computes_only_the_tab_on_screen_and_redraws_it_in_the_learners_language(page_factory, app_url):
    page = page_factory()
    asked = _record_views(page, app_url)
    page.goto(app_url)
    expect(page.locator("#act-curves-plot .gtitle")).to_contain_text("derivative")
    _settled(page)
    assert set(asked) == ACTIVATION_VIEWS, asked  # not the eight other tabs' views

    del asked[:]
    page.get_by_role("tab", name="§2 · Convolution & pooling").click()  # drawn when opened
    expect(page.locator("#conv-check")).to_contain_text("Matches PyTorch")
    _settled(page)
    assert set(asked) == CONV_VIEWS, asked

    del asked[:]
    page.locator("#lang label", has_text="中文").click()
    expect(page.locator("#conv-check")).to_contain_text("与 PyTorch")  # the tab on screen is redrawn at once
    _settled(page)
    assert set(asked) == CONV_VIEWS, asked

    del asked[:]
    page.get_by_role("tab", name="§1 · 神经元与激活函数").click()  # redrawn when opened, in the new language
    expect(page.locator("#act-curves-plot .gtitle")).to_contain_text("导数")  # figures, not only the labels
    expect(page.get_by_role("tab", name="单个神经元")).to_be_visible()
    expect(page.locator("#lang")).to_contain_text("语言")
    _settled(page)
    assert set(asked) == ACTIVATION_VIEWS, asked
    _screenshot(page, "activations-zh")

    del asked[:]
    page.get_by_role("tab", name="§2 · 卷积与池化").click()  # already drawn in this language: nothing asked
    _settled(page)
    expect(page.locator("#conv-check")).to_contain_text("与 PyTorch")
    assert asked == []

    page.get_by_role("tab", name="§1 · 神经元与激活函数").click()
    page.locator("#lang label", has_text="English").click()  # and back
    expect(page.get_by_role("tab", name="§1 · Neurons & activations")).to_be_visible()
    expect(page.locator("#act-curves-plot .gtitle")).to_contain_text("derivative")

    # ?tab= opens the page on that tab. (Gradio's tabs report the first tab selected as they mount; when that
    # report comes after the page's opening, the first tab is drawn too.)
    page = page_factory()
    asked = _record_views(page, app_url)
    page.goto(app_url + "/?tab=conv")
    expect(page.get_by_role("tab", name="§2 · Convolution & pooling")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#conv-check")).to_contain_text("Matches PyTorch")
    _settled(page)
    assert CONV_VIEWS <= set(asked) <= CONV_VIEWS | ACTIVATION_VIEWS, asked


def test_a_chinese_browser_starts_in_chinese_and_gets_its_messages_in_chinese(page_factory, app_url):
    page = page_factory(locale="zh-CN")
    page.goto(app_url)
    expect(page.get_by_role("tab", name="§1 · 神经元与激活函数")).to_be_visible()
    expect(page.locator("#lang input[value=zh]")).to_be_checked()
    x_max = page.locator("#act-xmax input[type=number]")
    x_max.fill("80")  # beyond the box's end: the lesson's message, naming the box (components.LessonNumber)
    x_max.press("Enter")
    expect(page.locator(".toast-body", has_text="x 终点 必须在 -50.0 到 50.0 之间")).to_be_visible()
    page.get_by_role("tab", name="Softmax").click()
    box = page.locator("#softmax-numbers textarea")
    box.fill("3, banana")
    box.press("Enter")
    expect(page.locator(".toast-body", has_text="“banana”不是数字")).to_be_visible()
    # the heading too (browser.toast_titles_head)
    expect(page.locator(".toast-title").first).to_contain_text("无法计算")


def test_lang_parameter_in_the_address_wins(page, app_url):
    page.goto(app_url + "/?lang=zh")
    expect(page.get_by_role("tab", name="§1 · 神经元与激活函数")).to_be_visible()


def test_the_activations_tab_with_an_example_the_learners_numbers_and_a_bad_one(page, app_url):
    page.goto(app_url)
    _plot(page, "act-curves-plot")
    page.get_by_role("tab", name="Softmax").click()
    _plot(page, "softmax-plot")
    expect(page.locator("#softmax-md")).to_contain_text("0.8789")  # the primer's 3, 1, -3
    _screenshot(page, "screenshot")

    page.locator("table tr", has_text="1000, 1001").first.click()  # an example computes at once
    expect(page.locator("#softmax-md")).to_contain_text("0.7311")
    expect(page.locator("#softmax-md")).to_contain_text("NaN")  # the unshifted formula overflowed

    box = page.locator("#softmax-numbers textarea")
    box.fill("3, banana")
    box.press("Enter")
    expect(page.locator(".toast-body").first).to_contain_text("'banana' is not a number")
    expect(page.locator(".toast-title").first).to_have_text("Cannot compute this")
    # the last good picture stays, with no "Error" badge over it (assets/playground.css)
    expect(page.locator("#softmax-plot .js-plotly-plot")).to_be_visible()
    expect(page.locator("#softmax-plot [data-testid=status-tracker] .error")).to_have_count(1)
    expect(page.locator("#softmax-plot [data-testid=status-tracker] .error")).to_be_hidden()
    # ...labelled as the last good result, the table beside it too (ui/common/context.py: follow_staleness)
    for shown in ("#softmax-plot", "#softmax-md"):
        expect(page.locator(shown)).to_have_attribute("data-stale", re.compile("Last good result"))
    _screenshot(page, "softmax-error")
    box.fill("2, 1, 0.1")  # the app keeps working after the error
    box.press("Enter")
    expect(page.locator("#softmax-md")).to_contain_text("0.6590")
    expect(page.locator("#softmax-plot")).not_to_have_attribute("data-stale", re.compile(".*"))

    for tab, plot_id in [("A single neuron", "act-neuron-plot"), ("Why activations?", "collapse-plot"),
                         ("MSE vs cross-entropy", "loss-plot")]:
        page.get_by_role("tab", name=tab).click()
        _plot(page, plot_id)
    _screenshot(page, "losses")


def _frame_count(page, elem_id: str) -> int:
    return page.evaluate(
        f"() => {{ const gd = document.querySelector('#{elem_id} .js-plotly-plot');"
        " return gd && gd._transitionData ? gd._transitionData._frames.length : -1; }")


def _note(page, elem_id: str) -> str:
    return page.evaluate(f"() => document.querySelector('#{elem_id} .js-plotly-plot')._fullLayout.annotations"
                         ".map(a => a.text).join(' | ')")


def test_conv_animation_plays_follows_the_controls_and_the_learners_numbers(page, app_url):
    page.goto(app_url)
    page.get_by_role("tab", name="§2 · Convolution & pooling").click()
    _plot(page, "conv-anim")
    # 5×5 input, 3×3 kernel, no padding: 9 output cells, one frame each, re-attached in the browser.
    page.wait_for_function("() => document.querySelector('#conv-anim .js-plotly-plot')"
                           "._transitionData._frames.length === 9")
    expect(page.locator("#conv-check")).to_contain_text("Matches PyTorch")
    first = _note(page, "conv-anim")
    page.locator("#conv-anim .updatemenu-button", has_text="Play").click()
    page.wait_for_function(f"() => document.querySelector('#conv-anim .js-plotly-plot')._fullLayout.annotations"
                           f".map(a => a.text).join(' | ') !== {first!r}", timeout=15_000)

    # A conv_arithmetic preset sets the sizes; the animation follows (dilation: 7×7, k3, d2 → 3×3).
    page.locator("#conv-preset input").click()
    page.get_by_role("option", name="Padding, strides (odd)").click()
    expect(page.locator("#conv-formula")).to_contain_text("⌊(6 + 2·1 − 1·(3 − 1) − 1) / 2⌋ + 1 = 3")
    page.wait_for_function("() => document.querySelector('#conv-anim .js-plotly-plot')"
                           "._transitionData._frames.length === 9")
    _screenshot(page, "conv")

    # the learner's own numbers: a ragged row gets a message, a square one a result
    page.get_by_text("Type your own numbers").first.click()
    box = page.locator("#conv-typed-input textarea")
    box.fill("1 2 3\n4 5")
    box.blur()
    expect(page.locator(".toast-body").first).to_contain_text("Row 2")
    box.fill("1 2 3\n4 5 6\n7 8 9")
    box.blur()
    # the preset's padding and stride stay
    expect(page.locator("#conv-formula")).to_contain_text("⌊(3 + 2·1 − 1·(3 − 1) − 1) / 2⌋ + 1 = 2")


def test_every_conv_view_renders_in_chinese(page_factory, app_url):
    page = page_factory(locale="zh-CN")
    page.goto(app_url)
    page.get_by_role("tab", name="§2 · 卷积与池化").click()
    for tab, plots in [("逐步演示卷积", ["conv-anim"]), ("池化（汇聚）", ["pool-anim"]),
                       ("转置卷积", ["t-scatter", "t-zero-insert", "t-matrix"]),
                       ("深度可分离卷积", ["separable-plot"])]:
        page.get_by_role("tab", name=tab, exact=True).click()
        for plot_id in plots:
            _plot(page, plot_id)
    expect(page.locator("#t-check")).to_contain_text("与 PyTorch")
    page.wait_for_function("() => document.querySelector('#t-scatter .js-plotly-plot')"
                           "._transitionData._frames.length > 0")
    _screenshot(page, "transposed-zh")


def _start_30_epochs(page, tab: str, prefix: str, running: str) -> None:
    """Open ``tab``, ask for 30 epochs and press Start; wait until #<prefix>-status says ``running``."""
    page.get_by_role("tab", name=tab).click()
    epochs = page.locator(f"#{prefix}-epochs input[type=number]")
    epochs.fill("30")
    epochs.press("Enter")
    page.locator(f"#{prefix}-start").click()
    expect(page.locator(f"#{prefix}-status")).to_contain_text(running, timeout=60_000)


def test_training_streams_curves_and_stops(page, app_url):
    page.goto(app_url)
    _start_30_epochs(page, "§1 · Training loop", "train", "held-out accuracy")
    _plot(page, "train-curves")
    page.wait_for_function("() => { const gd = document.querySelector('#train-curves .js-plotly-plot');"
                           " return gd && gd.data[3].x.length >= 2; }", timeout=60_000)  # two epochs drawn
    page.locator("#train-stop").click()
    expect(page.locator("#train-status")).to_contain_text("Stopped after", timeout=30_000)
    _plot(page, "train-confusion")
    expect(page.locator("#train-mistakes img").first).to_be_visible()
    expect(page.locator("#train-download")).to_contain_text("lenet-trained")
    _screenshot(page, "training")


def test_closing_the_page_stops_its_runs_and_gives_its_session_back(page, launched_app, monkeypatch):
    """A learner who closes the page leaves nothing running (its training, transfer comparison and MLP Play), and
    the server forgets its session soon after."""
    import threading
    import time

    from playground import limits
    from playground.ui import tab_mlp
    from playground.ui.common.files import _cache_keeper
    from playground.ui.common.sessions import ClosedSessions

    demo, app_url = launched_app
    monkeypatch.setattr(limits, "CLOSED_SESSION_SECONDS", 2)
    monkeypatch.setattr(ClosedSessions, "SWEEP_SECONDS", 0.5)
    before = set(demo.state_holder.session_data)
    page.goto(app_url)
    _start_30_epochs(page, "§1 · Training loop", "train", "held-out accuracy")

    _start_30_epochs(page, "§10 · Transfer learning", "xfer", "epoch")

    page.locator("#tab-mlp-button").click()
    expect(page.locator("#mlp-status")).to_contain_text("Step 0", timeout=60_000)
    page.locator("#mlp-play").click()
    expect(page.locator("#mlp-status")).to_contain_text("Playing", timeout=30_000)
    assert len(tab_mlp._PLAYS), "no Play stream is registered"  # the server runs in this process (conftest.py)

    def running() -> set[str]:
        kinds = {t.name.split("-")[0] for t in threading.enumerate() if t.is_alive()} & {"train", "transfer"}
        return kinds | ({"mlp play"} if len(tab_mlp._PLAYS) else set())

    assert running() == {"train", "transfer", "mlp play"}
    (session,) = set(demo.state_holder.session_data) - before
    keeper = _cache_keeper()
    held = list(keeper._held.get(session, ()))  # the files handed to this page (downloads, galleries)
    assert held and all(path.exists() for path in held)
    page.close()
    deadline = time.monotonic() + 60  # a Play alone would run ~100 s (MAX_MLP_PLAY_STEPS), a training longer
    while (running() or session in demo.state_holder.session_data) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not running(), f"still running after its page was closed: {running()}"
    assert session not in demo.state_holder.session_data, "the closed page's session is still kept"
    assert keeper.held_bytes(session) == 0
    for path in held:  # gone with the page, unless another page of the suite was handed the same file
        assert path.exists() == bool(keeper._holders.get(path)), path
    assert any(not path.exists() for path in held)


def test_a_request_refused_as_busy_is_sent_again_and_the_tab_fills(page_factory, launched_app, monkeypatch):
    """A page whose requests the server refuses as busy (503) shows a note, sends them again a little later, and
    ends with every view drawn: no blank panel, no error toast. Gradio's own page gave up at the first 503."""
    demo, app_url = launched_app
    monkeypatch.setattr(demo._queue, "work_per_session", 1)  # a page load asks for 7 at once: 6 refused at first
    page = page_factory(locale="zh-CN")
    page.goto(app_url)
    expect(page.locator("#busy-note")).to_contain_text("服务器正忙")
    expect(page.locator("#act-curves-plot .gtitle")).to_contain_text("导数", timeout=60_000)
    expect(page.locator("#busy-note")).to_be_hidden(timeout=60_000)
    _settled(page)
    assert page.evaluate("window.playgroundBusyRetries") > 0
    expect(page.locator(".toast-body")).to_have_count(0)
