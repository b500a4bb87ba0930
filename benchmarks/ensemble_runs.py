"""What averaging the runs of a recipe would buy: every combination of the given model files,
their digit probabilities averaged, read on the MNIST test digits and on the validation
digits that none of them trained on.

For each model alone, then for each ensemble size k, prints how many combinations there
are, their test accuracy (lowest, median, highest) and their validation accuracy (lowest,
highest), and the combination a validation-respecting choice would take (the highest
validation accuracy; ties go to the first in the order given) with its test accuracy. An
ensemble of k models takes k forward passes from drawing to answer, so its latency is about
k times a single model's forward pass (``benchmarks/inference_latency.py``).

The validation digits are the last ``--validation`` training digits (MNIST's convention,
and the recipe's); a model file whose training used more than the others (its metadata's
``training.train_images`` above 60,000 minus those) trained on them and is refused.

    python benchmarks/ensemble_runs.py runs/A/model.npz runs/A1/model.npz runs/F/model.npz
    python benchmarks/ensemble_runs.py runs/*/model.npz --data ../shared/mnist --json
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import sys
from pathlib import Path
from typing import Any

import numpy as np

import handwrite
from handwrite.mnist import load_mnist

#: More files than this would make too many combinations to read them all.
MAX_MODELS = 12


def digit_probabilities(model: Any, images: np.ndarray) -> np.ndarray:
    """(N, 10) float64 probabilities of the ten digits (rows sum to 1)."""
    return np.asarray(model.predict_proba(images, batch_size=500), dtype=np.float64)


def accuracy(probabilities: np.ndarray, labels: np.ndarray) -> float:
    return float(np.mean(probabilities.argmax(axis=1) == labels))


def trained_images(model: Any) -> int | None:
    """How many training digits the model's metadata says it trained on (None: unknown)."""
    value = (model.metadata.get("training") or {}).get("train_images")
    return int(value) if isinstance(value, int | float) else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="+", help="two or more model files (.npz)")
    parser.add_argument("--data", help="the MNIST folder (default: found or downloaded)")
    parser.add_argument(
        "--validation", type=int, default=5000, help="the last N training digits (5000)"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if not 2 <= len(args.models) <= MAX_MODELS:
        parser.error(f"give from 2 to {MAX_MODELS} model files, got {len(args.models)}")
    if not 0 < args.validation < 60000:
        parser.error("--validation must be from 1 to 59,999")

    mnist = load_mnist(args.data)
    val_images = mnist.train_images[-args.validation :]
    val_labels = mnist.train_labels[-args.validation :]
    held_out = len(mnist.train_labels) - args.validation
    names = [str(Path(p)) for p in args.models]
    test: dict[str, np.ndarray] = {}
    val: dict[str, np.ndarray] = {}
    for name in names:
        model = handwrite.load_model(name)
        seen = trained_images(model)
        if seen is not None and seen > held_out:
            print(
                f"{name} trained on {seen:,} digits: more than the first {held_out:,}, so the "
                f"last {args.validation:,} (the validation digits) were among them",
                file=sys.stderr,
            )
            return 2
        test[name] = digit_probabilities(model, mnist.test_images)
        val[name] = digit_probabilities(model, val_images)

    rows: list[dict[str, Any]] = []
    for k in range(1, len(names) + 1):
        results = []
        for combo in itertools.combinations(names, k):
            results.append(
                (
                    combo,
                    accuracy(sum(test[n] for n in combo), mnist.test_labels),
                    accuracy(sum(val[n] for n in combo), val_labels),
                )
            )
        tests = [r[1] for r in results]
        vals = [r[2] for r in results]
        chosen = max(results, key=lambda r: r[2])  # the first of the best, in order given
        rows.append(
            {
                "size": k,
                "combinations": len(results),
                "test": [min(tests), statistics.median(tests), max(tests)],
                "validation": [min(vals), max(vals)],
                "chosen_by_validation": list(chosen[0]),
                "chosen_validation": chosen[2],
                "chosen_test": chosen[1],
                "each": [{"models": list(c), "test": t, "validation": v} for c, t, v in results]
                if k == 1
                else None,
            }
        )

    if args.json:
        print(json.dumps({"validation_digits": args.validation, "rows": rows}, indent=2))
        return 0
    print(f"MNIST test: 10,000 digits; validation: the last {args.validation:,} training digits")
    for r in rows[0]["each"]:
        print(f"  {r['models'][0]}: test {r['test']:.2%}, validation {r['validation']:.2%}")
    print(
        "| models averaged | combinations | test (lowest / median / highest) | validation "
        "(lowest / highest) | chosen by validation: test |"
    )
    print("|---:|---:|---|---|---:|")
    for row in rows:
        low, mid, high = row["test"]
        chosen = " + ".join(Path(n).parent.name or n for n in row["chosen_by_validation"])
        print(
            f"| {row['size']} | {row['combinations']} | {low:.2%} / {mid:.2%} / {high:.2%} | "
            f"{row['validation'][0]:.2%} / {row['validation'][1]:.2%} | "
            f"{row['chosen_test']:.2%} ({chosen}) |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
