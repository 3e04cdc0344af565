"""Attribution on an ImageNet-sized network: torchvision's ResNet-18 at 224 pixels, batch 1 (random weights —
the cost does not depend on them, and nothing is downloaded).

Grad-CAM is one forward and a partial backward, so its floor is a bare forward pass (goal ≤ 3×: our extra
prediction pass for the probability, captum's hooks and the backward). IG's floor is captum's own
IntegratedGradients with the same steps, batch and baseline (goal ≤ 1.2×: what the lesson adds — a clone, the
lock, the prediction pass, progress — must stay small against 32 forward-backward passes). Saliency and
occlusion are shown against the bare forward to read their absolute cost.
"""

from __future__ import annotations

import torch

from bench._util import Row, median_time
from playground import zoo
from playground.lessons import attribution as lesson
from playground.lessons.networks import Network

SIZE, STEPS, BATCH = 224, 32, 16


def _network() -> Network:
    import torchvision

    torch.manual_seed(0)
    model = torchvision.models.resnet18(weights=None).eval()
    return Network("resnet", "imagenet", "ResNet-18 (random weights)", model,
                   tuple(f"class {i}" for i in range(1000)),
                   zoo.InputSpec(SIZE, mean=(0.485, 0.456, 0.406), std=(0.229, 0.224, 0.225), resize=256),
                   "layer4", True)


def run() -> list[Row]:
    from captum.attr import IntegratedGradients

    network = _network()
    model = network.model
    torch.manual_seed(1)
    x = torch.randn(1, 3, SIZE, SIZE)
    with torch.no_grad():
        target = int(model(x).argmax())

    def forward():
        with torch.no_grad():
            model(x)

    def captum_ig():
        IntegratedGradients(model).attribute(x, baselines=0.0, target=target, n_steps=STEPS,
                                             internal_batch_size=BATCH, return_convergence_delta=True)

    bare = median_time(forward, repeats=15, warmup=3)
    cam = median_time(lambda: lesson.attribute(network, x, "grad_cam"), repeats=9)
    saliency = median_time(lambda: lesson.attribute(network, x, "saliency"), repeats=9)
    # interleaved, so a slow spell of the machine hits both sides of the ratio alike
    ours_ig, theirs_ig = [], []
    for _ in range(3):
        ours_ig.append(median_time(lambda: lesson.attribute(network, x, "integrated_gradients", n_steps=STEPS,
                                                            internal_batch_size=BATCH), repeats=1, warmup=1))
        theirs_ig.append(median_time(captum_ig, repeats=1, warmup=1))
    occlusion = median_time(lambda: lesson.attribute(network, x, "occlusion"), repeats=2, warmup=1)
    print(f"attribution: ResNet-18 at {SIZE}, batch 1, bare forward {bare * 1e3:.1f} ms "
          f"({torch.get_num_threads()} threads)")
    return [
        Row(f"Grad-CAM (layer4), ResNet-18 {SIZE}", cam, bare, "bare forward (no_grad)", "≤ 3×"),
        Row(f"integrated gradients, {STEPS} steps, batch {BATCH}", min(ours_ig), min(theirs_ig),
            "captum IntegratedGradients, same settings", "≤ 1.2×"),
        Row("saliency (absolute time)", saliency, bare, "bare forward (no_grad)"),
        Row("occlusion, patch 28 stride 14 (225 places)", occlusion, bare, "bare forward (no_grad)"),
    ]
