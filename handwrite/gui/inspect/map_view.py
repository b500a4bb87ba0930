"""A map of what the network knows: 2,000 test digits where its last hidden layer puts them.

    "Map the test digits" (or the test digits of a run) -> sample_digits: 200 of each digit
        -> fit_embedding_steps on a copy of the model, on a GeneratorWorker (progress, Cancel)
        -> the points, coloured by digit (one pyqtgraph ScatterPlotItem per digit), a legend
    predictor features_changed (the drawing's last hidden layer, from the prediction's own
    forward pass) -> (at most every ``INTERVAL_MS``, while visible)
        Embedding.project_features -> the drawing's point moves
    document model_changed (a training snapshot) -> while visible, ``REFIT_SECONDS`` after
        the last fit ended (or twice as long as it took, if longer): fit again with the
        previous embedding (steady axes), so the clusters can be watched forming

The embedding is PCA (:mod:`handwrite.embedding` says why not t-SNE or UMAP): the drawing is
placed with one (F,) x (F, 2) product, so following the pen costs nothing beyond the
prediction. Pointing at a test digit shows it in the inset beside the map.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from handwrite.dataset import DataSet
from handwrite.embedding import Embedding, EmbeddingProgress, fit_embedding_steps, sample_digits
from handwrite.gui import explanations
from handwrite.gui.heading import heading_row
from handwrite.gui.inspect.mosaic import MosaicView, Tile, ink
from handwrite.gui.inspect.plot_style import TABLEAU10, plain_axes, styled_plot
from handwrite.gui.live_view import LiveView
from handwrite.gui.worker import GeneratorWorker
from handwrite.nn.model import Model

#: Move the drawing's point at most this often.
INTERVAL_MS = 60
#: Seconds between the end of a fit and the next one with new weights, while the map is
#: shown; at least twice the last fit's own time, so that refits never take more than a
#: third of a core from the training and the window.
REFIT_SECONDS = 3.0
#: How many test digits are mapped (as many of each digit).
DIGITS = 2000
#: A point counts as under the pointer within this many screen pixels.
HOVER_PIXELS = 8.0
#: One colour per digit (Tableau 10, as matplotlib's default cycle).
COLORS = TABLEAU10

#: ``request(on_loaded, on_unavailable)``: the MNIST digits on demand
#: (:meth:`handwrite.gui.mnist_controller.MnistController.request`).
DigitSource = Callable[[Callable[[DataSet], None], Callable[[], None]], None]


class MapView(LiveView):
    """The test digits on the 2-D map of the network's last hidden layer, and the drawing.

    Slots: ``on_model_changed(model)`` (another model or new weights),
    ``on_features_changed(f)`` (the drawing's (F,) last hidden layer, or None),
    ``on_data_chosen(data)`` (a run's data set: its test digits can be mapped without
    asking). :meth:`set_digit_source` gives the way to ask for MNIST. Signal
    ``embedding_changed(object)``: a new :class:`~handwrite.embedding.Embedding` is shown.
    """

    embedding_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(INTERVAL_MS, parent)
        self.setObjectName("map_view")
        self._model: Model | None = None
        self._features: np.ndarray | None = None
        self._source: DigitSource | None = None
        self._digits: tuple[np.ndarray, np.ndarray] | None = None
        self._embedding: Embedding | None = None
        self._worker: GeneratorWorker | None = None
        self._weights_stale = False  # the map shows older weights than the model's
        self._wanted = False  # the user asked for the map (or gave digits): keep it fitted
        self._next_fit = -float("inf")  # time.monotonic() from which a refit may start
        self._fit_started = 0.0
        self._point: np.ndarray | None = None
        self._hovered: int | None = None
        self.fit_count = 0

        self.help = explanations.help_button(explanations.embedding(), self)
        head = heading_row(self.tr("Map of what the network knows"), self.help)

        self.map_button = QPushButton(self.tr("Map the test digits"))
        self.map_button.setToolTip(
            self.tr("Pass 2,000 MNIST test digits through the network and map them")
        )
        self.map_button.clicked.connect(self.request_map)
        self.progress = QProgressBar()
        self.progress.setFormat(self.tr("%p% of the digits"))
        self.progress.setVisible(False)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.setVisible(False)
        controls = QHBoxLayout()
        controls.setContentsMargins(0, 0, 0, 0)
        controls.addWidget(self.map_button)
        controls.addWidget(self.progress, 1)
        controls.addWidget(self.cancel_button)
        controls.addStretch(0)

        self.subtitle = QLabel(
            self.tr(
                "Where the network's last hidden layer puts each test digit, and your drawing "
                "(the star)."
            )
        )
        self.subtitle.setWordWrap(True)
        self.subtitle.setObjectName("caption")

        background = self.palette().base().color()
        foreground = self.palette().text().color()
        self.plot_widget = pg.PlotWidget(axisItems=plain_axes())
        self.plot_widget.setBackground(background)
        self.plot_widget.setMinimumHeight(220)
        plot = styled_plot(self.plot_widget.getPlotItem(), foreground)
        plot.setAspectLocked(True)
        plot.setLabel("bottom", self.tr("1st principal component"), color=foreground)
        plot.setLabel("left", self.tr("2nd principal component"), color=foreground)
        self.legend = plot.addLegend(
            offset=(-6, 6), labelTextColor=foreground, brush=(255, 255, 255, 230)
        )
        self.legend.setColumnCount(2)
        self.legend.setZValue(100)
        self.digit_items = []
        for k, color in enumerate(COLORS):
            item = pg.ScatterPlotItem(size=5, pen=None, brush=pg.mkBrush(*color, 170), name=str(k))
            plot.addItem(item)
            self.digit_items.append(item)
        self.hover_item = pg.ScatterPlotItem(
            size=12, pen=pg.mkPen(20, 20, 20, width=2), brush=None, symbol="o"
        )
        self.hover_item.setZValue(50)
        plot.addItem(self.hover_item)
        self.point_item = pg.ScatterPlotItem(
            size=22,
            symbol="star",
            pen=pg.mkPen(255, 255, 255, width=1.5),
            brush=pg.mkBrush(20, 20, 20),
            name=self.tr("your drawing"),
        )
        self.point_item.setZValue(60)
        plot.addItem(self.point_item)
        self.plot_widget.scene().sigMouseMoved.connect(self._on_mouse_moved)

        self.inset = MosaicView(
            placeholder=self.tr("Point at a dot to see its test digit"), max_tile=112
        )
        self.inset.setFixedWidth(130)
        self.inset.setMinimumHeight(140)
        side = QVBoxLayout()
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(self.inset)
        side.addStretch(1)
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.plot_widget, 1)
        body.addLayout(side)

        self.status = QLabel(self.tr("Not mapped yet."))
        self.status.setWordWrap(True)
        self.status.setObjectName("caption")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(head)
        layout.addLayout(controls)
        layout.addWidget(self.subtitle)
        layout.addLayout(body, 1)
        layout.addWidget(self.status)

        self._refit_timer = QTimer(self)
        self._refit_timer.setSingleShot(True)
        self._refit_timer.timeout.connect(self.request_refresh)

    def __repr__(self) -> str:
        return f"MapView(embedding={self._embedding!r}, fitting={self.is_fitting()})"

    # -- what is shown -------------------------------------------------------------------
    def embedding(self) -> Embedding | None:
        return self._embedding

    def point(self) -> np.ndarray | None:
        """Where the drawing is shown on the map, (2,) float32, or None."""
        return None if self._point is None else self._point.copy()

    def is_fitting(self) -> bool:
        return self._worker is not None

    def hovered_index(self) -> int | None:
        """The index (in the embedding) of the test digit under the pointer, or None."""
        return self._hovered

    # -- slots ---------------------------------------------------------------------------
    def set_digit_source(self, source: DigitSource) -> None:
        """How to ask for the MNIST digits when the user wants the map."""
        self._source = source

    def on_data_chosen(self, data: DataSet) -> None:
        """A run or an evaluation uses ``data``: its test digits can be mapped (when the map
        is wanted or shown) without asking for MNIST."""
        if self._digits is None:
            self._take_digits(data)
            if self.isVisible():
                self._wanted = True
                self.request_refresh()

    def on_model_changed(self, model: Model) -> None:
        self._model = model
        if self._embedding is not None or self._worker is not None:
            self._weights_stale = True
        self.request_refresh()

    def on_features_changed(self, features: np.ndarray | None) -> None:
        self._features = None if features is None else np.asarray(features, np.float32)
        self.request_refresh()

    def request_map(self) -> None:
        """Map the test digits: ask for them first when they are not known yet."""
        self._wanted = True
        if self._digits is not None:
            self.refresh_now()
            return
        if self._source is None:
            self.status.setText(self.tr("The MNIST test digits are not available."))
            return
        self.map_button.setEnabled(False)
        self.status.setText(self.tr("Getting the MNIST test digits…"))
        self._source(self._on_digits_loaded, self._on_digits_unavailable)

    def cancel(self) -> None:
        """Stop the fit under way (the map shown before stays)."""
        if self._worker is not None:
            self._worker.abort()

    def shutdown(self, timeout_ms: int = 30_000) -> bool:
        """Stop a fit and wait for its thread (blocking; at exit)."""
        return self._worker is None or self._worker.stop(timeout_ms)

    # -- digits ----------------------------------------------------------------------------
    def _take_digits(self, data: DataSet) -> None:
        labels = np.asarray(data.test_labels)
        if len(labels) < 3:
            return
        chosen = sample_digits(labels, DIGITS)
        self._digits = (np.asarray(data.test_images)[chosen], labels[chosen])

    def _on_digits_loaded(self, data: DataSet) -> None:
        self.map_button.setEnabled(True)
        self._take_digits(data)
        if self._digits is None:
            self.status.setText(self.tr("There are too few test digits to map."))
            return
        self.refresh_now()

    def _on_digits_unavailable(self) -> None:
        self.map_button.setEnabled(True)
        self.status.setText(self.tr("The map needs the MNIST test digits."))

    # -- the work ------------------------------------------------------------------------
    def refresh(self) -> None:
        self._maybe_fit()
        self._show_point()

    def _maybe_fit(self) -> None:
        """Start a fit when the map is wanted and missing or behind the weights (paced)."""
        if not self._wanted or self._digits is None or self._model is None:
            return
        if self._worker is not None:
            return  # one at a time; the next follows if the weights moved meanwhile
        if self._embedding is not None and not self._weights_stale:
            return
        wait = self._next_fit - time.monotonic()
        if self._embedding is not None and wait > 0:
            self._refit_timer.start(int(wait * 1000) + 1)
            return
        self._start_fit()

    def _start_fit(self) -> None:
        assert self._digits is not None and self._model is not None
        images, labels = self._digits
        model = self._model.copy(device="cpu").eval()  # one model per thread
        steps = fit_embedding_steps(model, images, labels, previous=self._embedding)
        worker = GeneratorWorker(steps, "embedding")
        worker.yielded.connect(self._on_progress)
        worker.finished.connect(lambda e: self._on_fitted(worker, e))
        worker.errored.connect(lambda exc: self._on_fit_ended(worker, str(exc)))
        worker.aborted.connect(lambda: self._on_fit_ended(worker, self.tr("Cancelled.")))
        self._worker = worker
        self._weights_stale = False
        self._fit_started = time.monotonic()
        first = self._embedding is None
        self.progress.setVisible(first)
        self.progress.setValue(0)
        self.cancel_button.setVisible(True)
        self.map_button.setVisible(False)
        if not first:
            self.status.setText(self.tr("Updating the map with the new weights…"))
        worker.start()

    def _on_progress(self, event: EmbeddingProgress) -> None:
        self.progress.setMaximum(event.total)
        self.progress.setValue(event.done)

    def _on_fitted(self, worker: GeneratorWorker, embedding: Embedding) -> None:
        if worker is not self._worker:
            return
        self._embedding = embedding
        self._on_fit_ended(worker, None)
        self.fit_count += 1
        for k, item in enumerate(self.digit_items):
            item.setData(pos=embedding.points[embedding.labels == k])
        # the range follows the points now, not at the next paint: pointing needs it
        self.plot_widget.getPlotItem().getViewBox().updateAutoRange()
        self._hovered = None
        self.hover_item.setData(pos=np.zeros((0, 2)))
        share = embedding.explained_variance
        self.status.setText(
            self.tr(
                "{0:,} test digits; the last hidden layer's {1} values, projected on the two "
                "directions of largest variance ({2:.0%} and {3:.0%} of it)."
            ).format(len(embedding.labels), embedding.mean.shape[0], share[0], share[1])
        )
        self._show_point()
        self.embedding_changed.emit(embedding)
        if self._weights_stale:
            self.request_refresh()

    def _on_fit_ended(self, worker: GeneratorWorker, message: str | None) -> None:
        if worker is not self._worker:
            return
        self._worker = None
        now = time.monotonic()
        self._next_fit = now + max(REFIT_SECONDS, 2.0 * (now - self._fit_started))
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)
        self.map_button.setVisible(self._embedding is None)
        if message is not None:
            self.status.setText(message)

    def _show_point(self) -> None:
        point = None
        if self._embedding is not None and self._features is not None:
            try:
                point = self._embedding.project_features(self._features)
            except ValueError:  # another network: wait for its map
                point = None
        self._point = point
        self.point_item.setData(pos=np.zeros((0, 2)) if point is None else point[None])

    # -- pointing at a digit ---------------------------------------------------------------
    def point_at(self, scene_pos: QPointF) -> int | None:
        """The index of the test digit shown nearest ``scene_pos`` (scene coordinates),
        within ``HOVER_PIXELS``, or None."""
        embedding = self._embedding
        if embedding is None:
            return None
        view = self.plot_widget.getPlotItem().getViewBox()
        if not view.sceneBoundingRect().contains(scene_pos):
            return None
        at = view.mapSceneToView(scene_pos)
        # screen pixels per data unit, along each axis
        px = view.viewPixelSize()
        d = (embedding.points - np.array([at.x(), at.y()], np.float32)) / np.array(px, np.float32)
        distance = np.hypot(d[:, 0], d[:, 1])
        i = int(np.argmin(distance))
        return i if distance[i] <= HOVER_PIXELS else None

    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        self.hover(self.point_at(scene_pos))

    def hover(self, index: int | None) -> None:
        """Show test digit ``index`` (in the embedding) in the inset; None: none."""
        if index == self._hovered:
            return
        self._hovered = index
        embedding = self._embedding
        if index is None or embedding is None:
            self.hover_item.setData(pos=np.zeros((0, 2)))
            self.inset.set_tiles([])
            return
        image = np.asarray(embedding.images[index], np.float32)
        if image.max() > 1.0:
            image = image / 255.0
        label = int(embedding.labels[index])
        self.hover_item.setData(pos=embedding.points[index][None])
        self.inset.set_tiles([Tile(ink(image), self.tr("a test “{0}”").format(label))])

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._digits is not None and self._embedding is None and not self._wanted:
            # the digits are there already (a run used them): no need to ask
            self._wanted = True
            self.request_refresh()
