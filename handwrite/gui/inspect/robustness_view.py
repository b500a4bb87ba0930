"""How the network breaks: accuracy on test digits rotated, scaled, thinned, blurred, ...

    Measure -> MnistController.request (the test digits) -> sample_digits (as many of each)
        -> robustness_steps([a copy of the model on show, a copy of the other model]) on a
           GeneratorWorker: one evaluation per model and level, each yielding the partial
           curves (Cancel stops between two evaluations)
        -> one small plot per perturbation (pyqtgraph), the curves made once and handed their
           data by a ``REDRAW_MS`` GUI timer while the measurement runs

"Compare with…" opens a second model file (a network trained with augmentation against
one without, say); both are measured on exactly the same changed digits
(:mod:`handwrite.robustness`), so their curves can be compared point by point.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from handwrite.dataset import DataSet
from handwrite.embedding import sample_digits
from handwrite.gui import dialogs, explanations
from handwrite.gui.heading import heading_row
from handwrite.gui.inspect.plot_style import plain_axes, styled_plot
from handwrite.gui.worker import GeneratorWorker
from handwrite.modelfile import ModelFileError, load_model
from handwrite.nn.model import Model
from handwrite.robustness import (
    PERTURBATIONS,
    Perturbation,
    RobustnessProgress,
    RobustnessResult,
    robustness_steps,
)

REDRAW_MS = 100
#: How many test digits a measurement may use; the first is the default.
DIGIT_CHOICES = (2000, 1000, 5000, 10000)
#: The plots are laid out in this many columns.
COLUMNS = 4
#: The model on show, and the one it is compared with.
MODEL_COLORS = ((31, 119, 180), (255, 127, 14))

#: ``request(on_loaded, on_unavailable)``: the MNIST digits on demand.
DigitSource = Callable[[Callable[[DataSet], None], Callable[[], None]], None]


def perturbation_title(p: Perturbation) -> str:
    """The perturbation's name in the window's language."""
    titles = {
        "rotation": QCoreApplication.translate("RobustnessView", "Rotation"),
        "scale": QCoreApplication.translate("RobustnessView", "Scale"),
        "thickness": QCoreApplication.translate("RobustnessView", "Stroke width"),
        "blur": QCoreApplication.translate("RobustnessView", "Blur"),
        "noise": QCoreApplication.translate("RobustnessView", "Noise"),
        "salt_pepper": QCoreApplication.translate("RobustnessView", "Salt and pepper"),
        "shift": QCoreApplication.translate("RobustnessView", "Shift"),
    }
    return titles.get(p.name, p.name)


def perturbation_axis(p: Perturbation) -> str:
    """What a level of the perturbation is, for its plot's axis."""
    axes = {
        "rotation": QCoreApplication.translate("RobustnessView", "degrees"),
        "scale": QCoreApplication.translate("RobustnessView", "factor"),
        "thickness": QCoreApplication.translate("RobustnessView", "px added to each side"),
        "blur": QCoreApplication.translate("RobustnessView", "σ (px)"),
        "noise": QCoreApplication.translate("RobustnessView", "σ (ink 0–1)"),
        "salt_pepper": QCoreApplication.translate("RobustnessView", "share of pixels"),
        "shift": QCoreApplication.translate("RobustnessView", "px"),
    }
    return axes.get(p.name, p.unit)


def perturbation_description(p: Perturbation) -> str:
    """What the perturbation does to a digit, in the window's language."""
    descriptions = {
        "rotation": QCoreApplication.translate(
            "RobustnessView", "Each digit turned by the angle, clockwise or anticlockwise"
        ),
        "scale": QCoreApplication.translate(
            "RobustnessView", "Each digit shrunk or enlarged about its centre"
        ),
        "thickness": QCoreApplication.translate(
            "RobustnessView",
            "Strokes thickened (dilation) or, below 0, thinned (erosion) by the amount",
        ),
        "blur": QCoreApplication.translate(
            "RobustnessView", "Blurred by a Gaussian of this standard deviation"
        ),
        "noise": QCoreApplication.translate(
            "RobustnessView", "Gaussian noise of this standard deviation added to every pixel"
        ),
        "salt_pepper": QCoreApplication.translate(
            "RobustnessView", "This share of the pixels set to full ink or to background"
        ),
        "shift": QCoreApplication.translate(
            "RobustnessView", "Each digit moved this far in a random direction"
        ),
    }
    return descriptions.get(p.name, p.description)


@dataclass(frozen=True)
class RobustnessState:
    """What the view shows, for :meth:`RobustnessView.restore`: the curves (or None), the
    model compared with (its name and a copy) and how many digits a measurement uses."""

    result: RobustnessResult | None
    other: tuple[str, Model] | None
    digits: int


class RobustnessView(QWidget):
    """Robustness curves of the model on show, and of another model file beside it.

    Slots: ``on_model_replaced(model)`` (another model on show: its curves are gone),
    ``on_model_changed(model)`` (new weights: the curves are of the weights before).
    :meth:`set_digit_source` gives the way to ask for MNIST. Signals:
    ``progress_changed(int, int)`` (evaluations done, in all), ``measured(object)`` (the
    complete :class:`~handwrite.robustness.RobustnessResult`), ``stopped()`` (cancelled).
    """

    progress_changed = Signal(int, int)
    measured = Signal(object)
    stopped = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("robustness_view")
        self._model: Model | None = None
        self._other: tuple[str, Model] | None = None
        self._source: DigitSource | None = None
        self._worker: GeneratorWorker | None = None
        self._result: RobustnessResult | None = None
        self._dirty = False
        self._pending_digits: int | None = None
        self.redraw_count = 0

        self.help = explanations.help_button(explanations.robustness(), self)
        head = heading_row(self.tr("How the network breaks"), self.help)

        self.measure_button = QPushButton(self.tr("Measure"))
        self.measure_button.setToolTip(
            self.tr("Measure the accuracy on test digits changed more and more (in the background)")
        )
        self.measure_button.clicked.connect(self.measure)
        self.compare_button = QPushButton(self.tr("Compare with…"))
        self.compare_button.setToolTip(
            self.tr("Open another model file to measure beside this one")
        )
        self.compare_button.clicked.connect(self.open_other_dialog)
        self.remove_button = QToolButton()
        self.remove_button.setText("✕")
        self.remove_button.setToolTip(self.tr("Stop comparing with the other model"))
        self.remove_button.setAccessibleName(self.tr("Stop comparing"))
        self.remove_button.clicked.connect(lambda: self.set_other_model(None))
        self.remove_button.setVisible(False)
        self.digits_combo = QComboBox()
        for n in DIGIT_CHOICES:
            self.digits_combo.addItem(self.tr("{0:,} test digits").format(n), n)
        self.digits_combo.setToolTip(self.tr("More digits: smoother curves, a longer measurement"))
        controls = QHBoxLayout()
        controls.setContentsMargins(0, 0, 0, 0)
        controls.addWidget(self.measure_button)
        controls.addWidget(self.compare_button)
        controls.addWidget(self.remove_button)
        controls.addWidget(self.digits_combo)
        controls.addStretch(1)

        self.progress = QProgressBar()
        self.progress.setFormat(self.tr("%v of %m evaluations"))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.cancel)
        running = QHBoxLayout()
        running.setContentsMargins(0, 0, 0, 0)
        running.addWidget(self.progress, 1)
        running.addWidget(self.cancel_button)
        self._running_box = QWidget()
        self._running_box.setLayout(running)
        self._running_box.setVisible(False)

        self.status = QLabel(
            self.tr(
                "Measure how the accuracy falls as the test digits are rotated, scaled, "
                "thinned or thickened, blurred, covered with noise or moved."
            )
        )
        self.status.setWordWrap(True)
        self.status.setObjectName("caption")

        background = self.palette().base().color()
        foreground = self.palette().text().color()
        self.plots_widget = pg.GraphicsLayoutWidget()
        self.plots_widget.setBackground(background)
        self.plots_widget.setMinimumHeight(260)
        self.plots: dict[str, pg.PlotItem] = {}
        self.curves: dict[str, list[pg.PlotDataItem]] = {}
        for i, p in enumerate(PERTURBATIONS):
            plot = self.plots_widget.addPlot(
                row=i // COLUMNS, col=i % COLUMNS, axisItems=plain_axes()
            )
            styled_plot(plot, foreground, perturbation_title(p))
            plot.setLabel("bottom", perturbation_axis(p), color=foreground)
            plot.setMouseEnabled(x=False, y=False)
            plot.setYRange(0, 100, padding=0.03)
            plot.setXRange(min(p.levels), max(p.levels), padding=0.05)
            plot.showGrid(x=False, y=True, alpha=0.15)
            plot.setToolTip(perturbation_description(p))
            marker = pg.InfiniteLine(
                p.identity,
                angle=90,
                pen=pg.mkPen(foreground.lighter(170), style=Qt.PenStyle.DotLine),
            )
            plot.addItem(marker)
            self.plots[p.name] = plot
            self.curves[p.name] = [
                plot.plot(
                    pen=pg.mkPen(color, width=2),
                    symbol="o",
                    symbolSize=5,
                    symbolBrush=color,
                    symbolPen=None,
                )
                for color in MODEL_COLORS
            ]
        self.legend = QLabel()
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(head)
        layout.addLayout(controls)
        layout.addWidget(self._running_box)
        layout.addWidget(self.status)
        layout.addWidget(self.legend)
        layout.addWidget(self.plots_widget, 1)

        self._timer = QTimer(self)
        self._timer.setInterval(REDRAW_MS)
        self._timer.timeout.connect(self.redraw)
        self._show_legend()

    def __repr__(self) -> str:
        return f"RobustnessView(running={self.is_running()}, other={self.other_name()!r})"

    # -- what is shown -------------------------------------------------------------------
    def result(self) -> RobustnessResult | None:
        """The curves shown (partial while measuring, NaN where not measured yet)."""
        return self._result

    def is_running(self) -> bool:
        return self._worker is not None

    def other_name(self) -> str | None:
        return None if self._other is None else self._other[0]

    def model_names(self) -> tuple[str, ...]:
        """The names of the models measured, the model on show first."""
        names = [self._model_name()]
        if self._other is not None:
            names.append(self._other[0])
        return tuple(names)

    def _model_name(self) -> str:
        name = self._model.name if self._model is not None else ""
        return self.tr("this model ({0})").format(name) if name else self.tr("this model")

    # -- slots ---------------------------------------------------------------------------
    def set_digit_source(self, source: DigitSource) -> None:
        self._source = source

    def on_model_replaced(self, model: Model) -> None:
        """Another model is on show: the curves measured were another's."""
        self._model = model
        self.cancel()
        self._set_result(None)
        self._show_legend()

    def on_model_changed(self, model: Model) -> None:
        """New weights (a training snapshot): the curves shown are of the weights before."""
        changed = self._model is model and self._result is not None
        self._model = model
        if changed and not self.is_running():
            self.status.setText(
                self.tr("The model has changed since these curves were measured: measure again.")
            )

    def set_other_model(self, model: Model | None, name: str = "") -> None:
        """Compare with ``model`` (called ``name``), or with none."""
        self.cancel()
        self._other = None if model is None else (name, model.copy(device="cpu").eval())
        self.remove_button.setVisible(model is not None)
        self._set_result(None)
        self._show_legend()
        if model is not None:
            self.status.setText(self.tr("Measure to compare the two models."))

    def open_other_dialog(self) -> bool:
        """Ask for a model file to compare with; False when none was opened."""
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Compare with a model"),
            str(Path.home()),
            self.tr("handwrite models (*.npz);;All files (*)"),
        )
        return bool(path) and self.open_other(path)

    def open_other(self, path: str | Path) -> bool:
        """Compare with the model in ``path``; an error dialog explains any problem."""
        path = Path(path)
        try:
            model = load_model(path)
        except (ModelFileError, OSError, ValueError) as exc:
            problem = dialogs.problem_text(exc)
            dialogs.show_error(
                self,
                self.tr("The model could not be opened"),
                self.tr("“{0}” is not a model this program can use: {1}.").format(
                    path.name, problem
                ),
                f"{path}: {problem}",
            )
            return False
        if model.input_shape != (1, 28, 28) or (
            self._model is not None and len(model.answer_classes) != len(self._model.answer_classes)
        ):
            dialogs.show_error(
                self,
                self.tr("The model could not be compared"),
                self.tr("“{0}” does not read 28×28 digits into the same classes.").format(
                    path.name
                ),
            )
            return False
        self.set_other_model(model, self.tr("{0} ({1})").format(path.name, model.name))
        return True

    def state(self) -> RobustnessState:
        """What the view shows (a measurement under way: the curves so far), for
        :meth:`restore` into a view made again, e.g. in another language."""
        return RobustnessState(self._result, self._other, self.digits())

    def restore(self, state: RobustnessState) -> None:
        """Show what :meth:`state` returned (the model on show being the same)."""
        self.digits_combo.setCurrentIndex(max(0, self.digits_combo.findData(state.digits)))
        if state.other is not None:
            self.set_other_model(state.other[1], state.other[0])
        self._set_result(state.result)
        self._show_legend()
        if state.result is not None and state.result.complete:
            self.status.setText(self._summary(state.result))

    # -- measuring -------------------------------------------------------------------------
    def digits(self) -> int:
        """How many test digits a measurement uses."""
        return int(self.digits_combo.currentData())

    def measure(self) -> None:
        """Measure the curves: ask for the test digits, then run in the background."""
        if self.is_running() or self._model is None:
            return
        if self._source is None:
            self.status.setText(self.tr("The MNIST test digits are not available."))
            return
        self.measure_button.setEnabled(False)
        self.status.setText(self.tr("Getting the MNIST test digits…"))
        self._source(self._on_digits_loaded, self._on_digits_unavailable)

    def _on_digits_unavailable(self) -> None:
        self.measure_button.setEnabled(True)
        self.status.setText(self.tr("The curves need the MNIST test digits."))

    def _on_digits_loaded(self, data: DataSet) -> None:
        if self.is_running() or self._model is None:
            return
        labels = np.asarray(data.test_labels)
        if not len(labels):
            self._on_digits_unavailable()
            return
        chosen = sample_digits(labels, self.digits())
        images = np.asarray(data.test_images)[chosen]
        self.start(images, labels[chosen])

    def start(self, images: np.ndarray, labels: np.ndarray) -> None:
        """Measure on ``images`` (N, 28, 28) and ``labels`` (N,) now, in the background."""
        if self.is_running() or self._model is None:
            return
        models = [self._model.copy(device="cpu").eval()]  # one model per thread
        if self._other is not None:
            models.append(self._other[1].copy(device="cpu").eval())
        steps = robustness_steps(models, images, labels, names=self.model_names())
        worker = GeneratorWorker(steps, "robustness")
        worker.yielded.connect(self._on_progress)
        worker.finished.connect(lambda result: self._on_ended(worker, result, None))
        worker.errored.connect(lambda exc: self._on_ended(worker, None, str(exc)))
        worker.aborted.connect(lambda: self._on_ended(worker, None, None))
        self._worker = worker
        self._set_result(None)
        self._show_legend()
        total = sum(len(p.levels) for p in PERTURBATIONS) * len(models)
        self.progress.setRange(0, total)
        self.progress.setValue(0)
        self._running_box.setVisible(True)
        self.measure_button.setEnabled(False)
        self.compare_button.setEnabled(False)
        self.remove_button.setEnabled(False)
        self.status.setText(self.tr("Measuring on {0:,} test digits…").format(len(labels)))
        self._timer.start()
        worker.start()

    def cancel(self) -> None:
        """Stop the measurement after the evaluation under way (its curves so far stay)."""
        if self._worker is not None:
            self._worker.abort()

    def shutdown(self, timeout_ms: int = 30_000) -> bool:
        """Stop a measurement and wait for its thread (blocking; at exit)."""
        return self._worker is None or self._worker.stop(timeout_ms)

    def _on_progress(self, event: RobustnessProgress) -> None:
        self.progress.setRange(0, event.total)
        self.progress.setValue(event.done)
        self._set_result(event.result)
        self.progress_changed.emit(event.done, event.total)

    def _on_ended(
        self, worker: GeneratorWorker, result: RobustnessResult | None, error: str | None
    ) -> None:
        if worker is not self._worker:
            return
        self._worker = None
        self._timer.stop()
        self._running_box.setVisible(False)
        self.measure_button.setEnabled(True)
        self.compare_button.setEnabled(True)
        self.remove_button.setEnabled(True)
        if result is not None:
            self._set_result(result)
            self.redraw()
            self.status.setText(self._summary(result))
            self.measured.emit(result)
        elif error is not None:
            self.redraw()
            self.status.setText(self.tr("The measurement failed: {0}").format(error))
        else:
            self.redraw()
            self.status.setText(self.tr("Cancelled; the curves show what was measured."))
            self.stopped.emit()

    def _summary(self, result: RobustnessResult) -> str:
        """The clean accuracy and the largest drop, for the first model."""
        worst_name, worst = "", math.inf
        for p, accuracy in zip(result.perturbations, result.accuracy, strict=True):
            low = float(np.nanmin(accuracy[0]))
            if low < worst:
                worst_name, worst = perturbation_title(p), low
        clean_index = PERTURBATIONS[0].levels.index(PERTURBATIONS[0].identity)
        clean = float(result.accuracy[0][0, clean_index])
        return self.tr(
            "{0:,} test digits: {1:.1%} recognised unchanged; the hardest change for this "
            "model is {2} (down to {3:.1%})."
        ).format(result.n_images, clean, worst_name.lower(), worst)

    # -- drawing ---------------------------------------------------------------------------
    def _set_result(self, result: RobustnessResult | None) -> None:
        self._result = result
        self._dirty = True
        if not self.is_running():
            self.redraw()

    def redraw(self) -> None:
        """Hand the curves their points (on the timer while measuring)."""
        if not self._dirty:
            return
        self._dirty = False
        self.redraw_count += 1
        result = self._result
        for p in PERTURBATIONS:
            for m, curve in enumerate(self.curves[p.name]):
                if result is None or m >= len(result.model_names):
                    curve.setData([], [])
                    continue
                levels, accuracy = result.curve(p.name, model=m)
                measured = np.isfinite(accuracy)  # a partial result: NaN where not yet
                curve.setData(levels[measured], 100.0 * accuracy[measured])

    def _show_legend(self) -> None:
        parts = []
        for color, name in zip(MODEL_COLORS, self.model_names(), strict=False):
            hex_color = "#{:02x}{:02x}{:02x}".format(*color)
            parts.append(
                f'<span style="color:{hex_color}; font-weight:bold;">━━</span> {html.escape(name)}'
            )
        self.legend.setText(self.tr("Accuracy (%) of {0}").format("&nbsp;&nbsp;&nbsp;".join(parts)))
