"""Short explanations, each with its formula, for the views and the training controls.

They follow the lecture the core follows: fully connected layers, activation functions, the
loss function, gradient descent, stochastic gradient descent, backpropagation, momentum, Adam,
dropout, convolution, pooling and local contrast normalization. Each is a small piece of rich
text (Unicode math) shown as a tooltip and behind a "?" button (:func:`help_button`).

Every text goes through ``QCoreApplication.translate`` with the context ``"Explanations"``,
written out in each call so that ``pyside6-lupdate`` finds it. Each layer's name and
explanation come from the layer itself (:class:`handwrite.nn.layers.Layer`), marked for
translation in the context ``handwrite.translatable.LAYERS``: :func:`layer_name` and
:func:`layer_explanation` show them in the window's language.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication, QPoint, Qt
from PySide6.QtWidgets import QToolButton, QToolTip, QWidget

from handwrite import translatable
from handwrite.gui.training.panel import TrainingPanel
from handwrite.nn.layers import Conv2D, Dense, Dropout, Layer, ReLU


def _layer_text(text: str) -> str:
    return QCoreApplication.translate(translatable.LAYERS, text)


def layer_name(layer: Layer) -> str:
    """``layer``'s name in the language shown, with its sizes, e.g. "Max pooling 2×2"."""
    return layer.display_name(_layer_text)


def layer_explanation(layer: Layer | type[Layer]) -> str:
    """The explanation (rich text, with its formula) of ``layer`` or of a layer class."""
    return _layer_text(layer.explanation)


def dense() -> str:
    return layer_explanation(Dense)


def activation() -> str:
    return layer_explanation(ReLU)  # one explanation for every activation function


def softmax_and_loss() -> str:
    return QCoreApplication.translate(
        "Explanations",
        "<b>Output: softmax</b><br>The last layer's scores z<sub>k</sub> become probabilities "
        "p<sub>k</sub> = exp(z<sub>k</sub>) / Σ<sub>j</sub> exp(z<sub>j</sub>).<br>"
        "<b>Loss: cross-entropy</b><br>E = −Σ<sub>k</sub> t<sub>k</sub> log p<sub>k</sub>, "
        "with t<sub>k</sub> = 1 for the true digit and 0 otherwise: minus the log of the "
        "probability given to the right answer.",
    )


def gradient_descent() -> str:
    return QCoreApplication.translate(
        "Explanations",
        "<b>Learning rate η (gradient descent)</b><br>Each step moves every weight a little "
        "downhill on the error: w<sup>(t+1)</sup> = w<sup>(t)</sup> − η ∇E(w<sup>(t)</sup>). "
        "Too large an η overshoots and diverges; too small learns slowly.",
    )


def minibatch() -> str:
    return QCoreApplication.translate(
        "Explanations",
        "<b>Mini-batch (stochastic gradient descent)</b><br>The gradient is estimated on a "
        "random mini-batch of B images instead of all of them: "
        "∇E ≈ (1/B) Σ<sub>n ∈ batch</sub> ∇E<sub>n</sub>. Smaller batches take more, noisier "
        "steps per epoch.",
    )


def epochs() -> str:
    return QCoreApplication.translate(
        "Explanations",
        "<b>Epoch</b><br>One pass over all N training images, in a new random order each "
        "time: N / B steps of the optimizer.",
    )


def backpropagation() -> str:
    return QCoreApplication.translate(
        "Explanations",
        "<b>Backpropagation</b><br>The gradient of the loss is passed backwards layer by "
        "layer with the chain rule: δ = ∂E/∂u, ∂E/∂W = δ x<sup>T</sup>, and the layer below "
        "gets δ' = f'(u') ⊙ W<sup>T</sup>δ.",
    )


def sgd() -> str:
    return QCoreApplication.translate(
        "Explanations",
        "<b>SGD</b><br>w ← w − η ∇E, with ∇E measured on each mini-batch.",
    )


def momentum() -> str:
    return QCoreApplication.translate(
        "Explanations",
        "<b>Momentum SGD</b><br>A velocity gathers the past gradients and smooths the "
        "zig-zags: v ← μv − η∇E, w ← w + v (μ = 0.9).",
    )


def adam() -> str:
    return QCoreApplication.translate(
        "Explanations",
        "<b>Adam</b> (Kingma &amp; Ba 2015)<br>Running means of the gradient g and of its "
        "square: m ← β<sub>1</sub>m + (1−β<sub>1</sub>)g, "
        "v ← β<sub>2</sub>v + (1−β<sub>2</sub>)g<sup>2</sup>; bias correction "
        "m̂ = m / (1−β<sub>1</sub><sup>t</sup>), v̂ = v / (1−β<sub>2</sub><sup>t</sup>); "
        "step w ← w − η m̂ / (√v̂ + ε), with β<sub>1</sub> = 0.9, β<sub>2</sub> = 0.999. "
        "Each weight gets its own step size.",
    )


def dropout() -> str:
    return layer_explanation(Dropout)


def schedule() -> str:
    return QCoreApplication.translate(
        "Explanations",
        "<b>Learning-rate schedule</b><br>η can change during the run. Cosine: "
        "η<sub>t</sub> = η<sub>min</sub> + ½(η − η<sub>min</sub>)(1 + cos(πt/T)). One-cycle "
        "(Smith &amp; Topin 2019): warm up to η over the first 30% of the steps, then anneal.",
    )


def convolution() -> str:
    return layer_explanation(Conv2D)


def saliency() -> str:
    return QCoreApplication.translate(
        "Explanations",
        "<b>Saliency</b> (Simonyan et al. 2014)<br>How much each input pixel moves the score "
        "of class c: s = ∂y<sub>c</sub>/∂x, computed by backpropagation down to the pixels "
        "(y<sub>c</sub> is the score before the softmax). Red: more ink there would raise the "
        "score; blue: it would lower it. The stronger the colour, the larger |s|.",
    )


def preprocessing() -> str:
    return QCoreApplication.translate(
        "Explanations",
        "<b>Preprocessing</b><br>Done as for the MNIST digits: crop to the ink, scale the "
        "longer side to 20 px (keeping the aspect ratio, strokes brought to MNIST's width), "
        "and place the result in a 28×28 field so that its centre of mass "
        "(Σ x<sub>ij</sub>·(i, j) / Σ x<sub>ij</sub>) lands on the centre (14, 14).",
    )


def confusion() -> str:
    return QCoreApplication.translate(
        "Explanations",
        "<b>Confusion matrix</b><br>C<sub>ij</sub> = the number of test digits of class i "
        "that the network read as j. The diagonal holds the right answers; per-class "
        "accuracy is C<sub>ii</sub> / Σ<sub>j</sub> C<sub>ij</sub>. Click a cell to see its "
        "digits.",
    )


def probes() -> str:
    return QCoreApplication.translate(
        "Explanations",
        "<b>Probe digits</b><br>Pinned drawings are predicted again with every snapshot of "
        "the weights during training, p = softmax(f(x; w<sub>t</sub>)), so you can watch the "
        "network learn them.",
    )


def filters_dense() -> str:
    return QCoreApplication.translate(
        "Explanations",
        "<b>First-layer weights</b><br>Unit j computes u<sub>j</sub> = Σ<sub>i</sub> "
        "w<sub>ji</sub> x<sub>i</sub> + b<sub>j</sub> over the 784 pixels; its weights, shown "
        "as a 28×28 image, are the pattern that excites it most (red: ink there raises u, "
        "blue: lowers it).",
    )


def unit_arithmetic() -> str:
    return QCoreApplication.translate(
        "Explanations",
        "<b>One unit's arithmetic</b><br>A convolution unit lays its kernel on a patch of its "
        "input, multiplies them element by element and adds the products and a bias: "
        "u = Σ<sub>c,i,j</sub> x<sub>c,i,j</sub> w<sub>c,i,j</sub> + b; its activation gives "
        "the output z = f(u), e.g. max(0, u). A fully connected unit does the same over all "
        "its inputs: u = Σ<sub>i</sub> w<sub>i</sub> x<sub>i</sub> + b. Max pooling keeps the "
        "largest value of its window, average pooling their mean. Local contrast "
        "normalization subtracts the local mean m and divides by max(σ̄, σ, ε). The "
        "receptive field is every input pixel the unit's value depends on. Point at a unit "
        "in the feature maps to see its numbers for your drawing; click it to keep it.",
    )


def embedding() -> str:
    return QCoreApplication.translate(
        "Explanations",
        "<b>A map of what the network knows</b><br>Each test digit is passed through the "
        "network up to its last hidden layer h (the numbers the output layer reads). The "
        "map shows the two directions in which these vectors differ most (principal "
        "component analysis): a point's position is (h − h̄)·v<sub>1</sub>, "
        "(h − h̄)·v<sub>2</sub>. Digits the network finds alike lie close together; a "
        "well-trained network gathers each digit in its own cluster. Your drawing is placed "
        "on the same map with every stroke.",
    )


def across_epochs() -> str:
    return QCoreApplication.translate(
        "Explanations",
        "<b>Across the epochs</b><br>The weights w<sub>e</sub> at the end of each epoch e "
        "of the run are kept. For your drawing x the view computes again what the network "
        "made of it then: the probabilities p = softmax(f(x; w<sub>e</sub>)), the saliency "
        "∂y<sub>c</sub>/∂x and the feature maps, so you can see when it learned your digit.",
    )


def robustness() -> str:
    return QCoreApplication.translate(
        "Explanations",
        "<b>How it breaks</b><br>The test digits are changed a little, then more: rotated, "
        "scaled, their strokes thinned or thickened, blurred, covered with noise or "
        "scattered dots, moved. Each curve is the accuracy, the share of the changed digits "
        "recognised, at each amount of change (Mu &amp; Gilmer 2019, MNIST-C). Two models "
        "are measured on exactly the same changed digits, so their curves can be compared: "
        "a network trained with augmentation usually falls more slowly.",
    )


def vanishing_gradient() -> str:
    return QCoreApplication.translate(
        "Explanations",
        "<b>Gradient norm per layer</b><br>‖∂E/∂w‖, the size of the gradient backpropagation "
        "brings each layer. Going back, each layer multiplies it by its weights and by the "
        "derivative of its activation: the sigmoid's is at most ¼ (σ′(u) = σ(u)(1 − σ(u))), so "
        "in a deep sigmoid network the first layers get gradients hundreds of times smaller "
        "than the last — the <i>vanishing gradient</i> — and hardly learn. ReLU's derivative "
        "is 1 where a unit is active, so its gradients keep their size.",
    )


def update_ratio() -> str:
    return QCoreApplication.translate(
        "Explanations",
        "<b>Update / weight ratio</b><br>‖Δw‖ / ‖w‖: how much one step changes a layer's "
        "weights, relative to their size. Around 10<sup>−3</sup> (the dashed line) is a "
        "healthy step; 10<sup>−1</sup> and more tears the weights apart (the learning rate is "
        "too high); 10<sup>−6</sup> hardly moves them (too low, or a vanishing gradient).",
    )


def dead_units() -> str:
    return QCoreApplication.translate(
        "Explanations",
        "<b>Dead ReLUs</b><br>The share of a ReLU layer's units that give 0 for every image of "
        "a batch. Such a unit's gradient is 0 as well (ReLU′(u) = 0 for u &lt; 0), so nothing "
        "brings it back: a too large step can push most of a layer there, and the network "
        "loses its capacity.",
    )


def weight_histograms() -> str:
    return QCoreApplication.translate(
        "Explanations",
        "<b>Weights now and at the start</b><br>How the chosen layer's weights are spread "
        "(bars), against the weights the run started from (the faint outline: He or Glorot "
        "initialisation, chosen by the activation). Learning widens and reshapes the spread; "
        "a layer whose weights stay on the outline has hardly learned.",
    )


def compare_runs() -> str:
    return QCoreApplication.translate(
        "Explanations",
        "<b>Comparing runs</b><br>Every run trained in this session is listed, with the "
        "curves of the model files opened. Tick several to draw their smoothed loss and "
        "their accuracy per epoch together, each in its own colour; each is named by the "
        "settings that differ between the runs ticked, so the difference the curves show "
        "is the difference of those settings.",
    )


def doctor() -> str:
    return QCoreApplication.translate(
        "Explanations",
        "<b>The training doctor</b><br>It reads the loss of every batch, the curves of each "
        "epoch and each layer's measurements, and says what goes wrong: a learning rate too "
        "high (the loss explodes or climbs back) or too low (it hardly falls), overfitting "
        "(the validation loss rises while the training loss falls), vanishing gradients, "
        "dead units, a stalled run. Each comes with its measured numbers and a change to try "
        "in the next run.",
    )


def experiment(name: str) -> str:
    """What the one-click experiment ``name`` shows (rich text, with its formula)."""
    texts = {
        "optimizers": QCoreApplication.translate(
            "Explanations",
            "<b>What it shows</b><br>Plain SGD steps down the gradient: w ← w − η∇E. Momentum "
            "keeps a velocity, v ← μv − η∇E, w ← w + v, so steps in a steady direction grow "
            "and zigzags cancel. Adam scales each weight's step by the running size of its "
            "own gradients (Kingma &amp; Ba 2015), so every weight moves at a similar pace. "
            "The curves show how many steps each needs for the same accuracy.",
        ),
        "activations": QCoreApplication.translate(
            "Explanations",
            "<b>What it shows</b><br>The vanishing gradient. Backpropagation multiplies the "
            "gradient by f′(u) at every layer; the sigmoid's f′ is at most ¼, so after five "
            "layers the first layer's gradient is hundreds of times smaller than the last's "
            "and it hardly learns. ReLU's f′ is 1 for active units. Watch the Why it learns "
            "tab while it runs.",
        ),
        "losses": QCoreApplication.translate(
            "Explanations",
            "<b>What it shows</b><br>Squared error E = ½Σ(y<sub>k</sub> − t<sub>k</sub>)² "
            "on the outputs fits all ten as a regression; its gradient fades when an output "
            "is confidently wrong. Softmax cross-entropy E = −log p<sub>t</sub> has the "
            "gradient p − t: the more wrong, the larger the step. It learns to classify "
            "faster.",
        ),
        "batch": QCoreApplication.translate(
            "Explanations",
            "<b>What it shows</b><br>Batch gradient descent computes the exact gradient over "
            "all the training images before each step: one step per pass. Mini-batch SGD "
            "estimates it on 64 images and steps at once: noisier steps, but hundreds of "
            "them in the same time, and it gets much further.",
        ),
        "dropout": QCoreApplication.translate(
            "Explanations",
            "<b>What it shows</b><br>Overfitting: trained long on few images, a large network "
            "learns them by heart, and its loss on new digits rises again while its training "
            "loss falls. Dropout (Srivastava et al. 2014) switches each hidden unit off at "
            "random with probability p in every step, so no unit can rely on another: the gap "
            "between the training and the new digits shrinks.",
        ),
        "augmentation": QCoreApplication.translate(
            "Explanations",
            "<b>What it shows</b><br>With only 2,000 images, a network sees each one many "
            "times. Augmentation rotates, scales, shears and shifts every image anew in each "
            "epoch: the network never sees the same image twice and has to learn what does "
            "not change — the digit — which makes fewer errors on new digits.",
        ),
    }
    return texts.get(name, "")


def refusal() -> str:
    return QCoreApplication.translate(
        "Explanations",
        "<b>Not a digit?</b><br>Besides the ten digits, the network has an 11th output, "
        "“not a digit”, trained on drawings made to be no digit: letters and symbols, "
        "scribbles, shapes, and digits cut in half, overlapped or crossed out. Its digit "
        "score s = 1 − p<sub>not a digit</sub> says how much a drawing looks like any digit "
        "at all. Under the threshold t the answer is “Not a digit?”, with the best guess "
        "greyed out beside it; t is chosen after training so that only a few of the "
        "held-out digits fall under it. The ten probabilities are those of the digits "
        "alone, p<sub>k</sub> = exp(z<sub>k</sub>/T) / Σ<sub>j≤9</sub> exp(z<sub>j</sub>/T), "
        "with a temperature T fitted on held-out digits so that “90% sure” is right about "
        "90% of the time. Model files of format version 1, and networks trained without "
        "negatives, never refuse.",
    )


def calibration() -> str:
    return QCoreApplication.translate(
        "Explanations",
        "<b>Reliability diagram</b><br>The test digits are grouped by how sure the network "
        "is, its top probability. Each bar is one group: its height is the share of right "
        "answers in the group, its place the group's mean confidence, and the number on it "
        "how many digits it holds. A network whose probabilities can be trusted has its bars "
        "on the diagonal: of the answers given 90% sure, 90% are right. "
        "<b>Expected calibration error</b> (Naeini et al. 2015): "
        "ECE = Σ<sub>b</sub> (n<sub>b</sub>/N) |acc<sub>b</sub> − conf<sub>b</sub>|, the "
        "gaps weighted by how many answers each group holds. The refusal rate is the share "
        "of the test digits the model answers “not a digit” for.",
    )


def help_button(text: str, parent: QWidget | None = None) -> QToolButton:
    """A small "?" button: ``text`` (rich text) as its tooltip, shown at once when clicked."""
    button = QToolButton(parent)
    button.setText("?")
    button.setAutoRaise(True)
    button.setToolTip(text)
    button.setAccessibleName(QCoreApplication.translate("Explanations", "Explanation"))
    button.setStyleSheet(
        "QToolButton { font-weight: bold; color: #2f6fd6; border: 1px solid #9ab6e6;"
        " border-radius: 9px; min-width: 16px; max-width: 16px; min-height: 16px;"
        " max-height: 16px; padding: 0px; }"
    )
    button.clicked.connect(
        lambda: QToolTip.showText(
            button.mapToGlobal(QPoint(0, button.height())), button.toolTip(), button
        )
    )
    return button


def with_formula(tooltip: str, explanation: str) -> str:
    """An existing plain-text tooltip followed by an explanation (rich text)."""
    if not tooltip:
        return explanation
    return f"<p>{html.escape(tooltip)}</p><p>{explanation}</p>"


def annotate_training_panel(panel: TrainingPanel) -> None:
    """Add the formulas to the training controls' tooltips."""
    network = f"{dense()}<br><br>{activation()}<br><br>{backpropagation()}"

    def arch_tooltip(_index: int = 0) -> None:
        what = panel.arch_combo.currentData(Qt.ItemDataRole.ToolTipRole) or ""
        panel.arch_combo.setToolTip(with_formula(what, network))

    arch_tooltip()
    panel.arch_combo.currentIndexChanged.connect(arch_tooltip)
    panel.dropout_spin.setToolTip(with_formula(panel.dropout_spin.toolTip(), dropout()))
    for name, text in (("sgd", sgd()), ("momentum", momentum()), ("adam", adam())):
        index = panel.optimizer_combo.findData(name)
        if index >= 0:
            panel.optimizer_combo.setItemData(index, text, Qt.ItemDataRole.ToolTipRole)
    panel.optimizer_combo.setToolTip(f"{sgd()}<br><br>{momentum()}<br><br>{adam()}")
    panel.lr_spin.setToolTip(with_formula(panel.lr_spin.toolTip(), gradient_descent()))
    panel.schedule_combo.setToolTip(with_formula(panel.schedule_combo.toolTip(), schedule()))
    panel.batch_spin.setToolTip(with_formula(panel.batch_spin.toolTip(), minibatch()))
    panel.epochs_spin.setToolTip(with_formula(panel.epochs_spin.toolTip(), epochs()))
