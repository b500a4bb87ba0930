"""Regenerate the screenshots in this folder (offscreen; real MNIST from HANDWRITE_DATA).

    python resources/make_screenshots.py [--model models/default.npz] [--out resources]

Writes ``screenshot-draw.png`` (a drawn "4" and the answer), ``screenshot-inside.png`` (the
same "4" inside the network: first-layer filters and feature maps, the local contrast
normalization's before and after when the model has one), ``screenshot-unit.png`` (one unit's
arithmetic for the "4", its field outlined on the canvas), ``screenshot-confusion.png`` (the
model evaluated on the 10,000 test digits, a cell of the confusion matrix opened),
``screenshot-map.png`` (2,000 test digits on the map of the last hidden layer, the "4" among
them), ``screenshot-train.png`` (a cnn training on 6,000 digits, after three epochs),
``screenshot-epochs.png`` (the "4" after each epoch of that run), ``screenshot-robustness.png``
(that cnn's robustness curves beside the shipped model's), ``screenshot-ja.png`` (the drawn
"4" in Japanese) and ``screenshot-ja-{unit,map,epochs,robustness}.png`` (the new views in
Japanese), ``icon.png``, and into ``--extra`` (default: not written) the drawing-in-progress,
error-dialog and "Your drawing" (preprocessing and saliency) states used to check the layout.
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
    import numpy as np
    import pyqtgraph as pg

    from handwrite.gui import AppSettings, MainWindow, dialogs, language
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

    def draw_four() -> None:
        drag(c, line(at(0.42, 0.2), at(0.28, 0.58)) + line(at(0.28, 0.58), at(0.7, 0.56))[1:])
        drag(c, line(at(0.6, 0.3), at(0.58, 0.82)))
        wait(150)

    def show_unit(window: MainWindow) -> None:
        """The Inside tab, wide, with the strongest unit of the first pooling selected."""
        inside = window.inside_tab
        window.tabs.setCurrentWidget(inside)
        window.splitter.setSizes([360, 920])
        inside.setSizes([120, 640])
        inside.maps_and_unit.setSizes([330, 590])
        maps = window.feature_map_view
        pool = next(i for i in maps.layer_indices() if "Pool" in window.model.layers[i].type_name)
        maps.set_layer(pool)
        wait(200)
        strongest = np.unravel_index(int(np.argmax(maps.maps())), maps.maps().shape)
        maps.select_unit((pool, *(int(v) for v in strongest)))
        wait(400)

    draw_four()
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
    w.resize(1280, 860)
    show_unit(w)
    w.grab().save(str(out / "screenshot-unit.png"))
    w.feature_map_view.select_unit(None)
    w.resize(1280, 760)
    w.splitter.setSizes([760, 520])
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

    # The map of what the network knows, the "4" among the test digits.
    w.splitter.setSizes([460, 820])
    w.tabs.setCurrentWidget(w.map_view)
    w.map_view.request_map()
    while w.map_view.embedding() is None:
        wait(100)
    wait(300)
    embedding, point = w.map_view.embedding(), w.map_view.point()
    fours = np.flatnonzero(embedding.labels == 4)
    nearest = fours[np.argmin(np.linalg.norm(embedding.points[fours] - point, axis=1))]
    w.map_view.hover(int(nearest))  # as the pointer would, on the nearest test "4"
    wait(200)
    w.grab().save(str(out / "screenshot-map.png"))
    w.splitter.setSizes([760, 520])
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

    # The same run, epoch by epoch, for the "4"; its robustness beside the shipped model's.
    c.clear()
    draw_four()
    w.splitter.setSizes([460, 820])
    w.tabs.setCurrentWidget(w.epochs_view)
    w.epochs_view.set_epoch(w.document.epochs[0].epoch)
    wait(400)
    w.grab().save(str(out / "screenshot-epochs.png"))
    robustness = w.robustness_view
    w.tabs.setCurrentWidget(robustness)
    robustness.open_other(args.model)
    measured: list[object] = []
    robustness.measured.connect(measured.append)
    robustness.measure()
    while not measured:
        wait(200)
    wait(300)
    w.grab().save(str(out / "screenshot-robustness.png"))

    # The new views in Japanese: the window rebuilt in place, keeping all of it.
    w.set_language("ja")
    w.splitter.setSizes([460, 820])
    for view, name in (
        (w.epochs_view, "epochs"),
        (w.robustness_view, "robustness"),
        (w.map_view, "map"),
    ):
        w.tabs.setCurrentWidget(view)
        if view is w.map_view:
            while w.map_view.embedding() is None:
                wait(100)
        wait(400)
        w.grab().save(str(out / f"screenshot-ja-{name}.png"))
    w.resize(1280, 860)
    show_unit(w)
    w.grab().save(str(out / "screenshot-ja-unit.png"))
    language.uninstall()
    w.document.set_dirty(False)
    w.close()

    # The same drawing in Japanese (needs a CJK font, e.g. Debian's fonts-noto-cjk).
    language.install("ja")
    j = MainWindow(settings=AppSettings(Path(tmp.name) / "ja.ini"), model_path=args.model)
    j.resize(1280, 760)
    j.show()
    wait(200)
    c, r = j.canvas, j.canvas.surface_rect()
    draw_four()
    j.probe_panel.pin()
    wait(150)
    j.grab().save(str(out / "screenshot-ja.png"))
    j.close()
    language.uninstall()
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
