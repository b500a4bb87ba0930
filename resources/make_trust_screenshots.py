"""Regenerate the screenshots of answers you can trust (offscreen; real MNIST from
HANDWRITE_DATA).

    python resources/make_trust_screenshots.py [--model models/default.npz] [--out resources]

Writes ``screenshot-refused.png`` (a capital "A" drawn on the canvas, which the model
refuses: "Not a digit?", its best guess greyed out beside it, the digit score under the
threshold; the "Your handwriting" tab offering the drawing as "not a digit"),
``screenshot-calibration.png`` (the model evaluated on the 10,000 test digits: the
reliability diagram, the expected calibration error and the refusal rate), and the same two
in Japanese, ``screenshot-ja-refused.png`` and ``screenshot-ja-calibration.png``. The model
must refuse (a model file of format version 2 with a threshold).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEventLoop, QPointF, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from handwrite import resources  # noqa: E402


def wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default=str(resources.default_model_path()))
    parser.add_argument("--out", default=str(ROOT / "resources"))
    args = parser.parse_args()

    app = QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    import pyqtgraph as pg

    from handwrite.gui import AppSettings, MainWindow
    from handwrite.gui.icon import app_icon
    from handwrite.gui.training.run_controller import RunState
    from handwrite.mnist import load_mnist
    from handwrite.nn.backend import limit_blas_threads
    from tests.gui.strokes import drag

    pg.setConfigOptions(antialias=True)
    limit_blas_threads(1)
    app.setWindowIcon(app_icon())
    out = Path(args.out)
    tmp = tempfile.TemporaryDirectory()
    os.environ["HANDWRITE_HOME"] = tmp.name  # an empty personal set, not the user's
    w = MainWindow(settings=AppSettings(Path(tmp.name) / "s.ini"), model_path=args.model)
    w.resize(1280, 760)
    w.show()
    wait(200)
    if not w.model.refuses:
        print(f"{args.model}: this model never refuses; pass --model with one that does")
        return 1

    c = w.canvas
    r = c.surface_rect()

    def at(fx: float, fy: float) -> QPointF:
        return QPointF(r.left() + r.width() * fx, r.top() + r.height() * fy)

    def line(*points: QPointF, n: int = 15) -> list[QPointF]:
        path = [points[0]]
        for a, b in zip(points, points[1:], strict=False):
            path += [a + (b - a) * (i / n) for i in range(1, n + 1)]
        return path

    # A capital A: two strokes up and down, and the bar across.
    drag(c, line(at(0.28, 0.8), at(0.5, 0.2), at(0.72, 0.8)))
    drag(c, line(at(0.37, 0.58), at(0.63, 0.58)))
    wait(200)
    answer = w.predictor.answer
    if answer is None or not answer.refused:
        print(f"the model does not refuse the A ({answer!r}); the screenshot would not show it")
        return 1
    w.splitter.setSizes([740, 540])
    w.tabs.setCurrentWidget(w.personal_panel)
    wait(300)
    w.grab().save(str(out / "screenshot-refused.png"))

    # The test results: evaluated in the background, then the reliability diagram.
    w.mnist.set_data(load_mnist())
    w.tabs.setCurrentWidget(w.confusion_view)
    w.confusion_view.evaluate_button.click()
    while w.run.state is RunState.EVALUATING or w.confusion_view.confusion() is None:
        wait(100)
    w.confusion_view.pages.setCurrentIndex(1)
    w.splitter.setSizes([560, 720])
    wait(300)
    w.grab().save(str(out / "screenshot-calibration.png"))

    # The same in Japanese: the drawing and the results come along.
    w.set_language("ja")
    wait(300)
    w.splitter.setSizes([560, 720])
    wait(200)
    w.grab().save(str(out / "screenshot-ja-calibration.png"))
    w.splitter.setSizes([740, 540])
    w.tabs.setCurrentWidget(w.personal_panel)
    wait(300)
    w.grab().save(str(out / "screenshot-ja-refused.png"))
    w.set_language("en")
    w.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
