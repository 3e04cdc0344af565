"""Deep Learning Playground: ``python app.py`` (add ``--host 0.0.0.0`` to serve your network)."""

import argparse
import logging
import os
import signal

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # offline first: no version-check call home

from playground.runtime import own_file_folder, remove_own_file_folder  # noqa: E402

if "GRADIO_TEMP_DIR" not in os.environ:  # before Gradio reads it: this server's files in a folder of its own
    os.environ["GRADIO_TEMP_DIR"] = str(own_file_folder())

from playground.ui import build_app, exposure_warning, launch_options, prepare_queue  # noqa: E402

demo = prepare_queue(build_app())

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", help="address to bind (default 127.0.0.1; 0.0.0.0 on Spaces)")
    parser.add_argument("--port", type=int, help="port (default 7860, or the next free one)")
    parser.add_argument("--auth", metavar="USER:PASSWORD", help="ask for this login before the page opens")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # Gradio's own startup probes are not news
    options = launch_options(args.host, args.port)
    if args.auth:
        user, _, password = args.auth.partition(":")
        options["auth"] = (user, password)
    warning = exposure_warning(options.get("server_name"), login=bool(args.auth))
    if warning:
        logging.getLogger("playground").warning(warning)
    # SIGTERM (what Spaces, Docker and systemd send to stop) ends the server as Ctrl+C does, so the files go too; by
    # default the process would just die and leave them.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        demo.launch(**options)
    finally:
        remove_own_file_folder()
