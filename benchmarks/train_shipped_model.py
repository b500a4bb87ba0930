"""Train the shipped model: a digit network that also answers "not a digit", and its report.

The shipped model (``models/default.npz``) is trained with this command, run from the
repository's root (the defaults are the recipe; ``--data DIR`` where MNIST is elsewhere than
handwrite finds it):

    OPENBLAS_NUM_THREADS=1 python benchmarks/train_shipped_model.py

which is, spelled out:

    OPENBLAS_NUM_THREADS=1 python benchmarks/train_shipped_model.py --arch cnn3y --epochs 30 \\
        --ema 0.999 --batch 128 --lr 2e-3 --dropout 0.5 --pen 0.5 --pen-width 1.8 3.6 \\
        --pen-spacing 0.03 0.5 --neg-ratio 0.5 --neg-bank 40000 --neg-seed 1 \\
        --refusal-rate 0.003 --seed 0 --threads 1 --work shipped-model-run \\
        --out shipped-model-run/model.npz

(one thread: how the shipped model was trained; ``--threads 2`` trains the same recipe
faster where two cores are free, to weights that differ in their last bits).

The recipe:

- the network ``cnn3y``: conv 5x5x32, max-pool, conv 3x3x64, conv 3x3x128, max-pool, dense
  256, dropout 0.5, and 11 outputs: the ten digits and "not a digit"
  (:data:`handwrite.refusal.REFUSING_CLASSES`);
- trained on the first 55,000 MNIST training digits (the last 5,000 are the validation
  split) for 30 epochs of batches of 128 digits, Adam at 2e-3 on the one-cycle schedule;
  the model keeps the exponential moving average of the weights over the steps (decay
  0.999, ``--ema``) when it reads the validation digits at least as well as the last
  weights do (it did: 99.48% against 99.46%);
- in every batch, half the digits (``--pen``) redrawn with the canvas's pen look
  (:class:`handwrite.penlook.PenLookAugment`: uniform round pens 1.8-3.6 px wide, strokes
  resampled every 3-50% of the digit's size), then 64 negatives (``--neg-ratio`` 0.5 of the
  batch) appended with the label 10, "not a digit", drawn at random from a bank of 40,000
  generated ones (:func:`handwrite.negatives.generate`, ``split="train"``, seed 1), then
  the usual random rotation, scale, shear and shift (:func:`handwrite.augment.augment`);
- the randomness of a batch comes from ``default_rng([seed, epoch, batch])``, the order of
  an epoch from ``default_rng([seed, epoch])``: the same seed gives the same model;
- then the temperature is fitted on the validation split mixed with its pen-look versions
  (pens of 10, 18 and 28 px; 13-35 points per digit, seed 1, and 7-10 points, seed 2), and
  the refusal threshold is the digit score that refuses ``--refusal-rate`` of the
  validation digits (:meth:`handwrite.refusal.Refusal.fit`). The model file holds that
  refusal (format version 2: it refuses as loaded) and a ``"training"`` entry with the
  settings, the seconds and the test figures.

Two options are not in the recipe: they were measured and not taken (the README says
how). ``--keep-loops`` redraws thin and dense a training digit whose pen-look version lost a
loop (:class:`handwrite.penlook.PenLookAugment`'s ``keep_loops``); ``--pen-end`` changes the
share of pen-look digits linearly over the run, from ``--pen`` to it.

``--all-digits`` trains on all 60,000 training digits, the validation split too. The
digits that would choose the weights (averaged or last) and fit the temperature and
threshold are then trained on, so all three come from the model file of the same recipe
and seed run without them (``--refusal-from``); the file's ``"validation"`` entry holds that
run's figures, and the report keeps the figures on the seen validation digits apart. It
was measured too and not taken (two seeds, no better on MNIST test: the README says how).

Last, it measures the model as ``benchmarks/trust_report.py`` does (MNIST test, the held-out
negatives, the pen-look test sets) and prints the report; the figures, with the validation
and calibration comparisons, go to ``<work>/report.json``.

The negatives bank, the validation pen-look sets and the evaluation sets are made once and
kept under ``--work`` (default ``./shipped-model-run``) for the next run; the bank takes the
longest to make. The pen-look strokes of the training digits are traced again every run.
For a quick check that everything runs, make everything small:

    python benchmarks/train_shipped_model.py --epochs 1 --limit 2000 --neg-bank 300 \\
        --eval-pen 300 --eval-sparse 300 --eval-negatives 140 --threads 1
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
for _path in (ROOT, ROOT / "benchmarks"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

import trust_report  # noqa: E402

import handwrite  # noqa: E402
from handwrite.augment import AugmentConfig, augment  # noqa: E402
from handwrite.calibration import expected_calibration_error, fit_temperature  # noqa: E402
from handwrite.mnist import load_mnist  # noqa: E402
from handwrite.negatives import generate  # noqa: E402
from handwrite.nn.model import Model  # noqa: E402
from handwrite.nn.optim import make_optimizer  # noqa: E402
from handwrite.penlook import (  # noqa: E402
    PEN_WIDTHS,
    SPARSE_SPACING,
    TEST_SPACING,
    PenLookAugment,
    pen_look_set,
)
from handwrite.refusal import REFUSING_CLASSES, Refusal, logits  # noqa: E402
from handwrite.trainer import learning_rate  # noqa: E402

#: The last this many MNIST training digits are the validation split.
VALIDATION = 5000
#: The digits before it, which the recipe trains on.
SPLIT_TRAIN = 60000 - VALIDATION
#: The label of the 11th output, "not a digit".
NOT_A_DIGIT_CLASS = 10
#: Fixed parts of the recipe (not options).
SCHEDULE = "onecycle"
ROTATE_DEGREES = 12.0
#: Seeds of the validation split's pen-look versions (13-35 and 7-10 points per digit).
PEN_VALIDATION_SEED = 1
SPARSE_VALIDATION_SEED = 2
#: Threads of the forward passes after training (as :func:`trust_report.measure`): how the
#: batch is split changes the logits in their last bits, and the refusal must not depend on
#: ``--threads``.
EVAL_THREADS = 2


#: The networks the recipe can train: the channels of the last convolution. ``cnn3w`` was
#: shipped before ``cnn3y`` (99.44% on MNIST after 20 epochs; 99.47% after 30 with the
#: weights' average, against the ``cnn3y``'s 99.57%).
ARCHITECTURES = {"cnn3w": 64, "cnn3y": 128}


def architecture(dropout: float, name: str = "cnn3y") -> dict[str, Any]:
    """The ``cnn3y`` network with 11 outputs, as architecture JSON for
    :meth:`Model.from_architecture`: conv 5x5x32 - pool - conv 3x3x64 - conv 3x3x128 - pool -
    dense 256 - dropout - dense 11 (ReLU after each pool and the dense 256); ``cnn3w`` has
    64 channels in its last convolution (and so 1024 inputs to the dense 256)."""
    last = ARCHITECTURES[name]

    def conv(i: int, o: int, k: int) -> dict[str, Any]:
        return {
            "type": "Conv2D",
            "in_channels": i,
            "out_channels": o,
            "kernel_size": k,
            "padding": 0,
        }

    def dense(i: int, o: int) -> dict[str, Any]:
        return {"type": "Dense", "in_features": i, "out_features": o}

    pool = {"type": "MaxPool2D", "kernel_size": 2}
    relu = {"type": "ReLU"}
    layers = [conv(1, 32, 5), pool, relu, conv(32, 64, 3), relu, conv(64, last, 3), pool, relu]
    layers += [{"type": "Flatten"}, dense(16 * last, 256), relu]
    if dropout:
        layers.append({"type": "Dropout", "p": dropout})
    layers.append(dense(256, len(REFUSING_CLASSES)))
    return {
        "name": name,
        "input_shape": [1, 28, 28],
        "classes": list(REFUSING_CLASSES),
        "loss": "cross_entropy",
        "layers": layers,
    }


def negatives_bank(
    work: Path, count: int, seed: int, train_x: np.ndarray, train_t: np.ndarray
) -> np.ndarray:
    """The ``count`` training negatives, (count, 28, 28) uint8, made from the training digits
    (``split="train"``, ``seed``), or read from ``work`` when made before."""
    path = work / f"neg-train-{count}-{seed}.npz"
    if path.exists():
        with np.load(path, allow_pickle=False) as f:
            return f["images"]
    t0 = time.time()
    neg = generate(count, split="train", seed=seed, digits=(train_x, train_t))
    np.savez_compressed(path, images=neg.images, kinds=neg.kinds)
    print(f"negatives: {len(neg)} in {time.time() - t0:.0f} s", flush=True)
    return neg.images


def validation_pen_set(
    work: Path,
    name: str,
    images: np.ndarray,
    labels: np.ndarray,
    seed: int,
    spacing: tuple[float, float],
) -> tuple[dict[int, np.ndarray], np.ndarray]:
    """A pen-look version of the validation digits (:func:`pen_look_set`): {pen width: (N,
    28, 28) uint8} and (N,) int64 labels, read from ``work`` when made before."""
    path = work / f"{name}-{len(images)}-{seed}.npz"
    if path.exists():
        with np.load(path, allow_pickle=False) as f:
            return {w: f[f"pen{w}"] for w in PEN_WIDTHS}, f["labels"]
    made = pen_look_set(images, labels, seed=seed, spacing=spacing)
    arrays = {f"pen{w}": v for w, v in made.images.items()}
    np.savez_compressed(path, labels=made.labels, **arrays)
    return made.images, made.labels


def pen_logits(model: Model, images: dict[int, np.ndarray], threads: int) -> np.ndarray:
    """Logits of every pen width's images, one width after the other: (3N, 11) float32."""
    return np.concatenate([logits(model, images[w], threads=threads) for w in PEN_WIDTHS])


def train(
    args: argparse.Namespace, model: Model, train_x: np.ndarray, train_t: np.ndarray, work: Path
) -> tuple[float, list[np.ndarray] | None]:
    """Train ``model`` in place by the recipe; returns the seconds the loop took and, with
    ``--ema``, the exponential moving average of the weights (one array per parameter, in
    :meth:`Model.parameters`' order), else None."""
    opt = make_optimizer("adam", model.parameters(), args.lr, weight_decay=0.0)
    cfg = AugmentConfig(rotate_degrees=ROTATE_DEGREES, elastic_alpha=0.0)
    sub = np.arange(args.limit) if args.limit else np.arange(len(train_x))
    x_all = (train_x.astype(np.float32) / 255.0)[:, None]
    if args.neg_ratio > 0:
        # Made from the split's training digits, with --all-digits too: both runs draw the
        # same negatives.
        neg_x = negatives_bank(
            work, args.neg_bank, args.neg_seed, train_x[:SPLIT_TRAIN], train_t[:SPLIT_TRAIN]
        )
        neg_x = (neg_x.astype(np.float32) / 255.0)[:, None]
        n_neg = int(round(args.batch * args.neg_ratio))
    else:
        neg_x, n_neg = None, 0
    aug = None
    if args.pen > 0:
        t0 = time.time()
        # Only the digits the run trains on are traced (the strokes of a digit do not depend
        # on the others): the first ``--limit`` when it is set.
        aug = PenLookAugment(
            train_x[: len(sub)],
            width=tuple(args.pen_width),
            spacing=tuple(args.pen_spacing),
            keep_loops=args.keep_loops,
        )
        print(f"pen-look strokes traced in {time.time() - t0:.0f} s", flush=True)

    bs = args.batch
    steps = len(sub) // bs
    total = steps * args.epochs
    step = 0
    params = model.parameters()
    average = [p.data.copy() for p in params] if args.ema else None
    t_start = time.time()
    model.train()
    for epoch in range(args.epochs):
        order = np.random.default_rng([args.seed, epoch]).permutation(sub)
        loss_sum = 0.0
        te = time.time()
        for b in range(steps):
            idx = order[b * bs : (b + 1) * bs]
            rng = np.random.default_rng([args.seed, epoch, b])
            xb = x_all[idx].copy()
            tb = train_t[idx]
            if aug is not None:
                m = rng.random(len(idx)) < pen_share(args, step, total)
                if m.any():
                    xb[m] = aug(idx[m], rng)
            if n_neg:
                ni = rng.integers(0, len(neg_x), n_neg)
                xb = np.concatenate([xb, neg_x[ni]])
                tb = np.concatenate([tb, np.full(n_neg, NOT_A_DIGIT_CLASS)])
            xb = augment(xb, rng, cfg)
            model.reseed(rng)
            opt.lr = learning_rate(SCHEDULE, args.lr, step, total)
            opt.zero_grad()
            loss, _ = model.train_step(xb, tb)
            opt.step()
            step += 1
            loss_sum += loss
            if average is not None:
                # The usual warm-up: early weights, far from the end, weigh little.
                keep = np.float32(min(args.ema, (1 + step) / (10 + step)))
                for a, p in zip(average, params, strict=True):
                    a *= keep
                    a += (1 - keep) * p.data
        print(
            f"epoch {epoch + 1}: loss {loss_sum / max(steps, 1):.4f}  {time.time() - te:.0f} s",
            flush=True,
        )
    seconds = time.time() - t_start
    model.eval()
    return seconds, average


def pen_share(args: argparse.Namespace, step: int, total: int) -> float:
    """The share of a batch's digits redrawn as pen strokes at ``step`` of ``total``: from
    ``--pen`` at the start to ``--pen-end`` at the end, linearly."""
    end = args.pen if args.pen_end is None else args.pen_end
    return args.pen + (end - args.pen) * step / max(total - 1, 1)


def choose_weights(
    model: Model, average: list[np.ndarray] | None, val_x: np.ndarray, val_t: np.ndarray
) -> dict[str, Any]:
    """Keep the averaged weights in ``model`` when they read the validation digits better than
    the last ones (the test set plays no part); returns both accuracies and the choice."""
    if average is None:
        return {"weights": "last"}

    def accuracy() -> float:
        z = logits(model, val_x, threads=EVAL_THREADS)
        return float((z[:, :10].argmax(1) == val_t).mean())

    def load(weights: list[np.ndarray]) -> None:
        for p, w in zip(model.parameters(), weights, strict=True):
            p.data[...] = w

    last = [p.data.copy() for p in model.parameters()]
    acc_last = accuracy()
    load(average)
    acc_avg = accuracy()
    keep_average = acc_avg >= acc_last
    if not keep_average:
        load(last)
    chosen = "averaged" if keep_average else "last"
    print(f"validation: last weights {acc_last:.4f}, averaged {acc_avg:.4f}: {chosen}", flush=True)
    return {"weights": chosen, "val_accuracy_last": acc_last, "val_accuracy_averaged": acc_avg}


def take_held_out_choice(
    model: Model, average: list[np.ndarray] | None, held_out: Model
) -> dict[str, Any]:
    """With ``--all-digits``: keep the averaged weights when the held-out run of the recipe
    kept them (its choice by the validation digits), else the last ones."""
    validation = held_out.metadata.get("training", {}).get("validation", {})
    keep_average = average is not None and validation.get("weights") == "averaged"
    if keep_average:
        for p, w in zip(model.parameters(), average, strict=True):
            p.data[...] = w
    chosen = "averaged" if keep_average else "last"
    print(f"weights: {chosen}, as the held-out run chose", flush=True)
    return {"weights": chosen, "weights_chosen_by": "the held-out run"}


def held_out_summary(held_out: Model) -> dict[str, Any]:
    """With ``--all-digits``: what the new model takes from the held-out run, for its file:
    that run's seed, digits, MNIST test accuracy and validation figures."""
    training = held_out.metadata.get("training", {})
    return {
        "refusal_from": {
            "seed": training.get("settings", {}).get("seed"),
            "train_images": training.get("train_images"),
            "test_accuracy": training.get("test_accuracy"),
            "validation": training.get("validation", {}),
        }
    }


def fit_refusal(
    args: argparse.Namespace, model: Model, val_x: np.ndarray, val_t: np.ndarray, work: Path
) -> tuple[Refusal, dict[str, Any], np.ndarray, float, float]:
    """The temperature (fitted on the validation digits and their pen-look versions) and the
    threshold that refuses ``--refusal-rate`` of the validation digits.

    Returns the refusal, the validation figures, the validation logits (5000, 11) and the
    temperatures fitted on MNIST alone and on the mixture."""
    zv = logits(model, val_x, threads=EVAL_THREADS)
    pen_val, pen_val_t = validation_pen_set(
        work, "penlook-val", val_x, val_t, PEN_VALIDATION_SEED, TEST_SPACING
    )
    sparse_val, sparse_val_t = validation_pen_set(
        work, "sparse-val", val_x, val_t, SPARSE_VALIDATION_SEED, SPARSE_SPACING
    )
    zpv = np.concatenate(
        [pen_logits(model, pen_val, EVAL_THREADS), pen_logits(model, sparse_val, EVAL_THREADS)]
    )
    tpv = np.concatenate([pen_val_t] * len(PEN_WIDTHS) + [sparse_val_t] * len(PEN_WIDTHS))
    t_mnist = fit_temperature(zv[:, :10], val_t)
    t_mixed = fit_temperature(np.concatenate([zv, zpv])[:, :10], np.concatenate([val_t, tpv]))
    refusal = Refusal.fit(
        "not_a_digit_class", zv, val_t, refusal_rate=args.refusal_rate, temperature=t_mixed
    )
    extra: dict[str, Any] = {
        "temperature_mnist_val": t_mnist,
        "temperature_mixed_val": t_mixed,
        "val_accuracy": float((zv[:, :10].argmax(1) == val_t).mean()),
        "val_pen_accuracy": float((zpv[:, :10].argmax(1) == tpv).mean()),
        "val_pen_refusal": float(refusal.refuses(zpv).mean()),
        "val_refusal": float(refusal.refuses(zv).mean()),
    }
    for name, t in temperatures(t_mnist, t_mixed):
        r = Refusal(refusal.method, refusal.threshold, t)
        extra[f"ece_val_{name}"] = expected_calibration_error(r.digit_probabilities(zv), val_t)
        extra[f"ece_penval_{name}"] = expected_calibration_error(r.digit_probabilities(zpv), tpv)
    return refusal, extra, zv, t_mnist, t_mixed


def temperatures(t_mnist: float, t_mixed: float) -> tuple[tuple[str, float], ...]:
    """The temperatures the report compares calibration at: none, MNIST's, the mixture's."""
    return (("T=1", 1.0), ("T_mnist", t_mnist), ("T_mixed", t_mixed))


def test_comparisons(
    model: Model,
    refusal: Refusal,
    sets: trust_report.EvaluationSets,
    zv: np.ndarray,
    val_t: np.ndarray,
    t_mnist: float,
    t_mixed: float,
    refusal_rate: float,
) -> dict[str, float]:
    """Calibration on the test sets at each temperature, and each score this network allows
    (its "not a digit" output, its top digit probability) at the threshold that refuses 0.5%
    of the MNIST test digits: the share of negatives, letters and pen-look digits refused."""
    out: dict[str, float] = {}
    zt = logits(model, sets.test_images, threads=EVAL_THREADS)
    zp = pen_logits(model, sets.pen.images, EVAL_THREADS)
    tp = np.concatenate([sets.pen.labels] * len(PEN_WIDTHS))
    for name, t in temperatures(t_mnist, t_mixed):
        r = Refusal(refusal.method, refusal.threshold, t)
        out[f"ece_test_{name}"] = expected_calibration_error(
            r.digit_probabilities(zt), sets.test_labels
        )
        out[f"ece_pen_{name}"] = expected_calibration_error(r.digit_probabilities(zp), tp)
    zn = logits(model, sets.negative_images, threads=EVAL_THREADS)
    letters = np.array([n.startswith("letters/") for n in sets.negative_names])
    for method in ("not_a_digit_class", "max_probability"):

        def cut(z: np.ndarray, method: str = method) -> np.ndarray:
            return z if method != "max_probability" else z[:, :10]

        r0 = Refusal.fit(method, cut(zv), val_t, refusal_rate=refusal_rate, temperature=t_mixed)
        matched = r0.with_threshold_for(cut(zt), trust_report.MATCHED_RATE)
        out[f"matched_{method}_negatives"] = float(matched.refuses(cut(zn)).mean())
        out[f"matched_{method}_letters"] = float(matched.refuses(cut(zn[letters])).mean())
        out[f"matched_{method}_pen_refusal"] = float(matched.refuses(cut(zp)).mean())
    return out


def settings(args: argparse.Namespace) -> dict[str, Any]:
    """The run's settings (no paths: they say nothing of the model)."""
    return {
        "arch": args.arch,
        "epochs": args.epochs,
        "ema": args.ema,
        "batch": args.batch,
        "lr": args.lr,
        "schedule": SCHEDULE,
        "dropout": args.dropout,
        "rotate": ROTATE_DEGREES,
        "pen": args.pen,
        "pen_end": args.pen if args.pen_end is None else args.pen_end,
        "keep_loops": args.keep_loops,
        "pen_width": list(args.pen_width),
        "pen_spacing": list(args.pen_spacing),
        "neg_ratio": args.neg_ratio,
        "neg_bank": args.neg_bank,
        "neg_seed": args.neg_seed,
        "refusal_rate": args.refusal_rate,
        "seed": args.seed,
        "threads": args.threads,
        "limit": args.limit,
        "all_digits": args.all_digits,
        "eval_pen": args.eval_pen,
        "eval_sparse": args.eval_sparse,
        "eval_negatives": args.eval_negatives,
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", help="folder with the MNIST files (default: as handwrite finds it)")
    p.add_argument(
        "--work",
        type=Path,
        default=Path("shipped-model-run"),
        help="folder for the caches and the report (default: ./shipped-model-run)",
    )
    p.add_argument("--out", type=Path, help="the model file to write (default: <work>/model.npz)")
    p.add_argument("--arch", choices=sorted(ARCHITECTURES), default="cnn3y", help="the network")
    p.add_argument("--epochs", type=int, default=30)
    p.add_argument(
        "--ema",
        type=float,
        default=0.999,
        help="decay of the weights' moving average (0: none); kept when it reads the "
        "validation digits better",
    )
    p.add_argument("--batch", type=int, default=128, help="MNIST digits per batch")
    p.add_argument("--lr", type=float, default=2e-3, help="Adam's peak learning rate")
    p.add_argument("--dropout", type=float, default=0.5)
    p.add_argument("--pen", type=float, default=0.5, help="share of digits redrawn as pen strokes")
    p.add_argument(
        "--pen-end",
        type=float,
        help="share of digits redrawn at the end of the run (default: --pen all along)",
    )
    p.add_argument(
        "--keep-loops",
        action="store_true",
        help="redraw thin and dense a digit whose pen-look version lost a loop",
    )
    p.add_argument(
        "--pen-width", type=float, nargs=2, default=(1.8, 3.6), help="pen widths, 28x28 px"
    )
    p.add_argument(
        "--pen-spacing",
        type=float,
        nargs=2,
        default=(0.03, 0.5),
        help="point spacing, as a share of the digit's longer side",
    )
    p.add_argument(
        "--neg-ratio", type=float, default=0.5, help="negatives appended, per MNIST digit"
    )
    p.add_argument("--neg-bank", type=int, default=40000, help="negatives drawn from")
    p.add_argument("--neg-seed", type=int, default=1, help="seed of the negatives bank")
    p.add_argument("--refusal-rate", type=float, default=0.003, help="validation digits refused")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=1, help="threads of a training step")
    p.add_argument("--limit", type=int, default=0, help="train on the first N digits only (0: all)")
    p.add_argument(
        "--all-digits",
        action="store_true",
        help="train on all 60,000 training digits, the validation split too; needs --refusal-from",
    )
    p.add_argument(
        "--refusal-from",
        type=Path,
        help="with --all-digits: the model file of the same recipe trained without the "
        "validation split, whose temperature and threshold the new model takes",
    )
    p.add_argument("--eval-pen", type=int, default=10000, help="pen-look test digits")
    p.add_argument("--eval-sparse", type=int, default=5000, help="sparse pen-look test digits")
    p.add_argument("--eval-negatives", type=int, default=2800, help="held-out negatives")
    args = p.parse_args(argv)
    if args.limit < 0 or args.limit > SPLIT_TRAIN:
        p.error(f"--limit must be 0 (all) or 1 to {SPLIT_TRAIN}")
    if args.all_digits != (args.refusal_from is not None):
        p.error("--all-digits and --refusal-from go together")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    work: Path = args.work
    out: Path = args.out or work / "model.npz"
    work.mkdir(parents=True, exist_ok=True)
    out.parent.mkdir(parents=True, exist_ok=True)

    mnist = load_mnist(args.data)
    images, labels = mnist.train_images, mnist.train_labels.astype(np.int64)
    train_x, train_t = images[:-VALIDATION], labels[:-VALIDATION]
    val_x, val_t = images[-VALIDATION:], labels[-VALIDATION:]
    held_out = None
    if args.all_digits:
        train_x, train_t = images, labels
        # Read before training: a file that cannot give the refusal fails at once.
        held_out = handwrite.load_model(args.refusal_from)
        if held_out.refusal is None:
            raise SystemExit("--refusal-from: that model file holds no refusal")

    model = Model.from_architecture(architecture(args.dropout, args.arch), seed=args.seed)
    model.threads = args.threads
    seconds, average = train(args, model, train_x, train_t, work)
    if held_out is not None:
        chosen = take_held_out_choice(model, average, held_out)
    else:
        chosen = choose_weights(model, average, val_x, val_t)
    refusal, extra, zv, t_mnist, t_mixed = fit_refusal(args, model, val_x, val_t, work)
    extra.update(chosen)
    if held_out is not None:
        # The validation digits were trained on: the figures on them say little (kept apart
        # as "seen_validation"), and the temperature and threshold come from the run that
        # held them out.
        refusal = held_out.refusal
        extra = {**held_out_summary(held_out), **chosen, "seen_validation": extra}
    model.refusal = refusal

    sets = trust_report.evaluation_sets(
        args.data,
        negatives=args.eval_negatives,
        pen_digits=args.eval_pen,
        sparse_digits=args.eval_sparse,
        cache=work / "trust",
    )
    figures = trust_report.measure(model, refusal, sets)
    validation = dict(extra)
    extra.update(
        test_comparisons(model, refusal, sets, zv, val_t, t_mnist, t_mixed, args.refusal_rate)
    )
    test = {k: v for k, v in figures.items() if k != "refusal"}
    model.metadata["training"] = {
        # What the window and ``handwrite info`` show of a run.
        "epochs": args.epochs,
        "architecture": args.arch,
        "optimizer": "adam",
        "lr": args.lr,
        "schedule": SCHEDULE,
        "batch_size": args.batch,
        "augment": True,
        "train_images": args.limit or len(train_x),
        "test_accuracy": figures["mnist_accuracy"],
        "test_images": len(sets.test_labels),
        "seconds": round(seconds, 2),
        "date": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "recipe": "benchmarks/train_shipped_model.py",
        "settings": settings(args),
        "test": test,
        "validation": validation,
    }
    model.save(out)

    report = {**figures, "extra": extra, "train_seconds": seconds, "config": settings(args)}
    (work / "report.json").write_text(json.dumps(report, indent=1))
    print(trust_report.format_report(out.name, figures))
    print(json.dumps(extra, indent=1))
    print(f"trained in {seconds:.0f} s; saved {out}: {handwrite.load_model(out).refusal!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
