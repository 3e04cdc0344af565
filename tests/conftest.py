"""Shared fixtures: a launched app on a free loopback port, a gradio_client, the app in process, and headless
Chromium.

Environment is set before gradio is imported: no analytics call home, a private temp/cache dir.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile

import pytest

# Under pytest-xdist the workers share the cores. PyTorch's OpenMP threads wait by spinning, so a worker using
# every core slows the others several times over (a network comparison: 2.1 s of CPU instead of 0.35 s on the
# busy 2-core machine). Each worker gets its share, set before anything imports torch.
if os.environ.get("PYTEST_XDIST_WORKER_COUNT"):
    _share = (os.cpu_count() or 1) // int(os.environ["PYTEST_XDIST_WORKER_COUNT"])
    os.environ.setdefault("OMP_NUM_THREADS", str(max(1, _share)))

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("GRADIO_TEMP_DIR", tempfile.mkdtemp(prefix="playground-gradio-"))
os.environ.setdefault("GRADIO_EXAMPLES_CACHE", tempfile.mkdtemp(prefix="playground-examples-"))

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROME_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def launched_app():
    """The app launched on a free loopback port, in this process: ``demo``, and its ``url``."""
    from playground.ui import build_app, launch_options, prepare_queue

    demo = prepare_queue(build_app())
    options = launch_options(port=_free_port())
    _, url, _ = demo.launch(prevent_thread_lock=True, quiet=True, **options)
    yield demo, url.rstrip("/")
    demo.close()


@pytest.fixture(scope="session")
def app_url(launched_app):
    return launched_app[1]


@pytest.fixture(scope="session")
def app_in_process():
    """The app built but not launched, its endpoints called in process (tests/app/in_process.py)."""
    from playground.ui import build_app
    from tests.app.in_process import InProcessApp

    app = InProcessApp(build_app())
    yield app
    app.close()


@pytest.fixture(scope="session")
def client(app_url):
    from gradio_client import Client

    return Client(app_url, verbose=False, download_files=False)


@pytest.fixture(scope="session")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        if os.environ.get("PLAYGROUND_REQUIRE_BROWSER"):
            pytest.fail(f"Chromium not found at {CHROMIUM}; the test command installs it (apt-get install chromium)")
        pytest.skip("Chromium not installed (apt-get install -y chromium fonts-wqy-microhei)")
    # a shared 2-core machine may be busy (a training in another tab): give the page time before failing
    sync_api.expect.set_options(timeout=15_000)
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def browser_contexts(browser):
    """One browser context per locale and window size, shared by the tests: each test gets new pages (each page
    is its own Gradio session), but Gradio's and plotly's scripts stay in the context's cache (a fresh context
    per test paid ~1–2 s more before the first picture)."""
    contexts: dict[tuple[str, int, int], object] = {}

    def get(locale: str, width: int, height: int):
        key = (locale, width, height)
        if key not in contexts:
            contexts[key] = browser.new_context(viewport={"width": width, "height": height}, locale=locale)
        return contexts[key]

    yield get
    for ctx in contexts.values():
        ctx.close()


def busy(message) -> bool:
    """Chromium's console line for a request the server refused as busy: the page sends it again (not an error)."""
    return "status of 503" in message.text


@pytest.fixture
def page_factory(browser_contexts):
    """New pages in a given locale; every page fails the test on a JavaScript error."""
    pages, errors = [], []

    def make(locale: str = "en-US", width: int = 1400, height: int = 1000):
        page = browser_contexts(locale, width, height).new_page()
        pages.append(page)
        page.set_default_timeout(30_000)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" and not busy(msg) else None)
        return page

    yield make
    for page in pages:
        if not page.is_closed():
            page.close()
    assert not errors, f"JavaScript errors in the page: {errors}"


@pytest.fixture
def page(page_factory):
    return page_factory()


# --- torchvision ImageNet weights: planted in a private torch.hub cache, never downloaded in tests ----------


@pytest.fixture
def hub_dir(tmp_path, monkeypatch):
    """A private torch.hub cache; any attempt to download fails the test loudly."""
    import torch

    original = torch.hub.get_dir()
    torch.hub.set_dir(str(tmp_path))

    def no_network(*args, **kwargs):
        raise OSError("tests never use the network")

    monkeypatch.setattr(torch.hub, "download_url_to_file", no_network)
    yield tmp_path
    torch.hub.set_dir(original)


@pytest.fixture
def plant(hub_dir):
    """``plant(name, **builder_kwargs)``: save torchvision's randomly initialised network where torch.hub looks
    for the real ImageNet checkpoint; returns (the planted network in eval mode, torchvision's weights enum)."""
    import torch
    import torchvision.models as tv_models

    from playground import zoo

    def _plant(name, **builder_kwargs):
        entry = zoo.get_entry(name)
        weights = tv_models.get_weight(entry.imagenet.weights)
        torch.manual_seed(0)
        planted = tv_models.get_model(entry.imagenet.builder, weights=None, **builder_kwargs)
        checkpoints = hub_dir / "checkpoints"
        checkpoints.mkdir(parents=True, exist_ok=True)
        torch.save(planted.state_dict(), checkpoints / os.path.basename(weights.url))
        return planted.eval(), weights

    return _plant


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory):
    """The hostile-input corpus (tests/corpus/files, with the large files made by its generator) in one folder,
    as a learner would upload them."""
    from tests.corpus.generate import materialise

    return materialise(tmp_path_factory.mktemp("corpus"))


# scripts/test.sh runs the suite in two passes: PLAYGROUND_BROWSER_TESTS=skip (everything else, on xdist workers),
# then =only (the Chromium tests, one at a time). An environment variable rather than -m, so that a learner's own
# -m "not slow" still combines with it.
def pytest_collection_modifyitems(config, items):
    which = os.environ.get("PLAYGROUND_BROWSER_TESTS", "")
    if which not in ("skip", "only"):
        return
    keep = [item for item in items if (item.get_closest_marker("browser") is not None) == (which == "only")]
    config.hook.pytest_deselected(items=[item for item in items if item not in keep])
    items[:] = keep
