"""Regenerate the screenshots of the Training tab's lab (offscreen; real MNIST from
HANDWRITE_DATA): a few minutes on two cores.

    python resources/make_lab_screenshots.py [--out resources]

Writes ``screenshot-compare.png`` (three runs of this session on 6,000 digits, SGD, momentum
and Adam, overlaid and labelled by what differs), ``screenshot-doctor.png`` (a deep sigmoid
MLP trained by plain SGD, and what the training doctor says of it), and the same two in
Japanese, ``screenshot-ja-compare.png`` and ``screenshot-ja-doctor.png`` (the window rebuilt in
place, keeping the runs and the diagnoses; needs a CJK font, e.g. Debian's fonts-noto-cjk).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402


def wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(ROOT / "resources"))
    args = parser.parse_args()

    app = QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    import pyqtgraph as pg

    from handwrite.gui import AppSettings, MainWindow, dialogs, language
    from handwrite.gui.icon import app_icon
    from handwrite.gui.settings import TrainingSettings
    from handwrite.gui.training.network import OWN
    from handwrite.gui.training.run_controller import RunState
    from handwrite.mnist import load_mnist
    from handwrite.nn.architectures import MLPDesign
    from handwrite.nn.backend import limit_blas_threads

    pg.setConfigOptions(antialias=True)
    limit_blas_threads(1)
    language.install("en")  # its plural forms: "1 problem", "12 layers"
    app.setWindowIcon(app_icon())
    out = Path(args.out)
    tmp = tempfile.TemporaryDirectory()
    # Nothing may wait for an answer offscreen: problems are printed, unsaved models dropped.
    dialogs.show_error = lambda _parent, title, text, _details=None: print(title, text)
    dialogs.ask_save_changes = lambda _parent, _question: dialogs.SaveChoice.DISCARD
    w = MainWindow(
        settings=AppSettings(Path(tmp.name) / "s.ini"),
        default_model_path=Path(tmp.name) / "none.npz",  # none: an untrained network
    )
    w.resize(1280, 900)
    w.show()
    wait(200)
    w.mnist.set_data(load_mnist())
    w.splitter.setSizes([330, 950])

    def train(settings: TrainingSettings) -> None:
        w.training_panel.set_settings(settings)
        w.training_panel.start_button.click()
        wait(200)
        while w.run.state is not RunState.IDLE:
            wait(200)
        w.document.set_dirty(False)  # no "save the model?" before the next run

    # Three optimizers on the same MLP and digits.
    base = TrainingSettings(
        arch="mlp",
        architecture=None,
        dropout=0.0,
        epochs=4,
        batch_size=64,
        augment=False,
        schedule="constant",
        limit=6000,
        validation=1000,
        diagnostics=False,
    )
    for optimizer, lr in (("sgd", 0.05), ("momentum", 0.05), ("adam", 0.001)):
        train(dataclasses.replace(base, optimizer=optimizer, lr=lr))

    # A deep sigmoid MLP by plain SGD: the doctor's case.
    train(
        dataclasses.replace(
            base,
            arch=OWN,
            architecture=MLPDesign(hidden=(100,) * 5, activation="sigmoid").architecture(),
            optimizer="sgd",
            lr=0.1,
            epochs=3,
            diagnostics=True,
        )
    )

    def shoot(prefix: str) -> None:
        tab = w.training_tab
        tab.views.setCurrentWidget(tab.runs)
        tab.split.setSizes([250, 650])
        runs = tab.runs
        runs.untick_all()
        for run in runs.runs()[:3]:
            runs.set_ticked(run, True)
        wait(600)
        w.grab().save(str(out / f"screenshot-{prefix}compare.png"))
        tab.views.setCurrentWidget(tab.doctor)
        wait(400)
        w.grab().save(str(out / f"screenshot-{prefix}doctor.png"))

    shoot("")
    w.set_language("ja")
    w.splitter.setSizes([330, 950])
    wait(300)
    shoot("ja-")
    language.uninstall()
    w.close()
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
