"""Attention views against the bare passes they explain.

* The date Transformer: ``lessons.attention.read_date`` (greedy decoding, then one teacher-forced pass that
  returns every map) against bare greedy decoding, the work any use of the network does; then the whole
  tab's computation (the three maps, the lit source, one head's mechanism) against the same floor.
  The issue's trial: returning the weights from ``nn.MultiheadAttention`` cost almost nothing (5.5 ms vs 5.5 ms
  for a 2+2-layer, d = 128 model on 40 tokens); goal ≤ 1.5× for the attention view.
* The ViTs (the digits' one and torchvision's ViT-B/16): ``read_picture`` + rollout against one bare forward pass.
Random weights (the cost does not depend on them), sizes as bundled.
"""

from __future__ import annotations

import torch

from bench._util import Row, median_time
from playground import zoo
from playground.data import dates
from playground.lessons import attention as lesson

TEXT = "Thursday, 26 November 2026"


def run() -> list[Row]:
    torch.manual_seed(0)
    model = zoo.get_entry("transformer").build().eval()
    source = torch.tensor([dates.encode_source(TEXT)])

    def bare():
        model.greedy(source, bos=dates.BOS, eos=dates.EOS, max_steps=dates.TARGET_LENGTH + 1)

    def whole_view():
        reading = lesson.read_date(model, TEXT)
        for kind in lesson.KINDS:
            lesson.head_view(reading.maps(kind), 1, None)
        lesson.mechanism(model, reading, "cross", 1, 0, 3)

    floor_s = median_time(bare)
    floor = f"bare greedy decoding, {len(TEXT)} chars → 11 tokens ({floor_s * 1e3:.1f} ms)"
    rows = [Row("Transformer 2+2×64: read_date() (all maps)", median_time(lambda: lesson.read_date(model, TEXT)),
                floor_s, floor, "≤ 1.5×"),
            Row("Transformer: + head views and one head's mechanism", median_time(whole_view), floor_s, floor)]

    vit = zoo.get_entry("vit").build().eval()
    x = torch.randn(1, 3, 32, 32)

    def bare_vit():
        with torch.no_grad():
            vit(x)

    def vit_view():
        reading = lesson.read_picture(vit, x)
        reading.rollout_map()

    vit_s = median_time(bare_vit)
    rows.append(Row("ViT 4×64 on 32 px: read_picture() + rollout", median_time(vit_view), vit_s,
                    f"bare forward pass ({vit_s * 1e3:.1f} ms)", "≤ 1.5×"))

    # torchvision's ViT-B/16 (random weights: nothing is downloaded): its blocks skip the weights, which
    # read_picture recomputes with the same attention modules
    from torchvision.models import vit_b_16

    big = vit_b_16(weights=None).eval()
    photo = torch.randn(1, 3, 224, 224)

    def bare_big():
        with torch.no_grad():
            big(photo)

    def big_view():
        lesson.read_picture(big, photo).rollout_map()

    big_s = median_time(bare_big, repeats=5)
    rows.append(Row("ViT-B/16 on 224 px: read_picture() + rollout", median_time(big_view, repeats=5), big_s,
                    f"bare forward pass ({big_s * 1e3:.0f} ms)", "≤ 1.5×"))
    return rows
