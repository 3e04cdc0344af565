"""A class in real browsers: learners open ``python app.py`` in headless Chromium at the same moment, then each
works through ten actions across the tabs; and a long day of page loads, for the server's memory.

    python -m bench.classroom [learners]            # default 30
    python -m bench.classroom --pages N [learners]  # N page loads, a few at a time (default: none)

The server is a fresh ``python app.py`` in its own process; its CPU time and resident memory come from its own
counters (psutil), sampled every 0.2 s for the peak. Latencies are measured in each page: from the moment an
action is done (a click, a typed value, a file chosen) until the server's answer to the last request it caused
has arrived (the page's own queue messages, read by a small script in the page: ``RECORD_EVENTS``). Time to first
view: from ``page.goto`` to the activation tab's first figure on screen.

The browsers run on the same machine as the server: on a 2-core machine the pages' own work (Gradio's front end,
plotly) takes most of the CPU, so the browser-side times are an upper bound on what thirty learners on their own
laptops would see; the server's CPU-seconds per learner are the capacity figure (README "Serving a class").
"""

from __future__ import annotations

import asyncio
import os
import random
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bench._util import free_port

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "assets" / "examples"
CHROMIUM = "/usr/bin/chromium"
CHROME_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-renderer-backgrounding", "--disable-background-timer-throttling",
               "--disable-backgrounding-occluded-windows",
               "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
ACTION_TIMEOUT_S = int(os.environ.get("CLASSROOM_TIMEOUT", 600))
THINK_SECONDS = (0.5, 2.0)  # a learner's pause between two actions

# Runs in every page before Gradio's scripts: notes when each queued request was sent (its event id, from the
# answer to /queue/join) and when its "process_completed" message arrived on the page's event stream.
RECORD_EVENTS = r"""
(() => {
  const sent = window.__sent = {}, done = window.__done = {};
  const fetchFirst = window.fetch;
  window.fetch = async function (input, init) {
    const url = typeof input === 'string' ? input : (input && input.url) || String(input);
    const at = performance.now();
    const response = await fetchFirst.apply(this, arguments);
    if (url.includes('/queue/join')) {
      response.clone().json().then(j => { if (j.event_id) sent[j.event_id] = at; }).catch(() => {});
    } else if (url.includes('/queue/data') && response.body) {
      const [mine, theirs] = response.body.tee();
      (async () => {  // the page closes its stream (an aborted fetch) when it is done with it
        const reader = mine.getReader(), decoder = new TextDecoder();
        let buffer = '';
        for (;;) {
          const {done: end, value} = await reader.read();
          if (end) break;
          buffer += decoder.decode(value, {stream: true});
          let i;
          while ((i = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, i); buffer = buffer.slice(i + 1);
            if (!line.startsWith('data:')) continue;
            try {
              const msg = JSON.parse(line.slice(5));
              if (msg.msg === 'process_completed') done[msg.event_id] = [performance.now(), !!msg.success];
            } catch (e) {}
          }
        }
      })().catch(() => {});
      return new Response(theirs, {status: response.status, statusText: response.statusText,
                                   headers: response.headers});
    }
    return response;
  };
})();
"""


# --- the server ---------------------------------------------------------------------------------------------

class Server:
    """``python app.py`` on a free port, with its CPU time and resident memory (sampled for the peak)."""

    def __init__(self) -> None:
        import psutil

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False"}
        self.popen = subprocess.Popen([sys.executable, "app.py", "--port", str(self.port)], cwd=ROOT, env=env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.process = psutil.Process(self.popen.pid)
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(self.url, timeout=2).close()
                break
            except OSError:
                if time.monotonic() > deadline or self.popen.poll() is not None:
                    raise RuntimeError("the app did not start") from None
                time.sleep(0.5)
        self.peak = 0
        self._sampling = True
        threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self) -> None:
        while self._sampling:
            self.peak = max(self.peak, self.rss())
            time.sleep(0.2)

    def rss(self) -> int:
        return self.process.memory_info().rss

    def disk(self) -> int:
        """Bytes in the server's file folder (``runtime.own_file_folder``), Gradio's copies of the examples included."""
        from playground.runtime import OWN_FILES

        return sum(path.stat().st_size for path in (OWN_FILES / str(self.popen.pid)).rglob("*") if path.is_file())

    def cpu(self) -> float:
        times = self.process.cpu_times()
        return times.user + times.system

    def stop(self) -> None:
        self._sampling = False
        self.popen.terminate()
        self.popen.wait(30)


# --- one learner ---------------------------------------------------------------------------------------------

def _label(key: str, lang: str = "en") -> str:
    from playground.i18n import t

    return t(key, lang)


async def _open_tab(page, key: str) -> None:
    await page.get_by_role("tab", name=_label(key)).click()


async def _type(page, selector: str, text: str) -> None:
    box = page.locator(selector).locator("textarea, input").first
    await box.fill(text)
    await box.press("Enter")


async def softmax(page, rng: random.Random) -> None:
    await page.get_by_role("tab", name=_label("act.sub.softmax")).click()
    await _type(page, "#softmax-numbers", ", ".join(f"{rng.uniform(-3, 3):.1f}" for _ in range(4)))


async def conv_opened(page, rng: random.Random) -> None:
    await _open_tab(page, "conv.tab")


async def conv_kernel(page, rng: random.Random) -> None:
    await _type(page, "#conv-kernel", str(rng.choice([2, 4, 5])))


async def features_opened(page, rng: random.Random) -> None:
    await _open_tab(page, "feat.tab")


async def features_upload(page, rng: random.Random) -> None:
    digits = sorted(EXAMPLES.glob("digit-*.png"))
    await page.locator("#feat-image input[type=file]").set_input_files(str(rng.choice(digits)))


async def segmentation_opened(page, rng: random.Random) -> None:
    await _open_tab(page, "seg.tab")


async def attention_opened(page, rng: random.Random) -> None:
    await _open_tab(page, "attn.tab")


async def attention_date(page, rng: random.Random) -> None:
    day, month, year = rng.randint(1, 28), rng.choice(["March", "July", "October"]), rng.randint(1950, 2049)
    await _type(page, "#attn-text", f"{day} {month} {year}")


async def chinese(page, rng: random.Random) -> None:
    await page.locator("#lang label", has_text="中文").click()


async def train_one_epoch(page, rng: random.Random) -> None:
    await page.get_by_role("tab", name=_label("train.tab", "zh")).click()  # the page is in Chinese by now
    await _type(page, "#train-epochs", "1")
    await page.locator("#train-start").click()


# (name, action, counted in the action latencies: training is reported on its own)
ACTIONS = [("softmax typed", softmax, True), ("conv tab opened", conv_opened, True),
           ("conv kernel changed", conv_kernel, True), ("feature tab opened", features_opened, True),
           ("picture uploaded", features_upload, True), ("segmentation tab opened", segmentation_opened, True),
           ("attention tab opened", attention_opened, True), ("date typed", attention_date, True),
           ("language switched", chinese, True), ("one epoch trained", train_one_epoch, False)]


@dataclass
class Learner:
    first_view_s: float | None = None
    latencies: dict[str, float] = field(default_factory=dict)
    failed_requests: int = 0
    page_errors: list[str] = field(default_factory=list)


async def _settle(page, since: float, timeout: float = ACTION_TIMEOUT_S) -> tuple[float, int]:
    """Wait until every request the page sent after ``since`` (its clock) has been answered and nothing new was
    sent for 0.5 s; (seconds from ``since`` to the last answer, failed requests)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = await page.evaluate("""since => {
            const ids = Object.keys(window.__sent).filter(id => window.__sent[id] >= since);
            const open = ids.filter(id => !(id in window.__done));
            const last = Math.max(0, ...ids.map(id => window.__sent[id]));
            const answered = ids.filter(id => id in window.__done).map(id => window.__done[id]);
            return {count: ids.length, open: open.length, quiet: performance.now() - last,
                    end: Math.max(since, ...answered.map(a => a[0])),
                    failed: answered.filter(a => !a[1]).length};
        }""", since)
        if state["count"] and not state["open"] and state["quiet"] > 500:
            return (state["end"] - since) / 1000, state["failed"]
        await asyncio.sleep(0.1)
    raise TimeoutError("the server did not answer")


async def learner(browser, url: str, index: int, start: asyncio.Event, result: Learner) -> None:
    rng = random.Random(index)
    context = await browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    await context.add_init_script(RECORD_EVENTS)
    page = await context.new_page()
    page.set_default_timeout(ACTION_TIMEOUT_S * 1000)
    page.on("pageerror", lambda error: result.page_errors.append(str(error)))
    await start.wait()
    began = time.monotonic()
    try:
        await page.goto(url)
        await page.locator("#act-curves-plot .js-plotly-plot").wait_for()
        result.first_view_s = time.monotonic() - began
        _, failed = await _settle(page, 0)
        result.failed_requests += failed
        for name, action, _ in ACTIONS:
            await asyncio.sleep(rng.uniform(*THINK_SECONDS))
            since = await page.evaluate("performance.now()")
            await action(page, rng)
            result.latencies[name], failed = await _settle(page, since)
            result.failed_requests += failed
    except Exception as error:  # noqa: BLE001 - a learner who got stuck is counted, not fatal to the bench
        result.page_errors.append(f"{type(error).__name__}: {error}"[:300])
    finally:
        await context.close()


# --- the runs ------------------------------------------------------------------------------------------------

def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def _class_at_once(server: Server, learners: int) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
        await _one_page(browser, server.url)  # warm-up: models loaded, the allocator at its working size
        cpu, rss = server.cpu(), server.rss()
        server.peak = rss
        start, results = asyncio.Event(), [Learner() for _ in range(learners)]
        tasks = [asyncio.create_task(learner(browser, server.url, i, start, r)) for i, r in enumerate(results)]
        await asyncio.sleep(2)  # every context made: then all pages open at the same moment
        began = time.monotonic()
        start.set()
        await asyncio.gather(*tasks)
        wall = time.monotonic() - began
        await browser.close()
    used = server.cpu() - cpu
    first = [r.first_view_s for r in results if r.first_view_s is not None]
    counted = {name for name, _, counts in ACTIONS if counts}
    actions = [s for r in results for name, s in r.latencies.items() if name in counted]
    training = [r.latencies["one epoch trained"] for r in results if "one epoch trained" in r.latencies]
    stuck = [r for r in results if r.page_errors]
    print(f"\n{learners} learners at once, {len(ACTIONS)} actions each ({wall:.0f} s in all; "
          f"server warm, after one page load; browsers on the same machine)")
    print(f"time to first view     p50 {_percentile(first, .5):5.1f} s   p95 {_percentile(first, .95):5.1f} s")
    print(f"action latency         p50 {_percentile(actions, .5):5.1f} s   p95 {_percentile(actions, .95):5.1f} s"
          f"   ({len(actions)} actions, training excluded)")
    for name, _, _ in ACTIONS:
        each = [r.latencies[name] for r in results if name in r.latencies]
        if each:
            print(f"  {name:<24} p50 {_percentile(each, .5):5.1f} s   p95 {_percentile(each, .95):5.1f} s")
    if training:
        print(f"one epoch of training   p50 {_percentile(training, .5):5.1f} s   max {max(training):5.1f} s")
    print(f"server CPU             {used:.0f} s in all, {used / learners:.1f} s per learner")
    print(f"server memory          {rss / 2**20:,.0f} MiB before, peak {server.peak / 2**20:,.0f} MiB "
          f"(+{(server.peak - rss) / 2**20 / learners:.0f} MiB per learner)")
    print(f"errors                 {sum(r.failed_requests for r in results)} failed requests, "
          f"{len(stuck)} learners with a page error or stuck")
    for error in sorted({e for r in stuck for e in r.page_errors})[:8]:
        print("   ", error)


async def _one_page(browser, url: str, *, open_features: bool = True) -> None:
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    await context.add_init_script(RECORD_EVENTS)
    page = await context.new_page()
    await page.goto(url)
    await page.locator("#act-curves-plot .js-plotly-plot").wait_for(timeout=120_000)
    await _settle(page, 0)
    if open_features:  # the figures a session kept the most of
        since = await page.evaluate("performance.now()")
        await features_opened(page, random.Random(0))
        await _settle(page, since)
    await context.close()


async def _many_pages(server: Server, pages: int, at_once: int = 3, warm_up: int = 10) -> None:
    """``pages`` page loads, ``at_once`` at a time, each opening the feature-map tab and closing: resident memory
    after the warm-up, along the way, and a minute after the last page closed (sessions forgotten)."""
    from playwright.async_api import async_playwright

    from playground.limits import CLOSED_SESSION_SECONDS

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
        done, marks = 0, {}
        disk_before = server.disk()
        began = time.monotonic()
        while done < pages:
            batch = min(at_once, pages - done)
            await asyncio.gather(*(_one_page(browser, server.url) for _ in range(batch)))
            done += batch
            if (done >= warm_up and not marks) or done % 50 < at_once or done == pages:
                marks[done] = server.rss()
        await browser.close()
    wall = time.monotonic() - began
    disk_open = server.disk()
    await asyncio.sleep(CLOSED_SESSION_SECONDS + 10)
    settled, disk_after = server.rss(), server.disk()
    warm = marks[min(marks)]
    print(f"\n{pages} page loads, {at_once} at a time, each opening the feature-map tab ({wall:.0f} s)")
    print("resident memory after " + ", ".join(f"{n}: {rss / 2**20:,.0f}" for n, rss in marks.items()) + " MiB")
    print(f"{CLOSED_SESSION_SECONDS + 10} s after the last page closed: {settled / 2**20:,.0f} MiB "
          f"({(settled - warm) / warm:+.1%} from after the warm-up; goal ≤ +10 %)")
    print(f"files on the server     {disk_before / 2**20:,.1f} MiB before, {disk_open / 2**20:,.1f} MiB after the "
          f"last page, {disk_after / 2**20:,.1f} MiB once its session was forgotten (goal: as before)")


def main(argv: list[str]) -> None:
    pages = 0
    if "--pages" in argv:
        i = argv.index("--pages")
        pages = int(argv[i + 1])
        del argv[i:i + 2]
    learners = int(argv[0]) if argv else 30
    server = Server()
    try:
        if learners:
            asyncio.run(_class_at_once(server, learners))
        if pages:
            asyncio.run(_many_pages(server, pages))
    finally:
        server.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
