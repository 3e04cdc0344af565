"""Every view's lesson on CUDA beside the CPU: same answers, no CPU/GPU mix-ups, and the time of each.

    python -m bench.gpu_check            # needs an NVIDIA GPU; prints a table and exits 1 if a check fails

The lessons take the device the learner picked in the header, so this runs each endpoint's computation with
``device="cuda"`` and ``"cpu"``, compares the results (float tolerance: TF32 convolutions on Ampere and later
round to about 1e-3), and prints the median time of each. No gradio needed: lessons and figures only.
The test suite stays CPU-only; results go to bench/RESULTS.md.
"""

from __future__ import annotations

import functools
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import torch

EXAMPLES = Path(__file__).resolve().parents[1] / "assets" / "examples"


def _time(fn: Callable[[], object], device: str, repeats: int = 5) -> float:
    fn()  # warm-up: kernels, caches, the model cache
    samples = []
    for _ in range(repeats):
        if device == "cuda":
            torch.cuda.synchronize()
        start = time.perf_counter()
        fn()
        if device == "cuda":
            torch.cuda.synchronize()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def _close(a: torch.Tensor, b: torch.Tensor, rel: float = 2e-2) -> float:
    a, b = a.detach().float().cpu(), b.detach().float().cpu()
    scale = float(a.abs().max().clamp_min(1e-6))
    worst = float((a - b).abs().max()) / scale
    if worst > rel:
        raise AssertionError(f"CPU and CUDA differ by {worst:.2e} (relative)")
    return worst


def views() -> dict[str, Callable[[str], torch.Tensor]]:
    """Each view's computation for a device, returning a tensor to compare across devices."""
    from playground import zoo
    from playground.data.digits import held_out_set, train_batches
    from playground.lessons import (
        activations,
        attention,
        attribution,
        compare,
        conv_inputs,
        convolution,
        feature_maps,
        mlp_experiment,
        mlp_playground,
        recurrent,
        segmentation,
        transfer,
        transposed,
    )
    from playground.lessons.images import open_image, prepare
    from playground.lessons.networks import resolve
    from playground.train.loop import TrainConfig, fit

    digit = open_image(EXAMPLES / "digit-7.png").image
    scene = open_image(EXAMPLES / "scene-1.png").image
    x32 = prepare(digit, size=32, mean=(0.5,) * 3, std=(0.5,) * 3).tensor
    text = 'The "print(x)" call writes x (and a newline) to the screen.'

    def mlp_steps(device: str) -> torch.Tensor:
        experiment = mlp_experiment.make_experiment(dataset="spiral", classes=3, hidden=[8, 8],
                                                    activations=["tanh", "tanh"], seed=2)
        playground = mlp_playground.Playground(experiment, device=device)
        playground.train(200)
        return torch.tensor(playground.history.train_loss[-10:])

    def transfer_race(device: str) -> torch.Tensor:
        config = transfer.make_config(network="lenet", per_class=5, epochs=2, lr=2e-3, seed=0, device=device)
        comparison = transfer.compare(config)
        return torch.tensor([curve.final_accuracy for curve in comparison.curves.values()])

    def train(device: str) -> torch.Tensor:
        torch.manual_seed(0)
        model = zoo.get_entry("lenet").build()
        config = TrainConfig(epochs=1, lr=1e-3, batch_size=64, device=device)
        small = held_out_set()[0][:200], held_out_set()[1][:200]
        batches = lambda epoch: (b for i, b in enumerate(train_batches(epoch=epoch, batch_size=64)) if i < 20)  # noqa: E731
        history = fit(model, batches, small, config)
        # not the weights: Adam moves every weight by ~lr whatever the gradient's size, so the last bits of
        # TF32 sums grow into a few % after 20 steps; what must agree is what the network learned
        return torch.tensor([history.epochs[-1].held_out_accuracy, 1.0])

    conv_x, conv_w, conv_b = conv_inputs.random_conv_example(in_channels=2, out_channels=2, height=7, width=7,
                                                              seed=0)
    return {
        "activations: 9 curves + autograd": lambda d: torch.stack(
            [c.y for c in activations.activation_curves(list(activations.ACTIVATION_NAMES)[:9], device=d)]),
        "conv2d steps 7×7, 2→2 channels": lambda d: convolution.conv2d_steps(conv_x, conv_w, conv_b, padding=1,
                                                                             device=d).output,
        "transposed conv three ways": lambda d: transposed.conv_transpose2d_three_ways(
            conv_x, conv_w.transpose(0, 1).contiguous(), stride=2, device=d).output,
        "training: LeNet, 20 batches": train,
        "feature maps: ResNet (bundled)": lambda d: feature_maps.feature_maps(resolve("resnet", "bundled", device=d),
                                                                             x32).logits,
        "Grad-CAM: ResNet (bundled)": lambda d: torch.from_numpy(attribution.attribute(
            resolve("resnet", "bundled", device=d), x32.to(d), "grad_cam").heat),
        "integrated gradients 32 steps: LeNet": lambda d: torch.from_numpy(attribution.attribute(
            resolve("lenet", "bundled", device=d), x32.to(d), "integrated_gradients").heat),
        "compare: eight networks (no Grad-CAM)": lambda d: torch.tensor([row.prediction.probability for row in
                                                                         compare.compare_networks(digit, device=d,
                                                                                                  with_cam=False,
                                                                                                  repeats=1)]),
        "segmentation: bundled FCN": lambda d: segmentation.segment(resolve("fcn", "bundled", device=d),
                                                                    scene).scores,
        "LSTM trace 60 characters": lambda d: recurrent.trace(resolve("lstm", "bundled", device=d).model,
                                                              text).layers[-1].gates["c"],
        "gradient flow: GRU": lambda d: recurrent.gradient_flow(resolve("gru", "bundled", device=d).model,
                                                                text).norms,
        "attention: date Transformer, every map": lambda d: torch.cat([w.flatten() for w in attention.read_date(
            resolve("transformer", "bundled", device=d).model, "Thursday, 26 November 2026").cross]),
        "attention: ViT rollout (bundled)": lambda d: attention.read_picture(
            resolve("vit", "bundled", device=d).model, x32.to(d)).rollout_map(),
        "MLP playground: spiral, 200 steps": mlp_steps,
        "transfer: LeNet, 4 ways × 2 epochs": transfer_race,
    }


def main() -> int:
    if not torch.cuda.is_available():
        print("no CUDA device: nothing to check (the test suite covers the CPU)")
        return 0
    print(f"torch {torch.__version__}, {torch.cuda.get_device_name(0)}")
    print(f"{'view':<42} {'cpu':>10} {'cuda':>10} {'rel. diff':>10}")
    failed = 0
    for name, view in views().items():
        try:
            results = {device: view(device) for device in ("cpu", "cuda")}
            worst = _close(results["cpu"], results["cuda"])
            cpu, cuda = (_time(functools.partial(view, device), device) for device in ("cpu", "cuda"))
            print(f"{name:<42} {cpu * 1e3:>8.1f}ms {cuda * 1e3:>8.1f}ms {worst:>10.1e}")
        except Exception as err:  # noqa: BLE001 - report every view, then fail
            failed += 1
            print(f"{name:<42} FAILED: {type(err).__name__}: {err}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
