"""Peak memory of a training run, ours against PyTorch on the CPU, each in its own process.

Each child process imports its library, builds the model, preloads the same data, notes its
resident memory, trains ``--steps`` batches, and reports the growth of its peak resident set
(``ru_maxrss``) over that baseline: the memory the training itself needs (activations,
gradients, optimizer state, temporaries). Several alternating runs; medians.

    python benchmarks/train_memory.py [--arch cnn] [--batch-size 128] [--steps 30] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _rss_mib() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def child(which: str, arch: str, batch: int, steps: int) -> dict[str, float]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from train_throughput import OursRunner, TorchRunner, synthetic_data

    x, t = synthetic_data(batch * 4)
    runner_cls = OursRunner if which == "ours" else TorchRunner
    runner = runner_cls(arch, batch, "cpu", x, t)
    base = _rss_mib()
    runner.run(steps)
    return {"baseline_mib": base, "peak_growth_mib": _peak_mib() - base}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arch", default="cnn", choices=["cnn", "mlp"])
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", choices=["ours", "pytorch"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.arch, args.batch_size, args.steps)))
        return 0

    try:
        import torch  # noqa: F401
    except ImportError:
        sides = ["ours"]
    else:
        sides = ["ours", "pytorch"]
    growth: dict[str, list[float]] = {s: [] for s in sides}
    for _ in range(args.runs):
        for side in sides:
            out = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--child",
                    side,
                    "--arch",
                    args.arch,
                    "--batch-size",
                    str(args.batch_size),
                    "--steps",
                    str(args.steps),
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            growth[side].append(json.loads(out.stdout.strip().splitlines()[-1])["peak_growth_mib"])
    print(
        f"peak memory of training {args.arch} at batch {args.batch_size} "
        f"({args.steps} steps; medians of {args.runs} runs)"
    )
    med = {s: statistics.median(v) for s, v in growth.items()}
    for side, value in med.items():
        print(f"  {side:8s} {value:7.1f} MiB above the process's baseline")
    if "pytorch" in med and med["pytorch"] > 0:
        print(f"  ours / PyTorch: {med['ours'] / med['pytorch']:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
