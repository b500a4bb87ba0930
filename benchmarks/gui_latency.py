"""How responsive is the window? Two figures, printed as a table:

1. **Event-loop stall while training runs**: a ``QTimer`` asks to tick every 10 ms on the GUI
   thread while a network trains in the worker thread (and strokes are drawn and
   recognised now and then, as a user would); each tick's lateness beyond 10 ms is a stall.
   Target: p99 under 50 ms.
2. **Stroke-to-answer latency**: the time from a stroke's last mouse event (the button
   release) to ``prediction_changed`` carrying the new probabilities, over ``--strokes``
   strokes, with the window idle and while training. Target: under 30 ms.

The network trains with each layer measured (``--no-diagnostics``: without), as the window's
Start defaults do, and the Training tab shows its "Why it learns" view: the per-layer curves
and weight histograms are drawn from the trainer's events while the strokes are timed.

With ``--map`` the Map tab is shown instead, its 2,000 test digits mapped first (the time that takes
is printed), so that every stroke also moves the drawing's point on the map (and the map is
fitted again every few seconds while the network trains); the time from the release to the
map's refresh with the point moved is printed too.

Run (offscreen by default; real MNIST from HANDWRITE_DATA or --data)::

    python benchmarks/gui_latency.py [--arch cnn] [--seconds 15] [--strokes 30] [--model M.npz]
        [--map] [--no-diagnostics] [--view curves]
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
from PySide6.QtCore import QEvent, QEventLoop, QPointF, Qt, QTimer  # noqa: E402
from PySide6.QtGui import QMouseEvent  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

TICK_MS = 10


def _send(widget, kind, pos, button, buttons) -> None:  # noqa: ANN001
    g = QPointF(widget.mapToGlobal(pos.toPoint()))
    QApplication.sendEvent(
        widget, QMouseEvent(kind, pos, g, button, buttons, Qt.KeyboardModifier.NoModifier)
    )


def _stroke_points(canvas, rng: np.random.Generator) -> list[QPointF]:  # noqa: ANN001
    """A random one of: a "1" (vertical line), a "0" (oval), a "7" (bar and diagonal)."""
    r = canvas.surface_rect()

    def at(fx: float, fy: float) -> QPointF:
        jx, jy = rng.normal(0, 0.01, 2)
        return QPointF(r.left() + r.width() * (fx + jx), r.top() + r.height() * (fy + jy))

    kind = int(rng.integers(3))
    if kind == 0:
        return [at(0.5, 0.2 + 0.6 * i / 24) for i in range(25)]
    if kind == 1:
        return [
            at(
                0.5 + 0.2 * math.sin(2 * math.pi * i / 40),
                0.5 - 0.3 * math.cos(2 * math.pi * i / 40),
            )
            for i in range(42)
        ]
    return [at(0.28 + 0.44 * i / 12, 0.22) for i in range(13)] + [
        at(0.72 - 0.3 * i / 20, 0.22 + 0.58 * i / 20) for i in range(1, 21)
    ]


def stroke_latency(  # noqa: ANN001
    window, rng: np.random.Generator, point: list[float] | None = None
) -> float:
    """Draw one stroke with mouse events; seconds from the release to prediction_changed.
    ``point``: when given, the seconds from the release to the map's next refresh (the
    drawing's point moved) are appended to it."""
    canvas = window.canvas
    canvas.clear()
    pts = _stroke_points(canvas, rng)
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    _send(canvas, QEvent.Type.MouseButtonPress, pts[0], left, left)
    for p in pts[1:]:
        _send(canvas, QEvent.Type.MouseMove, p, none, left)
    got: list[float] = []

    def on_prediction(p: object) -> None:
        if p is not None and not got:
            got.append(time.perf_counter())

    window.prediction_changed.connect(on_prediction)
    moved: list[float] = []

    def on_map_refreshed() -> None:
        if got and not moved:
            moved.append(time.perf_counter())

    if point is not None:
        window.map_view.refreshed.connect(on_map_refreshed)
    t0 = time.perf_counter()
    _send(canvas, QEvent.Type.MouseButtonRelease, pts[-1], left, none)
    deadline = t0 + 2.0
    while (not got or (point is not None and not moved)) and time.perf_counter() < deadline:
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
    window.prediction_changed.disconnect(on_prediction)
    if point is not None:
        window.map_view.refreshed.disconnect(on_map_refreshed)
        if moved:
            point.append(moved[0] - t0)
    if not got:
        raise RuntimeError("no prediction within 2 s of the stroke")
    return got[0] - t0


def _wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def _summary(values_ms: list[float]) -> str:
    a = np.asarray(values_ms)
    return (
        f"median {np.median(a):6.1f}   p99 {np.percentile(a, 99):6.1f}   "
        f"worst {a.max():6.1f}   (n={len(a)})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--arch", default="cnn", help="network trained in the background")
    parser.add_argument("--seconds", type=float, default=15.0, help="training time measured")
    parser.add_argument("--strokes", type=int, default=30, help="strokes per measurement")
    parser.add_argument("--limit", type=int, default=20000, help="training images")
    parser.add_argument("--model", help="model to predict with (default: the window's)")
    parser.add_argument("--data", help="MNIST folder (default: HANDWRITE_DATA)")
    parser.add_argument(
        "--map", action="store_true", help="show the Map tab, its digits mapped, while drawing"
    )
    parser.add_argument(
        "--view",
        choices=("layers", "curves"),
        default="layers",
        help="the Training view shown while training: Why it learns, or the loss curves",
    )
    parser.add_argument(
        "--no-diagnostics",
        dest="diagnostics",
        action="store_false",
        help="train without measuring each layer (the Why it learns view stays empty)",
    )
    parser.add_argument(
        "--blas-threads",
        type=int,
        default=1,
        help="BLAS threads, as the app sets them (0: leave the library's default)",
    )
    args = parser.parse_args(argv)

    app = QApplication.instance() or QApplication(sys.argv[:1])
    from handwrite.gui import AppSettings, MainWindow
    from handwrite.gui.settings import TrainingSettings
    from handwrite.mnist import load_mnist
    from handwrite.nn.backend import device_name, limit_blas_threads
    from handwrite.trainer import TrainConfig

    blas = "library default"
    if args.blas_threads > 0 and limit_blas_threads(args.blas_threads):
        blas = str(args.blas_threads)
    data = load_mnist(args.data)
    tmp = tempfile.TemporaryDirectory()
    window = MainWindow(settings=AppSettings(Path(tmp.name) / "bench.ini"), model_path=args.model)
    window.resize(1280, 760)
    window.show()
    _wait(200)
    rng = np.random.default_rng(0)
    model = window.model
    print(
        f"handwrite GUI latency ({device_name(np)}, BLAS threads: {blas}, "
        f"{os.cpu_count()} CPUs, Qt platform {app.platformName()})"
    )
    print(f"predicting with: {model.name} ({model.parameter_count():,} parameters)")
    point: list[float] | None = None
    if args.map:
        window.mnist.set_data(data)
        window.tabs.setCurrentWidget(window.map_view)
        _wait(100)
        t0 = time.perf_counter()
        window.map_view.request_map()
        while window.map_view.embedding() is None:
            _wait(10)
        seconds = time.perf_counter() - t0
        digits = len(window.map_view.embedding().labels)
        print(f"the Map tab is shown: {digits:,} test digits mapped in {seconds:.2f} s")
        point = []

    # 1. Strokes with the window idle.
    for _ in range(3):  # warm-up
        stroke_latency(window, rng)
    idle = [1000 * stroke_latency(window, rng, point) for _ in range(args.strokes)]
    idle_point = [1000 * t for t in point] if point is not None else []

    # 2. Training in the background: the timer's lateness, and strokes now and then.
    window.mnist.set_data(data)
    window.document.set_dirty(False)
    if point is not None:
        point.clear()
    layers = window.training_tab.diagnostics
    if point is None:  # the per-layer curves in view, drawn as the trainer measures
        window.tabs.setCurrentWidget(window.training_tab)
        views = window.training_tab.views
        views.setCurrentIndex(0 if args.view == "curves" else views.indexOf(layers))
    measured: list[int] = []
    window.run.layer_stats.connect(lambda s: measured.append(len(s.steps)))
    settings = TrainingSettings(
        arch=args.arch,
        architecture=None,
        epochs=50,
        limit=args.limit,
        dropout=0.5,
        optimizer=TrainConfig.optimizer,
        lr=TrainConfig.lr,
        schedule="constant",
        augment=False,
        validation=TrainConfig.validation,
        diagnostics=args.diagnostics,
    )
    window.run.train(settings)
    while window.training_plot.batch_points() == 0:  # past the preparation of the images
        _wait(20)
    ticks: list[float] = []
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(TICK_MS)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    busy: list[float] = []
    end = time.perf_counter() + args.seconds
    next_stroke = time.perf_counter() + 0.3
    while time.perf_counter() < end:
        if len(busy) < args.strokes and time.perf_counter() >= next_stroke:
            busy.append(1000 * stroke_latency(window, rng, point))
            next_stroke = time.perf_counter() + max(0.05, args.seconds / (args.strokes + 1))
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
    timer.stop()
    batches = window.training_plot.batch_points()
    redraws = layers.redraw_count
    window.run.shutdown()
    window.document.set_dirty(False)
    window.close()

    stalls = [1000 * (b - a) - TICK_MS for a, b in zip(ticks, ticks[1:], strict=False)]
    stalls = [max(0.0, s) for s in stalls]
    print(f"training: {args.arch}, {batches} batches in {args.seconds:g} s")
    if args.diagnostics:
        print(
            f"each layer measured: {len(measured)} LayerStats events, {sum(measured)} steps "
            f"measured; the Why it learns view "
            f"{'shown' if point is None and args.view == 'layers' else 'hidden'}, "
            f"drawn {redraws} times"
        )
    else:
        print("layers not measured")
    print()
    print(f"event-loop stall while training (ms, {TICK_MS} ms timer):  {_summary(stalls)}")
    print(f"stroke -> probabilities, idle (ms):              {_summary(idle)}")
    print(f"stroke -> probabilities, while training (ms):    {_summary(busy)}")
    if point is not None:
        print(f"stroke -> point moved on the map, idle (ms):     {_summary(idle_point)}")
        busy_point = [1000 * t for t in point]
        print(f"stroke -> point moved, while training (ms):      {_summary(busy_point)}")
        print(f"map refits while training: {window.map_view.fit_count - 1}")
    ok_stall = float(np.percentile(stalls, 99)) <= 50
    ok_idle = statistics.median(idle) <= 30
    print()
    print(
        f"targets: stall p99 <= 50 ms: {'yes' if ok_stall else 'NO'};  "
        f"idle stroke median <= 30 ms: {'yes' if ok_idle else 'NO'}"
    )
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
