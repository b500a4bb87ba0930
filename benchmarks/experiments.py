"""How long each one-click experiment takes, and what it concludes, on real MNIST.

Runs every experiment of :mod:`handwrite.experiments` (or those named) as the window and
``handwrite experiment`` do, and prints its duration and conclusion. Each should finish within
about two minutes on a 2-core laptop.

    python benchmarks/experiments.py [NAME ...] [--data DIR] [--threads N] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys

from handwrite.experiments import EXPERIMENTS, ExperimentRun, VariantFinished
from handwrite.mnist import load_mnist


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", choices=[*EXPERIMENTS, []], default=[])
    parser.add_argument("--data", help="folder with the MNIST files")
    parser.add_argument("--threads", type=int, help="CPU threads per training step")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    data = load_mnist(args.data)
    rows = []
    for name in args.names or list(EXPERIMENTS):
        run = ExperimentRun(EXPERIMENTS[name], data, threads=args.threads)
        for event in run.run():
            if isinstance(event, VariantFinished):
                r = event.result
                print(
                    f"  {name}/{r.key}: {r.seconds:.1f} s, {len(r.steps)} steps, "
                    f"test {r.test_accuracy}",
                    file=sys.stderr,
                )
        result = run.result
        assert result is not None and result.conclusion is not None
        rows.append(
            {
                "experiment": name,
                "seconds": round(result.seconds, 1),
                "conclusion": result.conclusion.text(),
            }
        )
        if not args.json:
            print(f"## {name}: {result.seconds:.0f} s\n{result.conclusion.text()}\n", flush=True)
    if args.json:
        print(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
