"""Deep Learning Playground: ``python app.py`` (add ``--host 0.0.0.0`` to serve your network)."""

import argparse
import logging
import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # offline first: no version-check call home

from playground.ui import build_app, launch_options, prepare_queue  # noqa: E402

demo = prepare_queue(build_app())

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", help="address to bind (default 127.0.0.1; 0.0.0.0 on Spaces)")
    parser.add_argument("--port", type=int, help="port (default 7860, or the next free one)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # Gradio's own startup probes are not news
    demo.launch(**launch_options(args.host, args.port))
