"""Run the benchmarks and print one table of ratios: ``python -m bench [name ...]``."""

from __future__ import annotations

import os
import sys

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

from bench import attention, attribution, cold_start, conv, feature_maps, recurrent, segmentation, train  # noqa: E402
from bench._util import print_table  # noqa: E402

BENCHES = {"cold_start": cold_start, "conv": conv, "train": train, "feature_maps": feature_maps,
           "attribution": attribution, "segmentation": segmentation, "recurrent": recurrent,
           "attention": attention}


def main(names: list[str]) -> None:
    from playground.runtime import default_device, describe_device

    rows = []
    for name in names or list(BENCHES):
        rows += BENCHES[name].run()
    print_table(rows, describe_device(default_device()))


if __name__ == "__main__":
    main(sys.argv[1:])
