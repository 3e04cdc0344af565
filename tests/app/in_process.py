"""The app's endpoints called in process, the way the launched server calls them, without HTTP.

``InProcessApp(build_app()).predict(*args, api_name=...)`` takes the same arguments as ``gradio_client``'s
``Client.predict`` (the hidden ``gr.State`` inputs left out) and runs Gradio's own ``Blocks.process_api``:
each component's preprocessing, the registered handler (which is the one wrapped by ``ui_errors``, so a failure
becomes the ``gr.Error`` the learner would see), then each component's postprocessing. Generator handlers are
run to their last output. A refused call raises what the server would turn into the error event: a
``gr.Error`` whose ``message`` the learner reads, or Gradio's own ``ComponentProcessingError`` when a component
cannot read the value before any handler runs (the server sends that without a message).

All calls share one session state, as all calls of one ``gradio_client.Client`` share one browser session: the
launched server's kind, ``LeanSessionState`` (Gradio's own reads the config of every component, ~0.1 s). The calls
run on an event loop of their own, in its own thread: the test's thread may already run one (Playwright's).
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import gradio as gr

from playground.ui.common.sessions import LeanSessionState


class InProcessApp:
    """One learner's session of a built (not launched) app; ``predict`` as ``gradio_client`` has it."""

    def __init__(self, demo: gr.Blocks) -> None:
        self.demo = demo
        self.endpoints = {f"/{fn.api_name}": fn for fn in demo.fns.values()
                          if fn.api_name and fn.api_visibility == "public"}
        assert not [name for name, fn in self.endpoints.items() if fn.validator is not None], \
            "an endpoint has a Gradio validator: run it here as the queue does"
        self.state = LeanSessionState(demo)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="in-process-app", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()

    def predict(self, *args: Any, api_name: str) -> tuple[Any, ...]:
        """The endpoint's outputs (the last ones of a generator), as postprocessed for the browser."""
        call = self._run(self.endpoints[api_name], list(args))
        return asyncio.run_coroutine_threadsafe(call, self._loop).result()

    async def _run(self, fn, args: list[Any]) -> tuple[Any, ...]:
        visible = iter(args)
        inputs = [None if block.stateful else next(visible) for block in fn.inputs]  # State values come from state
        assert next(visible, None) is None, f"too many arguments for /{fn.api_name}"
        out = await self.demo.process_api(block_fn=fn, inputs=inputs, state=self.state)
        last = out["data"]
        while out["is_generating"]:
            out = await self.demo.process_api(block_fn=fn, inputs=[], state=self.state, iterator=out["iterator"])
            if out["is_generating"]:
                last = out["data"]
        return tuple(last)
