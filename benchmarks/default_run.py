"""The window's Start with its default settings: how long it trains and what it reaches.

Trains :data:`handwrite.trainer.START_CONFIG` on MNIST as the window does (one BLAS thread,
the training step on all cores but one, diagnostics on) and prints the training seconds
(the trainer's clock: steps and each epoch's evaluation), the process's CPU seconds over
the same span, the test accuracy after each epoch, the seconds spent preparing the run
(the negatives' bank: made on the first run, read from the cache after), and the share of
test digits the fitted refusal refuses. The goal: at least 99.3% on the 10,000 test digits
within 90 seconds on a 2-core machine, refusing at most 0.5% of them. On a shared machine the CPU
seconds tell what the run needs of the cores it is given; with one training thread they
are the wall-clock seconds of a machine that has a core free for it.

    python benchmarks/default_run.py [--data DIR] [--threads N] [--json]
    python benchmarks/default_run.py --epochs 4 --lr 0.003     # try other settings
    python benchmarks/default_run.py --negatives 0.25 --pen-look 0.5
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time

from handwrite.mnist import load_mnist
from handwrite.nn.backend import limit_blas_threads
from handwrite.nn.parallel import available_cores
from handwrite.trainer import START_CONFIG, EpochDone, Failed, Finished, Trainer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="folder with the MNIST files")
    parser.add_argument(
        "--threads",
        type=int,
        default=max(1, available_cores() - 1),
        help="threads per training step (default: as the window, all cores but one)",
    )
    parser.add_argument("--epochs", type=int, help="instead of the default's")
    parser.add_argument("--lr", type=float, help="instead of the default's")
    parser.add_argument("--batch-size", type=int, help="instead of the default's")
    parser.add_argument("--seed", type=int, help="instead of the default's")
    parser.add_argument("--negatives", type=float, help="instead of the default's")
    parser.add_argument("--pen-look", type=float, help="instead of the default's")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    changes = {
        k: v
        for k, v in (
            ("epochs", args.epochs),
            ("lr", args.lr),
            ("batch_size", args.batch_size),
            ("seed", args.seed),
            ("negatives", args.negatives),
            ("pen_look", args.pen_look),
        )
        if v is not None
    }
    config = dataclasses.replace(START_CONFIG, **changes)
    limit_blas_threads(1)  # as the window does
    data = load_mnist(args.data)
    prepared = time.perf_counter()
    trainer = Trainer(config, data)
    prepare_seconds = time.perf_counter() - prepared
    trainer.model.threads = args.threads
    epochs = []
    started = time.perf_counter()
    cpu_started = time.process_time()
    for event in trainer.run():
        if isinstance(event, EpochDone):
            row = {
                "epoch": event.epoch + 1,
                "seconds": round(time.perf_counter() - started, 1),
                "cpu_seconds": round(time.process_time() - cpu_started, 1),
                "test_accuracy": event.test_accuracy,
                "test_refusal_rate": event.test_refusal_rate,
            }
            epochs.append(row)
            if not args.json:
                print(
                    f"epoch {row['epoch']}: {row['seconds']:.1f} s ({row['cpu_seconds']:.1f} "
                    f"CPU s), test accuracy {event.test_accuracy:.2%}, refused "
                    f"{event.test_refusal_rate or 0:.2%}",
                    file=sys.stderr,
                )
        elif isinstance(event, Failed):
            print(event.message, file=sys.stderr)
            return 1
        elif isinstance(event, Finished):
            summary = event.summary
    result = {
        "config": {
            k: v
            for k, v in dataclasses.asdict(config).items()
            if v is not None and k != "architecture"
        },
        "network": config.network_name(),
        "threads": args.threads,
        "training_seconds": round(trainer.seconds, 1),
        "cpu_seconds": round(time.process_time() - cpu_started, 1),
        "test_accuracy": summary["test_accuracy"],
        "test_refusal_rate": summary.get("test_refusal_rate"),
        "prepare_seconds": round(prepare_seconds, 1),
        "epochs": epochs,
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"{result['prepare_seconds']:.1f} s preparing, "
            f"{result['training_seconds']:.1f} s of training ({result['cpu_seconds']:.1f} CPU "
            f"s), test accuracy {result['test_accuracy']:.2%}, refused "
            f"{result['test_refusal_rate'] or 0:.2%} of the test digits"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
