"""The window's Start with its default settings: how long it trains and what it reaches.

Trains :data:`handwrite.trainer.START_CONFIG` on MNIST as the window does (one BLAS thread,
the training step on all cores but one, diagnostics on) and prints the training seconds
(the trainer's clock: steps and each epoch's evaluation), the process's CPU seconds over
the same span, and the test accuracy after each epoch. The goal: at least 99.3% on the
10,000 test digits within 90 seconds on a 2-core machine. On a shared machine the CPU
seconds tell what the run needs of the cores it is given; with one training thread they
are the wall-clock seconds of a machine that has a core free for it.

    python benchmarks/default_run.py [--data DIR] [--threads N] [--json]
    python benchmarks/default_run.py --epochs 4 --lr 0.003     # try other settings
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
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    changes = {
        k: v
        for k, v in (
            ("epochs", args.epochs),
            ("lr", args.lr),
            ("batch_size", args.batch_size),
            ("seed", args.seed),
        )
        if v is not None
    }
    config = dataclasses.replace(START_CONFIG, **changes)
    limit_blas_threads(1)  # as the window does
    data = load_mnist(args.data)
    trainer = Trainer(config, data)
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
            }
            epochs.append(row)
            if not args.json:
                print(
                    f"epoch {row['epoch']}: {row['seconds']:.1f} s ({row['cpu_seconds']:.1f} "
                    f"CPU s), test accuracy {event.test_accuracy:.2%}",
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
        "epochs": epochs,
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"{result['training_seconds']:.1f} s of training ({result['cpu_seconds']:.1f} CPU "
            f"s), test accuracy {result['test_accuracy']:.2%}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
