"""What a training step pays for reading its batch: the core's bare steps of one network, each
way of handing them their images, in one process.

The ways, each a loop of ``zero_grad``, ``train_step``, ``step`` on 60,000 MNIST-shaped
images (as ``benchmarks/trainer_overhead.py``):

- ``bare``: consecutive slices of the images (views: nothing is copied; the reference);
- ``same``: one batch, the same every step (no new images are read at all);
- ``copy``: consecutive slices copied into a buffer (the copy, without the shuffle);
- ``shuffled``: rows picked in a shuffled order, gathered into a buffer (what a training
  loop must do, and what the trainer does);
- ``huge``: the same from images on 2 MiB pages (Linux's transparent huge pages asked for
  with ``madvise``: fewer misses of the address translation for rows picked at random);
- ``bytes``: the rows gathered from the images kept as bytes (a quarter of the memory), then
  converted into the float buffer;
- ``ahead``: the shuffled rows gathered by a worker thread for the next step, while the
  optimizer updates the weights on the step's thread.

Each way runs as several instances (``--instances``), a round times the same steps of each
instance, each in each place in turn, and the script prints per way the median of the
rounds' ratios to ``bare`` with its 95% bootstrap interval, and the microseconds a step
that makes.

    python benchmarks/gather_cost.py
    python benchmarks/gather_cost.py --arch mlp --batch 128 --rounds 40 --json
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import mmap
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from trainer_overhead import TRAIN_IMAGES, Bare, median_interval, synthetic_images  # noqa: E402

WAYS = ("bare", "same", "copy", "shuffled", "huge", "bytes", "ahead")
HUGE_PAGE = 2 << 20


def on_huge_pages(a: np.ndarray) -> np.ndarray | None:
    """A copy of ``a`` in anonymous memory advised to use huge pages, aligned to them (None
    where the platform has no ``MADV_HUGEPAGE``)."""
    advice = getattr(mmap, "MADV_HUGEPAGE", None)
    if advice is None:
        return None
    region = mmap.mmap(-1, a.nbytes + HUGE_PAGE, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    region.madvise(advice)
    raw = np.frombuffer(region, dtype=np.uint8)
    start = (-raw.ctypes.data) % HUGE_PAGE
    out = raw[start : start + a.nbytes].view(a.dtype).reshape(a.shape)
    out[...] = a
    return out


class Loop(Bare):
    """Bare steps of ``arch`` at ``batch``, their images handed over the ``way`` named."""

    def __init__(
        self,
        way: str,
        arch: str,
        batch: int,
        images: np.ndarray,
        labels: np.ndarray,
        worker: concurrent.futures.ThreadPoolExecutor,
    ) -> None:
        super().__init__(arch, batch, images, labels, shuffled=True)
        self.way = way
        self.worker = worker
        self.pending: concurrent.futures.Future[None] | None = None
        shape = (batch, *self.x.shape[1:])
        self.buffers = [(np.empty(shape, np.float32), np.empty(batch, np.int64)) for _ in "ab"]
        # ``bytes``: the images as they come (uint8), and the batch's bytes before converting
        self.x8 = images.reshape(self.x.shape) if way == "bytes" else None
        self.bytes_buffer = np.empty(shape, np.uint8) if way == "bytes" else None
        if way == "huge":
            huge = on_huge_pages(self.x)
            if huge is None:
                raise RuntimeError("no huge pages on this platform")
            self.x = huge
        self.steps = 0
        if way in ("same", "ahead"):  # the first batch (``same``: the only one)
            self._gather(0, self.buffers[0])

    def _gather(self, pos: int, buffers: tuple[np.ndarray, np.ndarray]) -> None:
        idx = self.order[pos : pos + self.batch]
        np.take(self.x, idx, axis=0, out=buffers[0], mode="clip")
        np.take(self.t, idx, out=buffers[1], mode="clip")

    def _next_batch(self) -> tuple[np.ndarray, np.ndarray]:
        if self.pos + self.batch > len(self.t):
            self.pos = 0
        pos, self.pos = self.pos, self.pos + self.batch
        end = pos + self.batch
        way = self.way
        if way == "bare":
            return self.x[pos:end], self.t[pos:end]
        if way == "same":
            return self.buffers[0]
        x, t = self.buffers[self.steps % 2]
        if way == "copy":
            np.copyto(x, self.x[pos:end])
            np.copyto(t, self.t[pos:end])
        elif way in ("shuffled", "huge"):
            self._gather(pos, (x, t))
        elif way == "bytes":
            assert self.x8 is not None and self.bytes_buffer is not None
            idx = self.order[pos:end]
            np.take(self.x8, idx, axis=0, out=self.bytes_buffer, mode="clip")
            np.take(self.t, idx, out=t, mode="clip")
            np.divide(self.bytes_buffer, np.float32(255.0), out=x, dtype=np.float32)
        elif way == "ahead":  # gathered at the previous step (or at the start)
            if self.pending is not None:
                self.pending.result()
                self.pending = None
        return x, t

    def run(self, steps: int) -> tuple[float, float]:
        """Train ``steps`` batches; the wall-clock and CPU seconds taken."""
        start, cpu = time.perf_counter(), time.process_time()
        for _ in range(steps):
            xb, tb = self._next_batch()
            self.optimizer.zero_grad()
            self.model.train_step(xb, tb)
            self.steps += 1
            if self.way == "ahead":
                following = self.pos if self.pos + self.batch <= len(self.t) else 0
                self.pending = self.worker.submit(
                    self._gather, following, self.buffers[self.steps % 2]
                )
            self.optimizer.step()
        if self.pending is not None:
            self.pending.result()
            self.pending = None
        return time.perf_counter() - start, time.process_time() - cpu


def measure(args: argparse.Namespace) -> dict[str, Any]:
    images, labels = synthetic_images(TRAIN_IMAGES)
    worker = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="gather")
    ways = [w for w in args.ways if w != "bare"]
    if "huge" in ways and on_huge_pages(np.zeros(1, np.float32)) is None:
        ways.remove("huge")
    ways.insert(0, "bare")
    loops = {
        way: [
            Loop(way, args.arch, args.batch, images, labels, worker) for _ in range(args.instances)
        ]
        for way in ways
    }
    turns = [(way, loop) for way, group in loops.items() for loop in group]
    for _, loop in turns:
        loop.run(args.steps)
    times: dict[str, list[float]] = {way: [] for way in ways}
    for k in range(args.rounds):
        spent: dict[str, list[float]] = {way: [] for way in ways}
        at = k % len(turns)
        for way, loop in turns[at:] + turns[:at]:
            spent[way].append(loop.run(args.steps)[0] / args.steps)
        for way in ways:
            times[way].append(statistics.fmean(spent[way]))
    worker.shutdown()
    rows = []
    for way in ways:
        ratios = [t / b for t, b in zip(times[way], times["bare"], strict=True)]
        extra = [t - b for t, b in zip(times[way], times["bare"], strict=True)]
        rows.append(
            {
                "way": way,
                "us_per_step": 1e6 * statistics.median(times[way]),
                "ratio": statistics.median(ratios),
                "ci": median_interval(ratios),
                "extra_us": 1e6 * statistics.median(extra),
            }
        )
    return {
        "arch": args.arch,
        "batch": args.batch,
        "rounds": args.rounds,
        "steps_per_round": args.steps,
        "instances": args.instances,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "rows": rows,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arch", default="mlp", choices=["mlp", "cnn"])
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--steps", type=int, default=40, help="steps per round")
    parser.add_argument("--instances", type=int, default=3)
    parser.add_argument("--ways", nargs="+", default=list(WAYS), choices=WAYS)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.batch < 1 or args.rounds < 1 or args.steps < 1 or args.instances < 1:
        parser.error("--batch, --rounds, --steps and --instances must be positive")
    result = measure(args)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(
        f"# {result['machine']}; {args.arch}, batch {args.batch}, {args.instances} instances, "
        f"{args.rounds} rounds of {args.steps} steps"
    )
    print("| way | µs/step | / bare | 95% interval | µs a step more |")
    print("|---|---:|---:|---|---:|")
    for row in result["rows"]:
        low, high = row["ci"]
        print(
            f"| {row['way']} | {row['us_per_step']:.0f} | {row['ratio']:.3f} | "
            f"{low:.3f}-{high:.3f} | {row['extra_us']:+.0f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
