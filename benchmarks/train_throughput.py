"""Training throughput of handwrite's NumPy core against PyTorch on the CPU, in one run.

For each model (``mlp``, ``cnn``) and batch size, the two implementations train the same
architecture with the same optimizer (Adam, lr 1e-3) on the same preloaded data, alternating
round by round so that both see the same machine load. Prints images per second (median over
rounds) for each and the ratio ours / PyTorch, as a Markdown table (``--json`` for a JSON
object). Without PyTorch (``pip install 'handwrite[bench]'``) only our figures are printed.

    python benchmarks/train_throughput.py                 # mlp and cnn, batch 64 and 128
    python benchmarks/train_throughput.py --models cnn --batch-sizes 128 512 --device gpu
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from typing import Any

import numpy as np

from handwrite.nn import make_optimizer, presets
from handwrite.nn.backend import device_name, get_backend, to_numpy

try:
    import torch
    from torch import nn as tnn
except ImportError:  # the reference is optional
    torch = None


def synthetic_data(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """MNIST-shaped data: (n, 1, 28, 28) float32 in [0, 1] and (n,) int64 labels."""
    rng = np.random.default_rng(seed)
    x = (rng.random((n, 1, 28, 28), dtype=np.float32) > 0.8).astype(np.float32)
    return x, rng.integers(0, 10, n)


# ---------------------------------------------------------------------------------------
# Ours
# ---------------------------------------------------------------------------------------


class OursRunner:
    def __init__(self, arch: str, batch: int, device: str, x: np.ndarray, t: np.ndarray) -> None:
        self.model = presets.build(arch, device=device).train()
        self.opt = make_optimizer("adam", self.model.parameters(), 1e-3)
        self.xp = get_backend(device)
        self.batch = batch
        self.x = self.xp.asarray(x)
        self.t = self.xp.asarray(t)
        self.pos = 0

    def run(self, steps: int) -> float:
        """Train ``steps`` batches; returns the seconds taken."""
        n = self.x.shape[0]
        start = time.perf_counter()
        for _ in range(steps):
            if self.pos + self.batch > n:
                self.pos = 0
            xb = self.x[self.pos : self.pos + self.batch]
            tb = self.t[self.pos : self.pos + self.batch]
            self.pos += self.batch
            self.opt.zero_grad()
            self.model.train_step(xb, tb)
            self.opt.step()
        if self.xp is not np:
            self.xp.cuda.Stream.null.synchronize()
        return time.perf_counter() - start

    def loss(self) -> float:
        y = self.model.forward(self.x[:256])
        return float(to_numpy(self.model.loss.forward(y, self.t[:256])))


# ---------------------------------------------------------------------------------------
# PyTorch (the reference)
# ---------------------------------------------------------------------------------------


def torch_model(arch: str) -> Any:
    if arch == "mlp":
        return tnn.Sequential(
            tnn.Flatten(),
            tnn.Linear(784, 100),
            tnn.ReLU(),
            tnn.Linear(100, 100),
            tnn.ReLU(),
            tnn.Linear(100, 10),
        )
    if arch == "cnn":
        return tnn.Sequential(
            tnn.Conv2d(1, 32, 5),
            tnn.ReLU(),
            tnn.MaxPool2d(2),
            tnn.Conv2d(32, 64, 5),
            tnn.ReLU(),
            tnn.MaxPool2d(2),
            tnn.Flatten(),
            tnn.Linear(1024, 128),
            tnn.ReLU(),
            tnn.Dropout(0.5),
            tnn.Linear(128, 10),
        )
    raise ValueError(f"no PyTorch reference for {arch!r}")


class TorchRunner:
    def __init__(self, arch: str, batch: int, device: str, x: np.ndarray, t: np.ndarray) -> None:
        self.dev = torch.device("cuda" if device == "gpu" else "cpu")
        torch.manual_seed(0)
        self.model = torch_model(arch).to(self.dev).train()
        self.opt = torch.optim.Adam(self.model.parameters(), lr=1e-3)
        self.loss_fn = tnn.CrossEntropyLoss()
        self.batch = batch
        self.x = torch.from_numpy(x).to(self.dev)
        self.t = torch.from_numpy(t).to(self.dev)
        self.pos = 0

    def run(self, steps: int) -> float:
        n = self.x.shape[0]
        start = time.perf_counter()
        for _ in range(steps):
            if self.pos + self.batch > n:
                self.pos = 0
            xb = self.x[self.pos : self.pos + self.batch]
            tb = self.t[self.pos : self.pos + self.batch]
            self.pos += self.batch
            self.opt.zero_grad(set_to_none=True)
            self.loss_fn(self.model(xb), tb).backward()
            self.opt.step()
        if self.dev.type == "cuda":
            torch.cuda.synchronize()
        return time.perf_counter() - start


# ---------------------------------------------------------------------------------------


def measure(arch: str, batch: int, args: argparse.Namespace) -> dict[str, Any]:
    x, t = synthetic_data(max(batch * 8, 2048))
    steps = args.steps or max(
        5, (args.images_per_round or (2000 if arch == "cnn" else 40000)) // batch
    )
    runners: dict[str, Any] = {"ours": OursRunner(arch, batch, args.device, x, t)}
    if torch is not None and not args.no_torch:
        runners["pytorch"] = TorchRunner(arch, batch, args.device, x, t)
    for r in runners.values():  # warm-up: caches, allocators, BLAS threads
        r.run(max(2, steps // 5))
    rates: dict[str, list[float]] = {name: [] for name in runners}
    for _ in range(args.rounds):
        for name, r in runners.items():
            rates[name].append(steps * batch / r.run(steps))
    row: dict[str, Any] = {"model": arch, "batch": batch, "steps_per_round": steps}
    for name, values in rates.items():
        row[f"{name}_images_per_s"] = statistics.median(values)
    if "pytorch" in rates:
        ratios = [a / b for a, b in zip(rates["ours"], rates["pytorch"], strict=True)]
        row["ratio"] = statistics.median(ratios)
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=["mlp", "cnn"], choices=["mlp", "cnn"])
    parser.add_argument("--batch-sizes", nargs="+", type=int, default=[64, 128])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--steps", type=int, default=0, help="batches per round (default: auto)")
    parser.add_argument("--images-per-round", type=int, default=0)
    parser.add_argument("--device", choices=["cpu", "gpu"], default="cpu")
    parser.add_argument("--no-torch", action="store_true", help="measure only our core")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    if torch is not None and args.device == "gpu" and not torch.cuda.is_available():
        print("PyTorch sees no CUDA device", file=sys.stderr)
        return 2
    rows = [measure(m, b, args) for m in args.models for b in args.batch_sizes]
    info = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()}",
        "backend": device_name(get_backend(args.device)),
        "numpy": np.__version__,
        "torch": torch.__version__ if torch is not None else None,
        "torch_threads": torch.get_num_threads() if torch is not None else None,
    }
    if args.json:
        print(json.dumps({"info": info, "rows": rows}, indent=2))
        return 0
    print(
        f"# {info['machine']}; ours: {info['backend']}, numpy {info['numpy']}; "
        f"PyTorch {info['torch']} ({info['torch_threads']} threads)"
    )
    print("| model | batch | ours (images/s) | PyTorch (images/s) | ours / PyTorch |")
    print("|---|---:|---:|---:|---:|")
    for r in rows:
        ref = r.get("pytorch_images_per_s")
        ratio = r.get("ratio")
        print(
            f"| {r['model']} | {r['batch']} | {r['ours_images_per_s']:,.0f} | "
            f"{f'{ref:,.0f}' if ref else '-'} | {f'{ratio:.2f}' if ratio else '-'} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
