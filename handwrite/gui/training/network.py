"""The training panel's network, Qt-free: your own MLP or CNN, a fixed preset, or an
architecture edited as JSON, read back from an architecture and turned into one.

    choice = NetworkChoice.of(architecture)      # what the panel shows for it
    choice = NetworkChoice.design_of(CNNDesign(channels=(16, 32)))
    choice.architecture()                        # the JSON the trainer takes
    choice.settings()                            # (arch, dropout, architecture) to remember

Every choice, default and bound comes from :mod:`handwrite.nn.architectures` and
:mod:`handwrite.nn.presets`. Two presets are designs' defaults (``mlp`` is
``MLPDesign()``, ``cnn`` is ``CNNDesign()``), so the panel edits them through the design's
choices; the other presets are fixed and take only another activation, loss or dropout
rate (as the command line's ``--activation`` and ``--loss``). An architecture that is
neither (one written by hand) is kept as it is: ``EDITED``. This module imports no Qt.
"""

from __future__ import annotations

import copy
import dataclasses
import inspect
from dataclasses import dataclass
from typing import Any

from handwrite.nn import presets
from handwrite.nn.architectures import (
    ACTIVATIONS,
    ArchitectureError,
    CNNDesign,
    MLPDesign,
    activation_of,
    check_architecture,
    with_activation,
    with_loss,
)
from handwrite.nn.layers import LAYER_TYPES
from handwrite.trainer import START_NETWORK

__all__ = [
    "DESIGNS",
    "EDITED",
    "FIXED_PRESETS",
    "KINDS",
    "NAMED_DESIGNS",
    "OWN",
    "NetworkChoice",
    "normalised_layers",
    "parameter_count",
]

#: The designs by kind: what the panel's MLP and CNN choices edit.
DESIGNS: dict[str, type[MLPDesign] | type[CNNDesign]] = {
    MLPDesign.kind: MLPDesign,
    CNNDesign.kind: CNNDesign,
}
#: The presets that are no design's defaults: only their activation, loss and dropout rate
#: change.
FIXED_PRESETS = tuple(name for name in presets.PRESETS if name not in DESIGNS)
#: An architecture written (or pasted) as JSON that is no design and no preset.
EDITED = "edited"
#: The kinds of network the panel offers, in its order.
KINDS = (*DESIGNS, *FIXED_PRESETS, EDITED)
#: ``TrainingSettings.arch`` for a network given by its architecture JSON (not a preset).
OWN = "own"
_ACTIVATION_TYPES = set(ACTIVATIONS.values())
#: Designs known by a name of their own: a design equal to one of them takes its name.
NAMED_DESIGNS: tuple[MLPDesign | CNNDesign, ...] = (START_NETWORK,)


def _defaults(cls: type) -> dict[str, Any]:
    """The arguments of layer class ``cls`` that have defaults, and those defaults."""
    return {
        name: p.default
        for name, p in inspect.signature(cls.__init__).parameters.items()
        if name not in ("self", "init", "rng") and p.default is not inspect.Parameter.empty
    }


def normalised_layers(layers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``layers`` with every default argument written out, so that two ways of writing the
    same layer compare equal (``{"type": "Conv2D", ..., "stride": 1}`` and without it)."""
    out = []
    for spec in layers:
        cls = LAYER_TYPES.get(spec.get("type"))
        if cls is None:
            out.append(dict(spec))
            continue
        args = {k: v for k, v in spec.items() if k != "type"}
        if not cls.takes_init:  # no weights to make: the layer says how it is written
            try:
                out.append({"type": spec["type"], **cls(**args).config()})
                continue
            except (TypeError, ValueError):
                pass
        out.append({"type": spec["type"], **_defaults(cls), **args})
    return out


def _same_network(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two architectures are the same network (their names aside)."""
    return a.get("loss", "cross_entropy") == b.get("loss", "cross_entropy") and normalised_layers(
        a.get("layers", [])
    ) == normalised_layers(b.get("layers", []))


def parameter_count(architecture: dict[str, Any]) -> int:
    """The weights and biases of a checked architecture, counted from its layers' arguments
    (no weights are made)."""
    return sum(
        LAYER_TYPES[spec["type"]].count_parameters({k: v for k, v in spec.items() if k != "type"})
        for spec in architecture["layers"]
    )


@dataclass(frozen=True)
class NetworkChoice:
    """What the training panel shows of a network.

    ``kind``: one of :data:`KINDS`. ``design``: the MLP's or CNN's choices (kinds ``mlp``
    and ``cnn``); its ``name`` is None unless the architecture came with a name of its own.
    For a fixed preset: ``activation`` (None: the preset's own), ``loss`` and ``dropout``
    (its rate before the output layer). ``edited``: the JSON of kind :data:`EDITED`.
    """

    kind: str
    design: MLPDesign | CNNDesign | None = None
    activation: str | None = None
    loss: str = "cross_entropy"
    dropout: float = 0.0
    edited: dict[str, Any] | None = None

    @classmethod
    def design_of(cls, design: MLPDesign | CNNDesign) -> NetworkChoice:
        return cls(design.kind, design=design)

    @classmethod
    def preset(cls, name: str, dropout: float | None = None) -> NetworkChoice:
        """The preset ``name`` with its own dropout rate or ``dropout``."""
        p = presets.default_dropout(name) if dropout is None else float(dropout)
        if name in DESIGNS:
            return cls.design_of(DESIGNS[name](dropout=p))
        return cls(name, dropout=p)

    @classmethod
    def of(cls, architecture: dict[str, Any]) -> NetworkChoice:
        """The choice that makes ``architecture`` (a checked one): a design, a fixed preset
        changed, or :data:`EDITED`."""
        design = _design_of(architecture)
        if design is not None:
            return cls.design_of(design)
        for name in FIXED_PRESETS:
            choice = _preset_of(name, architecture)
            if choice is not None:
                return choice
        return cls(EDITED, edited=copy.deepcopy(architecture))

    def with_kind(self, kind: str) -> NetworkChoice:
        """Another kind, with its defaults (the preset's; an EDITED choice keeps the JSON
        this one makes, so that it can be edited from there)."""
        if kind == EDITED:
            try:
                return NetworkChoice(EDITED, edited=self.architecture())
            except ArchitectureError:
                return NetworkChoice(EDITED, edited=presets.architecture(presets.DEFAULT_PRESET))
        return NetworkChoice.preset(kind)

    def architecture(self) -> dict[str, Any]:
        """The architecture JSON; raises :class:`ArchitectureError` for a bad choice."""
        if self.design is not None:
            design = self.design
            if design.name is None:
                design = next(
                    (d for d in NAMED_DESIGNS if dataclasses.replace(d, name=None) == design),
                    design,
                )
            return design.architecture()
        if self.kind == EDITED:
            return check_architecture(self.edited)
        base = presets.architecture(self.kind, dropout=self.dropout)
        changed = base
        if self.activation is not None:
            changed = with_activation(changed, self.activation)
        if self.loss != base["loss"]:
            changed = with_loss(changed, self.loss)
        if not _same_network(changed, base):
            changed["name"] = f"custom {self.kind}"
        return changed

    def settings(self) -> tuple[str, float | None, dict[str, Any] | None]:
        """``(arch, dropout, architecture)`` as ``TrainingSettings`` keeps them: the preset
        and its rate when the network is exactly a preset (with any dropout rate), else
        :data:`OWN`, None and the JSON. Raises :class:`ArchitectureError`."""
        architecture = self.architecture()
        for name in presets.PRESETS:
            rates = [s.get("p") for s in architecture["layers"] if s.get("type") == "Dropout"]
            if len(rates) > 1:
                break
            preset = presets.architecture(name, dropout=rates[0] if rates else 0.0)
            if architecture["name"] in (name, f"custom {name}") and _same_network(
                architecture, preset
            ):
                return name, float(rates[0]) if rates else 0.0, None
        return OWN, None, architecture

    @property
    def own_activation(self) -> str:
        """The activation shown: the design's, the one chosen, else the preset's own."""
        if self.design is not None:
            return self.design.activation
        if self.activation is not None:
            return self.activation
        network = self.edited if self.kind == EDITED else presets.architecture(self.kind)
        return activation_of(network or {}) or "relu"

    @property
    def own_loss(self) -> str:
        if self.design is not None:
            return self.design.loss
        if self.kind == EDITED and self.edited is not None:
            return str(self.edited.get("loss", "cross_entropy"))
        return self.loss


def _design_of(architecture: dict[str, Any]) -> MLPDesign | CNNDesign | None:
    """The MLP or CNN design whose architecture is ``architecture`` (named as it is, unless
    that is the design's own name), or None."""
    layers = architecture.get("layers", [])
    activation = activation_of(architecture)
    if activation is None and not any(s.get("type") in _ACTIVATION_TYPES for s in layers):
        activation = MLPDesign.activation  # no hidden layer: any activation, the same network
    loss = architecture.get("loss", "cross_entropy")
    if activation is None or not layers:
        return None
    rates = {s.get("p") for s in layers if s.get("type") == "Dropout"}
    if len(rates) > 1:
        return None
    p = float(rates.pop()) if rates else 0.0
    flatten = next((i for i, s in enumerate(layers) if s.get("type") == "Flatten"), None)
    if flatten is None:
        return None
    dense = [s.get("out_features") for s in layers[flatten:] if s.get("type") == "Dense"]
    hidden = tuple(dense[:-1])
    candidates: list[MLPDesign | CNNDesign] = []
    if flatten == 0:
        for at in ("output", "hidden"):
            candidates.append(MLPDesign(hidden, activation, p, at, loss))
    else:
        convs = [s for s in layers[:flatten] if s.get("type") == "Conv2D"]
        types = {s.get("type") for s in layers[:flatten]}
        pooling = "max" if "MaxPool2D" in types else "avg" if "AvgPool2D" in types else "none"
        same = bool(convs) and all(s.get("padding", 0) for s in convs)
        channels = tuple(s.get("out_channels") for s in convs)
        kernels = tuple(s.get("kernel_size") for s in convs)
        for at in ("output", "hidden", "everywhere"):
            candidates.append(
                CNNDesign(channels, kernels, pooling, same, hidden, activation, p, at, loss)
            )
    for design in candidates:
        try:
            made = design.architecture()
        except ArchitectureError:
            continue
        if _same_network(made, architecture):
            name = architecture.get("name")
            own = made["name"]
            named = next(
                (d for d in NAMED_DESIGNS if dataclasses.replace(d, name=None) == design), None
            )
            if named is not None and name == named.name:
                return design
            return design if name in (own, None) else dataclasses.replace(design, name=name)
    return None


def _preset_of(name: str, architecture: dict[str, Any]) -> NetworkChoice | None:
    """The fixed preset ``name`` with another activation, loss or dropout rate that makes
    ``architecture``, or None."""
    rates = [s.get("p") for s in architecture.get("layers", []) if s.get("type") == "Dropout"]
    if len(rates) > 1:
        return None
    choice = NetworkChoice(
        name,
        activation=activation_of(architecture),
        loss=architecture.get("loss", "cross_entropy"),
        dropout=float(rates[0]) if rates else 0.0,
    )
    if choice.activation is None:
        return None
    try:
        made = choice.architecture()
    except ArchitectureError:
        return None
    return choice if _same_network(made, architecture) else None
