"""Answers you can trust: how well a model reads digits, refuses what is not one, and knows
how sure it is, on MNIST, on generated negatives and on the pen-look test set.

    python benchmarks/trust_report.py MODEL.npz [--data DIR] [--json]

For the model it prints:

- MNIST test accuracy by the top digit probability, and the share of MNIST test digits
  refused;
- the share of held-out generated negatives refused (:func:`handwrite.negatives.generate`,
  ``split="eval"``, made from MNIST *test* digits and held-out fonts), overall and by kind;
  and, to compare methods on equal terms, the share refused at the threshold that refuses
  0.5% of the MNIST test digits;
- accuracy and refusal on the pen-look test set (:func:`handwrite.penlook.pen_look_set`:
  MNIST test digits redrawn with pens of 10, 18 and 28 px on a 280x280 canvas, 13-35 points
  per digit), and on its sparse variant (7-10 points per digit, like tablet trajectories
  resampled to a few points per character);
- the expected calibration error (15 bins) on MNIST test and on the pen-look set;
- one drawing's latency (a 400x400 canvas through preprocessing, the forward pass and the
  digit score) as a ratio against the reference model (the shipped one), alternating in the
  same run.

How the model refuses comes from its metadata (``"refusal"``, see
:class:`handwrite.refusal.Refusal`); a model without one is scored by its top probability,
with the threshold that refuses ``--refusal-rate`` of the validation digits (the last 5,000
MNIST training images; a model trained on them, like the shipped one, refuses fewer of them
than of unseen digits). The negatives and the pen-look set take minutes to draw; they are
kept in ``--cache`` (default: ``trust`` beside the MNIST cache) for the next run.

From Python, :func:`measure` reports on a model held in memory (trained in-process), with
the sets from :func:`evaluation_sets`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import handwrite  # noqa: E402
from handwrite.calibration import expected_calibration_error  # noqa: E402
from handwrite.mnist import load_mnist, mnist_cache_dir  # noqa: E402
from handwrite.negatives import KINDS, generate  # noqa: E402
from handwrite.nn.backend import limit_blas_threads  # noqa: E402
from handwrite.penlook import (  # noqa: E402
    PEN_WIDTHS,
    SPARSE_SPACING,
    TEST_SPACING,
    PenLookSet,
    pen_look_set,
)
from handwrite.preprocess import preprocess  # noqa: E402
from handwrite.refusal import Refusal, logits  # noqa: E402

VALIDATION = 5000
#: The MNIST-test refusal rate at which methods are compared on the negatives.
MATCHED_RATE = 0.005
#: The Latin letters of issue 10 that no careful reader takes for a digit.
CLEAR_LETTERS = set("AEFHKMNPRUVWXYcefhkmnprtuvwx")


@dataclass(frozen=True)
class EvaluationSets:
    """What a model is measured on (all uint8 (N, 28, 28) images, int64 labels)."""

    validation_images: np.ndarray
    validation_labels: np.ndarray
    test_images: np.ndarray
    test_labels: np.ndarray
    negative_images: np.ndarray
    negative_kinds: np.ndarray
    negative_names: np.ndarray
    pen: PenLookSet
    pen_sparse: PenLookSet


def evaluation_sets(
    data_dir: str | None = None,
    *,
    negatives: int = 2800,
    pen_digits: int = 10000,
    sparse_digits: int = 5000,
    seed: int = 0,
    cache: Path | None = None,
) -> EvaluationSets:
    """Load MNIST and make (or read from ``cache``) the held-out negatives and the pen-look
    sets: ``negatives`` in all (shared evenly by kind); the first ``pen_digits`` test digits
    in the pen-look set, the first ``sparse_digits`` in its sparse variant."""
    mnist = load_mnist(data_dir, download=False)
    train_x, train_t = mnist.train_images, mnist.train_labels.astype(np.int64)
    test_x, test_t = mnist.test_images, mnist.test_labels.astype(np.int64)
    per_kind = {k: negatives // len(KINDS) for k in KINDS}
    neg_file = cache / f"negatives-eval-{negatives}-{seed}.npz" if cache else None
    if neg_file is not None and neg_file.exists():
        with np.load(neg_file, allow_pickle=False) as f:
            neg = (f["images"], f["kinds"], f["names"])
    else:
        made = generate(per_kind, split="eval", seed=seed, digits=(test_x, test_t))
        neg = (made.images, made.kinds, made.names)
        if neg_file is not None:
            neg_file.parent.mkdir(parents=True, exist_ok=True)
            np.savez_compressed(neg_file, images=neg[0], kinds=neg[1], names=neg[2])
    pen = _pen_set(test_x[:pen_digits], test_t[:pen_digits], seed, TEST_SPACING, cache, "penlook")
    sparse = _pen_set(
        test_x[:sparse_digits], test_t[:sparse_digits], seed, SPARSE_SPACING, cache, "sparse"
    )
    return EvaluationSets(
        train_x[-VALIDATION:],
        train_t[-VALIDATION:],
        test_x,
        test_t,
        neg[0],
        neg[1],
        neg[2],
        pen,
        sparse,
    )


def _pen_set(
    images: np.ndarray,
    labels: np.ndarray,
    seed: int,
    spacing: tuple[float, float],
    cache: Path | None,
    name: str,
) -> PenLookSet:
    """A pen-look set, from ``cache`` when it was made before."""
    path = cache / f"{name}-{len(images)}-{seed}.npz" if cache else None
    if path is not None and path.exists():
        with np.load(path, allow_pickle=False) as f:
            return PenLookSet({w: f[f"pen{w}"] for w in PEN_WIDTHS}, f["labels"], f["source"])
    made = pen_look_set(images, labels, seed=seed, spacing=spacing)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        arrays = {f"pen{w}": v for w, v in made.images.items()}
        np.savez_compressed(path, labels=made.labels, source=made.source, **arrays)
    return made


def model_refusal(model: Any, sets: EvaluationSets, refusal_rate: float) -> Refusal:
    """The model's own refusal (metadata ``"refusal"``), else its top probability with the
    threshold that refuses ``refusal_rate`` of the validation digits."""
    stored = model.metadata.get("refusal")
    if stored is not None:
        return Refusal.from_json(stored)
    z = logits(model, sets.validation_images, threads=2)
    return Refusal.fit(
        "max_probability", z, sets.validation_labels, refusal_rate=refusal_rate, temperature=1.0
    )


def measure(model: Any, refusal: Refusal, sets: EvaluationSets) -> dict[str, Any]:
    """Every figure of the report but the latency, as a JSON-able dict (rates in [0, 1])."""
    out: dict[str, Any] = {"refusal": refusal.to_json()}
    z = logits(model, sets.test_images, threads=2)
    probs = refusal.digit_probabilities(z)
    refused = refusal.refuses(z)
    out["mnist_accuracy"] = float((probs.argmax(axis=1) == sets.test_labels).mean())
    out["mnist_refusal"] = float(refused.mean())
    out["mnist_accuracy_accepted"] = float(
        (probs.argmax(axis=1) == sets.test_labels)[~refused].mean()
    )
    out["ece_mnist"] = expected_calibration_error(probs, sets.test_labels)
    matched = refusal.with_threshold_for(z, MATCHED_RATE)

    zn = logits(model, sets.negative_images, threads=2)
    neg_refused = refusal.refuses(zn)
    out["negatives_refusal"] = float(neg_refused.mean())
    out["negatives_refusal_matched"] = float(matched.refuses(zn).mean())
    by_kind = {}
    matched_by_kind = {}
    for i, kind in enumerate(KINDS):
        pick = sets.negative_kinds == i
        if pick.any():
            by_kind[kind] = float(neg_refused[pick].mean())
            matched_by_kind[kind] = float(matched.refuses(zn[pick]).mean())
    out["negatives_refusal_by_kind"] = by_kind
    out["negatives_refusal_matched_by_kind"] = matched_by_kind
    letters = np.array(
        [
            n.startswith("letters/") and n.rsplit("/", 1)[-1] in CLEAR_LETTERS
            for n in sets.negative_names
        ]
    )
    if letters.any():
        out["clear_letters_refusal"] = float(neg_refused[letters].mean())

    for key, pen in (("pen", sets.pen), ("pen_sparse", sets.pen_sparse)):
        out.update(_pen_figures(model, refusal, pen, key))
    return out


def _pen_figures(model: Any, refusal: Refusal, pen: PenLookSet, key: str) -> dict[str, Any]:
    """Accuracy, refusal and ECE on a pen-look set, per pen width and pooled."""
    acc, ref, ece = {}, {}, {}
    all_probs, all_labels, all_refused = [], [], []
    for w, images in pen.images.items():
        z = logits(model, images, threads=2)
        p = refusal.digit_probabilities(z)
        r = refusal.refuses(z)
        acc[str(w)] = float((p.argmax(axis=1) == pen.labels).mean())
        ref[str(w)] = float(r.mean())
        ece[str(w)] = expected_calibration_error(p, pen.labels)
        all_probs.append(p)
        all_labels.append(pen.labels)
        all_refused.append(r)
    return {
        f"{key}_accuracy": acc,
        f"{key}_refusal": ref,
        f"ece_{key}_by_width": ece,
        f"ece_{key}": expected_calibration_error(
            np.concatenate(all_probs), np.concatenate(all_labels)
        ),
        f"{key}_refusal_all": float(np.concatenate(all_refused).mean()),
    }


def canvas_drawing(size: int = 400) -> np.ndarray:
    """A thick "4" on a dark canvas, bright ink (as in benchmarks/inference_latency.py)."""
    img = np.zeros((size, size), np.float32)
    img[80:250, 150:175] = 1.0
    img[230:255, 150:300] = 1.0
    img[90:340, 250:275] = 1.0
    return img


def latency(model: Any, refusal: Refusal, reference: Any, repeats: int = 300) -> dict[str, float]:
    """Median milliseconds of one drawing (preprocess, forward, digit score) for the model
    and the reference, alternating, with one BLAS thread as in the app; and their ratio."""
    limit_blas_threads(1)
    canvas = canvas_drawing()
    ref_refusal = Refusal()

    def once(m: Any, r: Refusal) -> float:
        t0 = time.perf_counter()
        z = logits(m, preprocess(canvas))
        r.digit_probabilities(z)
        r.digit_score(z)
        return time.perf_counter() - t0

    for _ in range(20):
        once(model, refusal)
        once(reference, ref_refusal)
    ours, theirs, ratios = [], [], []
    for i in range(repeats):
        # Alternate which goes first: the second of a pair runs on warmer caches.
        if i % 2:
            b = once(reference, ref_refusal)
            a = once(model, refusal)
        else:
            a = once(model, refusal)
            b = once(reference, ref_refusal)
        ours.append(a)
        theirs.append(b)
        ratios.append(a / b)
    return {
        "latency_ms": statistics.median(ours) * 1e3,
        "reference_latency_ms": statistics.median(theirs) * 1e3,
        "latency_ratio": statistics.median(ratios),
    }


def _pct(v: float) -> str:
    return f"{100 * v:.2f}%"


def format_report(name: str, figures: dict[str, Any]) -> str:
    """The figures as the text the command prints."""
    r = figures["refusal"]
    lines = [
        f"{name}: refusal by {r['method']}, threshold {r['threshold']:.4g}, "
        f"temperature {r['temperature']:.3f}",
        f"  MNIST test        accuracy {_pct(figures['mnist_accuracy'])}   "
        f"refused {_pct(figures['mnist_refusal'])}   "
        f"accuracy of the accepted {_pct(figures['mnist_accuracy_accepted'])}",
        f"  negatives refused {_pct(figures['negatives_refusal'])}   "
        f"(at {MATCHED_RATE:.1%} MNIST-test refusal: "
        f"{_pct(figures['negatives_refusal_matched'])})",
    ]
    for kind, v in figures["negatives_refusal_by_kind"].items():
        m = figures["negatives_refusal_matched_by_kind"][kind]
        lines.append(f"    {kind:12s} {_pct(v):>8s}   (matched {_pct(m)})")
    if "clear_letters_refusal" in figures:
        lines.append(f"    clear letters {_pct(figures['clear_letters_refusal']):>7s}")
    for key, title in (("pen", "pen-look set"), ("pen_sparse", "sparse pen-look")):
        lines.append(f"  {title:17s} accuracy / refused / ECE")
        for w in figures[f"{key}_accuracy"]:
            lines.append(
                f"    pen {w:>2s} px      {_pct(figures[f'{key}_accuracy'][w])} / "
                f"{_pct(figures[f'{key}_refusal'][w])} / {figures[f'ece_{key}_by_width'][w]:.4f}"
            )
    lines.append(
        f"  ECE (15 bins)     MNIST test {figures['ece_mnist']:.4f}   "
        f"pen-look {figures['ece_pen']:.4f}   sparse {figures['ece_pen_sparse']:.4f}"
    )
    if "latency_ratio" in figures:
        lines.append(
            f"  one drawing       {figures['latency_ms']:.3f} ms, "
            f"{figures['latency_ratio']:.2f}x the reference "
            f"({figures['reference_latency_ms']:.3f} ms)"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", help="model file (.npz)")
    parser.add_argument("--reference", default=str(ROOT / "models" / "default.npz"))
    parser.add_argument("--data", help="folder with the MNIST files (default: as the app finds it)")
    parser.add_argument("--negatives", type=int, default=2800, help="held-out negatives")
    parser.add_argument("--pen-digits", type=int, default=10000, help="pen-look test digits")
    parser.add_argument("--sparse-digits", type=int, default=5000, help="sparse pen-look digits")
    parser.add_argument("--refusal-rate", type=float, default=0.003)
    parser.add_argument("--cache", type=Path, default=mnist_cache_dir().parent / "trust")
    parser.add_argument("--no-latency", action="store_true")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)

    model = handwrite.load_model(args.model)
    sets = evaluation_sets(
        args.data,
        negatives=args.negatives,
        pen_digits=args.pen_digits,
        sparse_digits=args.sparse_digits,
        cache=args.cache,
    )
    refusal = model_refusal(model, sets, args.refusal_rate)
    figures = measure(model, refusal, sets)
    if not args.no_latency:
        figures.update(latency(model, refusal, handwrite.load_model(args.reference)))
    if args.json:
        print(json.dumps(figures))
    else:
        print(format_report(Path(args.model).name, figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
