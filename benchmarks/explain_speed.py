"""How long the "see the arithmetic" computations take, against one prediction of one image.

- the embedding: 2,000 test digits through the network to its last hidden layer, then PCA
  (``handwrite.embedding.fit_embedding``);
- ``Embedding.project``: one drawing placed on that map (what the window does per stroke);
- a robustness run: every perturbation at every level on 1,000 test digits
  (``handwrite.robustness.robustness``), and the curves it measured.

Each time is also given as a ratio to one ``Model.predict_proba`` of one 28x28 image measured
in the same run (medians, interleaved), since the host is shared and bare times move with its
load. One BLAS thread, as the window uses.

    python benchmarks/explain_speed.py [--model models/default.npz] [--data DIR]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import handwrite  # noqa: E402
from handwrite import resources  # noqa: E402
from handwrite.embedding import (  # noqa: E402
    fit_embedding,
    hidden_features_and_probabilities,
    sample_digits,
)
from handwrite.mnist import DataError, load_mnist  # noqa: E402
from handwrite.nn.backend import limit_blas_threads  # noqa: E402
from handwrite.robustness import robustness  # noqa: E402


def test_digits(data: str | None) -> tuple[np.ndarray, np.ndarray, str]:
    """MNIST's test digits (uint8 (N, 28, 28), labels), or synthetic strokes without it."""
    try:
        mnist = load_mnist(data, download=False)
        return mnist.test_images, mnist.test_labels, "MNIST test set"
    except DataError as exc:
        print(f"(no MNIST: {str(exc).splitlines()[0]}; timing synthetic digits instead)")
    rng = np.random.default_rng(0)
    yy, xx = np.mgrid[0:28, 0:28].astype(np.float32)
    images = np.zeros((10_000, 28, 28), np.float32)
    for img in images:
        cy, cx, r = rng.uniform(10, 18), rng.uniform(10, 18), rng.uniform(4, 8)
        img[...] = np.clip(1.5 - np.abs(np.hypot(yy - cy, xx - cx) - r), 0, 1)
    return (images * 255).astype(np.uint8), rng.integers(0, 10, 10_000), "synthetic rings"


def median_ms(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1e3


def interleaved(fns: dict[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    """Median ms of each function, called in turn ``repeats`` times (after a warm-up)."""
    times: dict[str, list[float]] = {name: [] for name in fns}
    for fn in fns.values():
        for _ in range(10):
            fn()
    for _ in range(repeats):
        for name, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    return {name: statistics.median(v) * 1e3 for name, v in times.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=str(resources.default_model_path()))
    parser.add_argument("--data", default=None, help="MNIST folder (default: where it is found)")
    parser.add_argument("--embed-digits", type=int, default=2000)
    parser.add_argument("--robustness-digits", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=300)
    parser.add_argument("--blas-threads", type=int, default=1, help="as the app sets (0: default)")
    args = parser.parse_args(argv)
    if args.blas_threads:
        limit_blas_threads(args.blas_threads)

    model = handwrite.load_model(args.model)
    images, labels, source = test_digits(args.data)
    one = images[0].astype(np.float32) / 255
    idx = sample_digits(labels, args.embed_digits, seed=0)
    print(
        f"{Path(args.model).name} ({model.name}) on {source}, "
        f"BLAS threads: {args.blas_threads or 'default'}"
    )

    def predict_one() -> None:
        model.predict_proba(one)

    embedding = fit_embedding(model, images[idx], labels[idx])  # warm-up
    per_image = interleaved(
        {
            "predict_proba(1 image)": predict_one,
            "Embedding.project(1 image)": lambda: embedding.project(model, one),
            "features + probabilities (1 pass)": lambda: hidden_features_and_probabilities(
                model, one
            ),
        },
        args.repeats,
    )
    unit = per_image["predict_proba(1 image)"]
    print(f"  {'predict_proba(1 image)':36s} {unit:8.3f} ms   (the unit: 1.00)")
    for name, ms in list(per_image.items())[1:]:
        print(f"  {name:36s} {ms:8.3f} ms   {ms / unit:8.2f} x predict_proba")

    fit_times, unit_times = [], []
    for _ in range(3):  # each fit next to a fresh measure of the unit
        fit_times.append(median_ms(lambda: fit_embedding(model, images[idx], labels[idx]), 1))
        unit_times.append(median_ms(predict_one, 50))
    fit_ms, unit_again = statistics.median(fit_times), statistics.median(unit_times)
    print(
        f"  {f'embedding of {len(idx)} digits':36s} {fit_ms:8.1f} ms   "
        f"{fit_ms / unit_again:8.0f} x predict_proba ({embedding})"
    )

    n = args.robustness_digits
    t0 = time.perf_counter()
    result = robustness(model, images[:n], labels[:n])
    run_ms = (time.perf_counter() - t0) * 1e3
    unit_after = median_ms(predict_one, 50)
    batch_ms = median_ms(lambda: model.predict_proba(images[:n]), 3)
    evaluations = sum(len(p.levels) for p in result.perturbations)
    print(
        f"  {f'robustness run, {n} digits':36s} {run_ms:8.0f} ms   "
        f"{run_ms / unit_after:8.0f} x predict_proba "
        f"({evaluations} levels; one predict_proba of the {n} digits: {batch_ms:.0f} ms)"
    )
    print("curves (accuracy at each level):")
    for p, accuracy in zip(result.perturbations, result.accuracy, strict=True):
        cells = "  ".join(f"{lv:g}:{a:.3f}" for lv, a in zip(p.levels, accuracy[0], strict=True))
        print(f"  {p.name:11s} {cells}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
