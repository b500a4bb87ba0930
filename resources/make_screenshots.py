"""Regenerate the screenshots in this folder (offscreen; real MNIST from HANDWRITE_DATA).

    python resources/make_screenshots.py [--model models/default.npz] [--out resources]

Writes ``screenshot-draw.png`` (a drawn "4" and the answer), ``screenshot-inside.png`` (the
same "4" inside the network: first-layer filters and feature maps, the local contrast
normalization's before and after when the model has one), ``screenshot-confusion.png`` (the
model evaluated on the 10,000 test digits, a cell of the confusion matrix opened),
``screenshot-train.png`` (a cnn training on 6,000 digits, after three epochs),
``screenshot-ja.png`` (the drawn "4" in Japanese), ``icon.png``, and
into ``--extra`` (default: not written) the drawing-in-progress, error-dialog and "Your
drawing" (preprocessing and saliency) states used to check the layout.
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

from PySide6.QtCore import QEvent, QEventLoop, QPointF, Qt, QTimer  # noqa: E402
from PySide6.QtGui import QMouseEvent  # noqa: E402
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
    parser.add_argument("--extra", help="folder for the drawing and error-dialog states")
    args = parser.parse_args()

    app = QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    import pyqtgraph as pg

    from handwrite.gui import AppSettings, MainWindow, dialogs
    from handwrite.gui.icon import app_icon, paint_icon
    from handwrite.gui.settings import TrainingSettings
    from handwrite.gui.training.run_controller import RunState
    from handwrite.mnist import load_mnist
    from handwrite.nn.backend import limit_blas_threads
    from handwrite.nn.layers import LocalContrastNorm
    from tests.gui.strokes import drag, seven, zero

    pg.setConfigOptions(antialias=True)
    limit_blas_threads(1)
    app.setWindowIcon(app_icon())
    out = Path(args.out)
    tmp = tempfile.TemporaryDirectory()
    w = MainWindow(settings=AppSettings(Path(tmp.name) / "s.ini"), model_path=args.model)
    w.resize(1280, 760)
    w.show()
    wait(200)

    c = w.canvas
    r = c.surface_rect()

    def at(fx: float, fy: float) -> QPointF:
        return QPointF(r.left() + r.width() * fx, r.top() + r.height() * fy)

    def line(a: QPointF, b: QPointF, n: int = 15) -> list[QPointF]:
        return [a + (b - a) * (i / n) for i in range(n + 1)]

    drag(c, line(at(0.42, 0.2), at(0.28, 0.58)) + line(at(0.28, 0.58), at(0.7, 0.56))[1:])
    drag(c, line(at(0.6, 0.3), at(0.58, 0.82)))
    wait(150)
    w.probe_panel.pin()  # watched while the cnn trains, below
    w.grab().save(str(out / "screenshot-draw.png"))
    paint_icon(256).save(str(out / "icon.png"))

    # Inside the network, for the same "4".
    w.tabs.setCurrentIndex(1)
    features = w.feature_map_view
    lcn = [i for i in features.layer_indices() if isinstance(w.model.layers[i], LocalContrastNorm)]
    if lcn:
        features.set_layer(lcn[0])
    wait(300)
    w.grab().save(str(out / "screenshot-inside.png"))
    if args.extra:
        w.tabs.setCurrentIndex(2)
        wait(300)
        w.grab().save(str(Path(args.extra) / "your-drawing.png"))

    # The test results, evaluated on demand in the background.
    data = load_mnist()
    w.mnist.set_data(data)
    w.tabs.setCurrentIndex(3)
    w.confusion_view.evaluate_button.click()
    while w.run.state is RunState.EVALUATING or w.confusion_view.confusion() is None:
        wait(100)
    wait(200)
    w.grab().save(str(out / "screenshot-confusion.png"))
    w.tabs.setCurrentIndex(0)

    if args.extra:
        extra = Path(args.extra)
        c.clear()
        pts = zero(c)
        left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
        for kind, p, button, buttons in [(QEvent.Type.MouseButtonPress, pts[0], left, left)] + [
            (QEvent.Type.MouseMove, p, none, left) for p in pts[1:36]
        ]:
            g = QPointF(c.mapToGlobal(p.toPoint()))
            mods = Qt.KeyboardModifier.NoModifier
            QApplication.sendEvent(c, QMouseEvent(kind, p, g, button, buttons, mods))
        wait(120)
        w.grab().save(str(extra / "drawing.png"))
        g = QPointF(c.mapToGlobal(pts[35].toPoint()))
        mods = Qt.KeyboardModifier.NoModifier
        release = QMouseEvent(QEvent.Type.MouseButtonRelease, pts[35], g, left, none, mods)
        QApplication.sendEvent(c, release)
        box = dialogs.error_box(
            w,
            "The model could not be opened",
            "“broken.npz” is not a model this program can use: not a handwrite model file "
            "(not a valid .npz archive: File is not a zip file).\n\n"
            "The model you had before is still loaded.",
            "/home/me/broken.npz: not a handwrite model file",
        )
        box.show()
        wait(100)
        box.grab().save(str(extra / "error.png"))
        box.close()

    w.training_panel.set_settings(
        TrainingSettings(arch="cnn", epochs=8, lr=0.002, schedule="onecycle", limit=6000)
    )
    c.clear()
    drag(c, zero(c))
    wait(150)
    w.probe_panel.pin()
    c.clear()
    drag(c, seven(c))
    wait(150)
    w.probe_panel.pin()
    epochs: list[object] = []
    w.run.epoch_done.connect(epochs.append)
    w.training_panel.start_button.click()
    while len(epochs) < 3:
        wait(100)
    wait(300)
    w.grab().save(str(out / "screenshot-train.png"))
    w.run.shutdown()
    w.document.set_dirty(False)
    w.close()

    # The same drawing in Japanese (needs a CJK font, e.g. Debian's fonts-noto-cjk).
    from handwrite.gui import language

    language.install("ja")
    j = MainWindow(settings=AppSettings(Path(tmp.name) / "ja.ini"), model_path=args.model)
    j.resize(1280, 760)
    j.show()
    wait(200)
    c, r = j.canvas, j.canvas.surface_rect()
    drag(c, line(at(0.42, 0.2), at(0.28, 0.58)) + line(at(0.28, 0.58), at(0.7, 0.56))[1:])
    drag(c, line(at(0.6, 0.3), at(0.58, 0.82)))
    wait(150)
    j.probe_panel.pin()
    wait(150)
    j.grab().save(str(out / "screenshot-ja.png"))
    j.close()
    language.uninstall()
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
