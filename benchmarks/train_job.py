"""The whole job a user runs: ``handwrite train --arch mlp ... --json`` against the same job
written for PyTorch, end to end, each in a fresh process.

The job: start Python, read MNIST (both with :func:`handwrite.mnist.load_mnist`, so that
both parse the same files the same way), hold out the last 5,000 training images for
validation, train the 784-100-100-10 ReLU network with Adam (lr 1e-3) on shuffled batches
of 64 for ``--epochs`` epochs with a progress bar, evaluate validation and test loss and
accuracy after each epoch, save the model after each epoch, print a JSON summary. The two
alternate, ``--rounds`` times; the script prints each one's median wall-clock seconds (the
whole process: interpreter, imports, reading MNIST, training) and the seconds each reports
for training and evaluation alone, and the ratios PyTorch / ours (above 1: ours is faster).

    python benchmarks/train_job.py --data DIR [--epochs 2] [--rounds 3] [--threads N]

``--threads N`` sets ``OPENBLAS_NUM_THREADS`` for ours and ``torch.set_num_threads`` for
PyTorch; without it both use their own defaults. Needs PyTorch (``pip install
'handwrite[bench]'``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TORCH_JOB = r"""
import json, sys, time
import numpy as np
import torch
from torch import nn
from tqdm import tqdm
from handwrite.mnist import load_mnist

data_dir, epochs, out, threads = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
if threads:
    torch.set_num_threads(threads)
data = load_mnist(data_dir, download=False)
images = torch.from_numpy(data.train_images.astype(np.float32) / 255.0).reshape(-1, 1, 28, 28)
labels = torch.from_numpy(data.train_labels.astype(np.int64))
n = len(labels) - 5000
train_x, train_t, val_x, val_t = images[:n], labels[:n], images[n:], labels[n:]
test_x = torch.from_numpy(data.test_images.astype(np.float32) / 255.0).reshape(-1, 1, 28, 28)
test_t = torch.from_numpy(data.test_labels.astype(np.int64))
started = time.perf_counter()  # as handwrite's "seconds": training and evaluation
torch.manual_seed(0)
model = nn.Sequential(
    nn.Flatten(), nn.Linear(784, 100), nn.ReLU(), nn.Linear(100, 100), nn.ReLU(),
    nn.Linear(100, 10),
)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()


def evaluate(x, t):
    model.eval()
    with torch.no_grad():
        y = torch.cat([model(x[i : i + 1000]) for i in range(0, len(x), 1000)])
    model.train()
    pred = y.argmax(1)
    confusion = torch.zeros(10, 10, dtype=torch.int64)
    confusion.index_put_((t, pred), torch.ones_like(t), accumulate=True)
    return float(loss_fn(y, t)), float((pred == t).float().mean())


steps = (n + 63) // 64
bar = tqdm(total=steps * epochs, unit="batch", file=sys.stderr)
for epoch in range(epochs):
    order = torch.randperm(n)
    for b in range(steps):
        idx = order[b * 64 : (b + 1) * 64]
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(train_x[idx]), train_t[idx])
        loss.backward()
        optimizer.step()
        bar.update(1)
        if b % 10 == 0:
            bar.set_postfix(loss=f"{float(loss):.4f}", refresh=False)
    val_loss, val_acc = evaluate(val_x, val_t)
    test_loss, test_acc = evaluate(test_x, test_t)
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, out)
bar.close()
seconds = time.perf_counter() - started
print(json.dumps({"epochs": epochs, "seconds": round(seconds, 2), "test_accuracy": test_acc,
                  "test_loss": test_loss}))
"""


def timed(command: list[str], env: dict[str, str]) -> tuple[float, dict]:
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{command[:4]} failed:\n{done.stderr[-2000:]}")
    return seconds, json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="folder with the MNIST files")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=0, help="threads for both (0: defaults)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
    if args.threads:
        env["OPENBLAS_NUM_THREADS"] = str(args.threads)
        env["HANDWRITE_THREADS"] = str(args.threads)
    times: dict[str, list[float]] = {"ours": [], "pytorch": []}
    training: dict[str, list[float]] = {"ours": [], "pytorch": []}
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        ours = [
            sys.executable, "-m", "handwrite.cli", "train", "--arch", "mlp",
            "--epochs", str(args.epochs), "--batch-size", "64", "--optimizer", "adam",
            "--lr", "0.001", "--data", args.data, "--out", str(Path(tmp) / "m.npz"), "--json",
        ]  # fmt: skip
        torch_job = [
            sys.executable, "-c", TORCH_JOB, args.data, str(args.epochs),
            str(Path(tmp) / "m.pt"), str(args.threads),
        ]  # fmt: skip
        for _ in range(args.rounds):
            for name, command in (("ours", ours), ("pytorch", torch_job)):
                seconds, results[name] = timed(command, env)
                times[name].append(seconds)
                training[name].append(float(results[name]["seconds"]))
    ratios = [p / o for o, p in zip(times["ours"], times["pytorch"], strict=True)]
    train_ratios = [p / o for o, p in zip(training["ours"], training["pytorch"], strict=True)]
    summary = {
        "epochs": args.epochs,
        "threads": args.threads or "defaults",
        "ours_seconds": statistics.median(times["ours"]),
        "pytorch_seconds": statistics.median(times["pytorch"]),
        "pytorch_over_ours": statistics.median(ratios),
        "ours_training_seconds": statistics.median(training["ours"]),
        "pytorch_training_seconds": statistics.median(training["pytorch"]),
        "training_pytorch_over_ours": statistics.median(train_ratios),
        "rounds": {k: [round(v, 2) for v in vs] for k, vs in times.items()},
        "test_accuracy": {k: r.get("test_accuracy") for k, r in results.items()},
    }
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        print(
            f"{args.epochs} epochs of the mlp, threads {summary['threads']}: ours "
            f"{summary['ours_seconds']:.1f} s, PyTorch {summary['pytorch_seconds']:.1f} s "
            f"(median of {args.rounds}); PyTorch / ours {summary['pytorch_over_ours']:.2f} "
            f"(rounds {', '.join(f'{r:.2f}' for r in ratios)}); training and evaluation "
            f"alone: ours {summary['ours_training_seconds']:.1f} s, PyTorch "
            f"{summary['pytorch_training_seconds']:.1f} s, PyTorch / ours "
            f"{summary['training_pytorch_over_ours']:.2f}; test accuracy "
            f"{summary['test_accuracy']}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
