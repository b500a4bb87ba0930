"""How long one drawing takes from canvas pixels to probabilities, against PyTorch on the CPU.

Ours: ``handwrite.preprocess`` of a 400x400 canvas drawing, then the shipped ``cnn`` forward
pass through ``Model.predict_proba``. The reference, measured in the same run: PyTorch's
forward pass of the same architecture on one 28x28 image (no preprocessing), and our forward
pass alone. Medians of many repetitions, alternating; ratios are what to compare.

Also the window's way since the map of what the network knows: the same drawing through
one forward pass that keeps the last hidden layer
(:func:`handwrite.embedding.hidden_features_and_probabilities`) and its place on the map
(``Embedding.project_features``), and what that adds to the drawing's way to its answer.

    python benchmarks/inference_latency.py [--model models/default.npz] [--repeats 300]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from train_throughput import torch, torch_model  # noqa: E402

import handwrite  # noqa: E402
from handwrite import resources  # noqa: E402
from handwrite.embedding import fit_embedding, hidden_features_and_probabilities  # noqa: E402
from handwrite.nn.backend import limit_blas_threads  # noqa: E402


def drawing(size: int = 400) -> np.ndarray:
    """A thick "4" on a dark canvas, bright ink (as the canvas hands it over)."""
    img = np.zeros((size, size), np.float32)
    img[80:250, 150:175] = 1.0  # the left stroke
    img[230:255, 150:300] = 1.0  # the bar
    img[90:340, 250:275] = 1.0  # the right stroke
    return img


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=str(resources.default_model_path()))
    parser.add_argument("--repeats", type=int, default=300)
    parser.add_argument("--blas-threads", type=int, default=1, help="as the app sets (0: default)")
    args = parser.parse_args(argv)
    if args.blas_threads:
        limit_blas_threads(args.blas_threads)
        if torch is not None:
            torch.set_num_threads(args.blas_threads)

    model = handwrite.load_model(args.model)
    canvas = drawing()
    x28 = handwrite.preprocess(canvas)
    # A map of 300 digits: placing a point costs the same whatever digits were mapped.
    rng = np.random.default_rng(0)
    embedding = fit_embedding(
        model, rng.integers(0, 256, (300, 28, 28), dtype=np.uint8), np.arange(300) % 10
    )
    timings: dict[str, list[float]] = {
        "ours: drawing -> probabilities": [],
        "ours: ... + the map's point": [],
        "ours: forward": [],
    }
    reference = None
    if torch is not None and model.name == "cnn":
        reference = torch_model("cnn").eval()
        timings["PyTorch: forward"] = []
        tx = torch.from_numpy(x28[None, None].copy())

    def ours_full() -> None:
        model.predict_proba(handwrite.preprocess(canvas))

    def ours_with_point() -> None:
        features, _ = hidden_features_and_probabilities(model, handwrite.preprocess(canvas))
        embedding.project_features(features[0])

    def ours_forward() -> None:
        model.predict_proba(x28)

    def torch_forward() -> None:
        with torch.inference_mode():
            torch.softmax(reference(tx), dim=1)

    runs = [
        ("ours: drawing -> probabilities", ours_full),
        ("ours: ... + the map's point", ours_with_point),
        ("ours: forward", ours_forward),
    ]
    if reference is not None:
        runs.append(("PyTorch: forward", torch_forward))
    for _, fn in runs:  # warm-up
        for _ in range(20):
            fn()
    for _ in range(args.repeats):
        for name, fn in runs:
            t0 = time.perf_counter()
            fn()
            timings[name].append(time.perf_counter() - t0)

    print(
        f"one drawing through {Path(args.model).name} ({model.name}), "
        f"BLAS threads: {args.blas_threads or 'default'}, {args.repeats} repeats"
    )
    medians = {name: statistics.median(v) * 1e3 for name, v in timings.items()}
    for name, ms in medians.items():
        p99 = float(np.percentile(np.array(timings[name]) * 1e3, 99))
        print(f"  {name:32s} median {ms:6.3f} ms   p99 {p99:6.3f} ms")
    added = medians["ours: ... + the map's point"] - medians["ours: drawing -> probabilities"]
    print(f"  the map's point adds {added:+.3f} ms (median) to the drawing's way to its answer")
    if reference is not None:
        ratio = medians["PyTorch: forward"] / medians["ours: forward"]
        print(f"  forward pass, PyTorch time / ours: {ratio:.2f} (above 1: ours is faster)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
