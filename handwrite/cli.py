"""The ``handwrite`` command: train, evaluate, predict and fetch data headless; open the window.

Bad input ends with exit status 2 and one line ``handwrite: error: ...`` on stderr; an
interrupted command (Ctrl+C) ends with exit status 130 and says what was saved, if anything.
``predict`` ends with exit status 3 when the model refused any of the images ("not a digit":
an answer, printed like the others, that a script reading digits should not take for one).
``--json`` output is strict JSON: a number that is not finite is written as ``null``.
"""

from __future__ import annotations

import argparse
import json
import math
import signal
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from handwrite import __version__

EXIT_ERROR = 2
#: ``predict``: at least one image is not a digit (the model refused it).
EXIT_NOT_A_DIGIT = 3
#: Interrupted by Ctrl+C (SIGINT): 128 + 2, as shells report it.
EXIT_INTERRUPTED = 130


class CliError(Exception):
    """A problem to report as ``handwrite: error: <message>`` with exit status ``code``."""

    def __init__(self, message: str, code: int = EXIT_ERROR) -> None:
        super().__init__(message)
        self.code = code


def _finite(value: Any) -> Any:
    """``value`` with every float that is not finite replaced by None, for strict JSON."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def _print_json(value: Any) -> None:
    """Print ``value`` as one line of strict JSON (never ``NaN`` or ``Infinity``)."""
    print(json.dumps(_finite(value), allow_nan=False))


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise CliError(f"{message} (see: {self.prog} --help)")


def _int_at_least(low: int) -> Callable[[str], int]:
    """An argparse type: a whole number >= ``low``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"expected a number >= {low}, got {value}")
        return value

    return parse


_positive_int = _int_at_least(1)
_non_negative_int = _int_at_least(0)


def _finite_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"expected a finite number, got {text!r}")
    return value


def _sizes(text: str) -> tuple[int, ...]:
    """An argparse type: sizes separated by commas ("100,100"); "none" for no layer."""
    if text.strip().lower() in ("none", ""):
        return ()
    try:
        values = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected whole numbers separated by commas, such as 100,100; got {text!r}"
        ) from None
    return values


def build_parser() -> argparse.ArgumentParser:
    from handwrite.nn.backend import DEVICES
    from handwrite.nn.optim import DEFAULT_LR, OPTIMIZERS
    from handwrite.nn.presets import PRESETS
    from handwrite.trainer import SCHEDULES, TrainConfig

    defaults = TrainConfig()
    default_lr = ", ".join(f"{lr:g} for {name}" for name, lr in DEFAULT_LR.items())

    parser = _Parser(
        prog="handwrite",
        description="Draw digits and watch a from-scratch neural network recognise them. "
        "Without a command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"handwrite {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    gui = sub.add_parser("gui", help="open the window (the default)")
    gui.add_argument("model", nargs="?", help="model file to open instead of the default")

    fetch = sub.add_parser("fetch-data", help="download MNIST into the cache (or --data DIR)")
    fetch.add_argument("--data", metavar="DIR", help="folder to put the four MNIST files in")

    # Options a checkpoint also records default to None here, so that ``--resume`` can tell
    # the ones given from the ones left out (cmd_train fills in TrainConfig's defaults).
    train = sub.add_parser("train", help="train a model on MNIST")
    train.add_argument(
        "--arch",
        choices=PRESETS,
        default=None,
        help=f"the network, or the design the options below change (default {defaults.arch})",
    )
    _add_network_arguments(train)
    train.add_argument(
        "--epochs",
        type=_positive_int,
        default=None,
        help=f"passes over the training set (default {defaults.epochs}; with --resume: the "
        "checkpoint's own, or more to extend it)",
    )
    train.add_argument(
        "--batch-size",
        type=_non_negative_int,
        default=None,
        help="images per step; 0 = the whole training set (batch gradient descent) "
        f"(default {defaults.batch_size})",
    )
    train.add_argument(
        "--optimizer",
        choices=OPTIMIZERS,
        default=None,
        help=f"update rule (default {defaults.optimizer})",
    )
    train.add_argument(
        "--lr",
        type=_finite_float,
        default=None,
        help=f"learning rate (default: {default_lr})",
    )
    train.add_argument(
        "--momentum",
        type=_finite_float,
        default=None,
        help=f"with --optimizer momentum (default {defaults.momentum:g})",
    )
    train.add_argument(
        "--weight-decay",
        type=_finite_float,
        default=None,
        help=f"L2 weight decay (default {defaults.weight_decay:g})",
    )
    train.add_argument(
        "--dropout",
        type=_finite_float,
        default=None,
        help="dropout rate (default: the architecture's own)",
    )
    train.add_argument(
        "--schedule",
        choices=SCHEDULES,
        default=None,
        help=f"learning-rate schedule (default {defaults.schedule})",
    )
    train.add_argument(
        "--augment",
        action="store_true",
        default=None,
        help="random rotations, scaling, shear and shifts of the training images",
    )
    train.add_argument(
        "--elastic",
        action="store_true",
        default=None,
        help="with --augment: add elastic distortion",
    )
    train.add_argument(
        "--validation",
        type=_non_negative_int,
        default=None,
        help="training images held out for validation (at most a tenth; "
        f"default {defaults.validation})",
    )
    train.add_argument("--limit", type=_positive_int, help="train on the first N images only")
    train.add_argument(
        "--negatives",
        type=_finite_float,
        default=None,
        metavar="SHARE",
        help="drawings that are not digits added to each batch, as a share of its digits: the "
        "network gets an 11th output, 'not a digit', and learns to refuse; 0: ten outputs, "
        f"never refuses (default {defaults.negatives:g}; a network with --loss squared_error "
        "never learns to refuse)",
    )
    train.add_argument(
        "--pen-look",
        type=_finite_float,
        default=None,
        metavar="SHARE",
        help="share of each batch's digits redrawn as pen strokes, to read drawings on a "
        f"canvas better (default {defaults.pen_look:g}; the shipped model's recipe: 0.5)",
    )
    train.add_argument(
        "--refusal-rate",
        type=_finite_float,
        default=None,
        metavar="R",
        help="with negatives: the share of validation digits the fitted threshold refuses "
        f"(default {defaults.refusal_rate:g})",
    )
    train.add_argument("--device", choices=DEVICES, default=defaults.device)
    train.add_argument("--data", metavar="DIR", help="folder with the MNIST files")
    train.add_argument(
        "--seed", type=_non_negative_int, default=None, help=f"(default {defaults.seed})"
    )
    train.add_argument(
        "--threads",
        type=_positive_int,
        help="CPU threads a training step is split across (default: HANDWRITE_THREADS, "
        "else every core)",
    )
    train.add_argument(
        "--resume",
        metavar="CHECKPOINT",
        help="continue the run saved in this file as it was (--epochs may extend it; other "
        "training options must be left out or match the checkpoint's)",
    )
    train.add_argument(
        "--out", required=True, metavar="PATH", help="model file to write (also after each epoch)"
    )
    train.add_argument("--json", action="store_true", help="print a JSON summary on stdout")

    from handwrite.experiments import EXPERIMENTS

    exp = sub.add_parser(
        "experiment",
        help="run one of the lecture's comparisons and print its conclusion",
        description="Run one of the lecture's comparisons on a subset of MNIST (each about "
        "a minute or two on a laptop) and print the conclusion measured from its runs.",
    )
    exp.add_argument(
        "name", nargs="?", choices=EXPERIMENTS, metavar="NAME", help=", ".join(EXPERIMENTS)
    )
    exp.add_argument("--list", action="store_true", help="list the experiments and exit")
    exp.add_argument("--data", metavar="DIR", help="folder with the MNIST files")
    exp.add_argument(
        "--threads", type=_positive_int, help="CPU threads a training step is split across"
    )
    exp.add_argument("--json", action="store_true", help="print a JSON summary on stdout")

    ev = sub.add_parser("eval", help="evaluate a model on the MNIST test set")
    ev.add_argument("model")
    ev.add_argument("--data", metavar="DIR")
    ev.add_argument("--device", choices=DEVICES, default="cpu")
    ev.add_argument("--json", action="store_true")

    pr = sub.add_parser("predict", help="recognise digits in PNG/JPEG images")
    pr.add_argument("model")
    pr.add_argument("images", nargs="+", metavar="IMAGE")
    pr.add_argument("--json", action="store_true")

    info = sub.add_parser("info", help="show what a model file holds")
    info.add_argument("model")
    info.add_argument("--json", action="store_true")

    desktop = sub.add_parser(
        "desktop", help="add the window to the desktop's menu, or remove it (Linux)"
    )
    desktop.add_argument(
        "action",
        choices=("install", "uninstall"),
        help="install: a menu entry and the icon for the current user, in $XDG_DATA_HOME "
        "(default ~/.local/share); uninstall: remove them",
    )

    from handwrite.nn.export import DEFAULT_OPSET, MIN_OPSET

    export = sub.add_parser("export", help="write a model as an ONNX file for other programs")
    export.add_argument("model")
    export.add_argument("out", metavar="OUT.onnx", help="the ONNX file to write")
    export.add_argument(
        "--opset",
        type=_positive_int,
        default=DEFAULT_OPSET,
        help=f"ONNX opset to write, {MIN_OPSET} or newer (default {DEFAULT_OPSET})",
    )
    return parser


def _add_network_arguments(train: argparse.ArgumentParser) -> None:
    """Your own network: the options that change the mlp or cnn design, or a whole
    architecture from a JSON file."""
    from handwrite.nn.architectures import (
        ACTIVATIONS,
        DROPOUT_PLACES,
        LOSS_NAMES,
        POOLINGS,
        CNNDesign,
        MLPDesign,
    )

    mlp, cnn = MLPDesign(), CNNDesign()

    def listed(sizes: tuple[int, ...]) -> str:
        return ",".join(map(str, sizes)) or "none"

    group = train.add_argument_group(
        "your own network (changes the mlp or cnn design of --arch; the defaults are the presets)"
    )
    group.add_argument("--activation", choices=ACTIVATIONS, help=f"default {mlp.activation}")
    group.add_argument("--loss", choices=LOSS_NAMES, help=f"default {mlp.loss}")
    group.add_argument(
        "--hidden",
        type=_sizes,
        metavar="SIZES",
        help=f"widths of the hidden fully connected layers, e.g. 100,100 or none (default "
        f"{listed(mlp.hidden)} for the mlp, {listed(cnn.hidden)} for the cnn)",
    )
    group.add_argument(
        "--channels",
        type=_sizes,
        metavar="SIZES",
        help=f"the cnn's output maps per convolution block (default {listed(cnn.channels)})",
    )
    group.add_argument(
        "--kernels",
        type=_sizes,
        metavar="SIZES",
        help=f"the cnn's kernel size per block (default {listed(cnn.kernels)})",
    )
    group.add_argument("--pooling", choices=POOLINGS, help=f"the cnn's (default {cnn.pooling})")
    group.add_argument(
        "--same-padding",
        action="store_true",
        default=None,
        help="pad the cnn's convolutions so that they keep the maps' size",
    )
    group.add_argument(
        "--dropout-at",
        choices=DROPOUT_PLACES,
        help="where --dropout goes: before the output layer, after every hidden layer, or "
        f"also after every convolution block (default {mlp.dropout_at})",
    )
    group.add_argument(
        "--architecture",
        metavar="FILE.json",
        help="the whole network as architecture JSON (as `handwrite info --json` shows a "
        "model's); instead of --arch and the options above",
    )


#: The options of _add_network_arguments that change a design, by their attribute name.
_DESIGN_OPTIONS = (
    "activation",
    "loss",
    "hidden",
    "channels",
    "kernels",
    "pooling",
    "same_padding",
    "dropout_at",
)


def _option(name: str) -> str:
    return "--" + name.replace("_", "-")


def _read_architecture(path: str) -> dict[str, Any]:
    from handwrite.nn.architectures import ArchitectureError, check_architecture

    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CliError(f"--architecture {path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError(f"--architecture {path}: cannot read it ({exc})") from None
    try:
        architecture = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CliError(
            f"--architecture {path}: not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    try:
        return check_architecture(architecture)
    except ArchitectureError as exc:
        raise CliError(f"--architecture {path}: {exc}") from None


def network_from_args(args: argparse.Namespace) -> tuple[str, dict[str, Any] | None, float | None]:
    """The network ``train`` asks for: ``(arch, architecture, dropout)`` for the
    :class:`~handwrite.trainer.TrainConfig`. A design option turns the preset into your own
    architecture (the mlp's and cnn's designs; the other presets take --activation and --loss
    only); conflicting options are a :class:`CliError`."""
    from dataclasses import replace

    from handwrite.nn import presets
    from handwrite.nn.architectures import (
        ArchitectureError,
        CNNDesign,
        MLPDesign,
        with_activation,
        with_loss,
    )
    from handwrite.trainer import TrainConfig

    given = [name for name in _DESIGN_OPTIONS if getattr(args, name) is not None]
    if args.architecture is not None:
        clash = [_option(n) for n in given]
        clash += [f"--{n}" for n in ("arch", "dropout") if getattr(args, n) is not None]
        if clash:
            raise CliError(
                f"--architecture gives the whole network; leave out {', '.join(clash)} "
                "(edit the file instead)"
            )
        return TrainConfig.arch, _read_architecture(args.architecture), None
    arch = args.arch or TrainConfig.arch
    if not given:
        return arch, None, args.dropout
    options = {name: getattr(args, name) for name in given}
    if arch == "mlp":
        convolutional = [_option(n) for n in ("channels", "kernels", "pooling", "same_padding")]
        clash = [o for o in convolutional if o[2:].replace("-", "_") in options]
        if clash:
            verb = "shape" if len(clash) > 1 else "shapes"
            raise CliError(
                f"{', '.join(clash)} {verb} a cnn's convolutions; the mlp has none (use --arch cnn)"
            )
        design: MLPDesign | CNNDesign = MLPDesign()
    elif arch == "cnn":
        design = CNNDesign()
        channels, kernels = options.get("channels"), options.get("kernels")
        if channels is not None and kernels is None:
            options["kernels"] = (design.kernels[0],) * len(channels)
        if kernels is not None and channels is None and len(kernels) != len(design.channels):
            raise CliError(
                f"--kernels gives {len(kernels)} kernel size(s) for the {len(design.channels)} "
                "convolution blocks of the cnn: give --channels too"
            )
    else:
        fixed = [_option(n) for n in given if n not in ("activation", "loss")]
        if fixed:
            verb = "change" if len(fixed) > 1 else "changes"
            raise CliError(
                f"{', '.join(fixed)} {verb} the mlp and cnn designs; --arch {arch} is fixed "
                "(only --activation and --loss change it; or use --architecture FILE.json)"
            )
        architecture = presets.architecture(arch, dropout=args.dropout)
        if args.activation is not None:
            architecture = with_activation(architecture, args.activation)
        if args.loss is not None:
            architecture = with_loss(architecture, args.loss)
        return arch, architecture, None
    if args.dropout is not None:
        options["dropout"] = args.dropout
    try:
        return arch, replace(design, **options).architecture(), None
    except ArchitectureError as exc:
        raise CliError(str(exc)) from None


# ---------------------------------------------------------------------------------------


def _progress_bar(**kwargs: Any) -> Any:
    from tqdm import tqdm

    return tqdm(file=sys.stderr, dynamic_ncols=True, **kwargs)


def _download_progress() -> tuple[Callable[[str, int, int | None], None], Callable[[], None]]:
    bars: dict[str, Any] = {}

    def progress(name: str, done: int, total: int | None) -> None:
        bar = bars.get(name)
        if bar is None:
            bar = bars[name] = _progress_bar(
                desc=name, total=total, unit="B", unit_scale=True, leave=True
            )
        bar.update(done - bar.n)

    def close() -> None:
        for bar in bars.values():
            bar.close()

    return progress, close


def _load_data(data_dir: str | None) -> Any:
    from handwrite.mnist import DataError, load_mnist

    progress, close = _download_progress()
    try:
        return load_mnist(data_dir, progress=progress)
    except DataError as exc:
        raise CliError(str(exc)) from exc
    finally:
        close()


def _load_model(path: str, device: str = "cpu") -> Any:
    from handwrite.modelfile import ModelFileError, load_model
    from handwrite.nn.backend import BackendError

    try:
        return load_model(path, device=device)
    except (ModelFileError, BackendError) as exc:
        raise CliError(str(exc)) from exc


def cmd_fetch_data(args: argparse.Namespace) -> int:
    from handwrite.mnist import DataError, fetch_mnist

    progress, close = _download_progress()
    try:
        folder = fetch_mnist(args.data, progress=progress)
    except DataError as exc:
        raise CliError(str(exc)) from exc
    finally:
        close()
    print(f"MNIST is in {folder}")
    return 0


#: The ``train`` options a checkpoint records: (option, TrainConfig field).
_RECORDED_OPTIONS = (
    ("--arch", "arch"),
    ("--optimizer", "optimizer"),
    ("--lr", "lr"),
    ("--batch-size", "batch_size"),
    ("--momentum", "momentum"),
    ("--weight-decay", "weight_decay"),
    ("--dropout", "dropout"),
    ("--schedule", "schedule"),
    ("--augment", "augment"),
    ("--elastic", "elastic"),
    ("--validation", "validation"),
    ("--limit", "limit"),
    ("--negatives", "negatives"),
    ("--pen-look", "pen_look"),
    ("--refusal-rate", "refusal_rate"),
    ("--seed", "seed"),
)


def _check_resumed_options(args: argparse.Namespace, config: Any) -> None:
    """Refuse options given with ``--resume`` that differ from the checkpoint's settings:
    resuming continues the run as it was saved, and silently ignoring them would mislead."""
    from handwrite.nn.presets import default_dropout

    differ = []
    for option, name in _RECORDED_OPTIONS:
        given = getattr(args, name)
        if given is None:
            continue
        recorded = getattr(config, name)
        if name == "dropout" and recorded is None:
            recorded = default_dropout(config.arch)
        if given != recorded:
            shown = "" if isinstance(given, bool) else f" {given}"
            differ.append(f"{option}{shown} (the checkpoint has {recorded})")
    if differ:
        raise CliError(
            f"--resume continues the run with its own settings, and these options differ "
            f"from them: {', '.join(differ)}. Leave them out to continue the run, or start "
            "a new run without --resume"
        )


def _new_config(
    args: argparse.Namespace,
    arch: str,
    architecture: dict[str, Any] | None,
    dropout: float | None,
) -> Any:
    """The TrainConfig of a new run: the network (:func:`network_from_args`), the options
    given, TrainConfig's defaults for the rest."""
    from handwrite.nn.optim import DEFAULT_LR
    from handwrite.trainer import TrainConfig

    defaults = TrainConfig()

    def given(name: str) -> Any:
        value = getattr(args, name)
        return getattr(defaults, name) if value is None else value

    optimizer = given("optimizer")
    return TrainConfig(
        arch=arch,
        architecture=architecture,
        epochs=args.epochs or defaults.epochs,
        batch_size=given("batch_size"),
        optimizer=optimizer,
        lr=args.lr if args.lr is not None else DEFAULT_LR[optimizer],
        momentum=given("momentum"),
        weight_decay=given("weight_decay"),
        dropout=dropout,
        schedule=given("schedule"),
        augment=bool(args.augment or args.elastic),
        elastic=bool(args.elastic),
        validation=given("validation"),
        limit=args.limit,
        seed=given("seed"),
        device=args.device,
        negatives=given("negatives"),
        pen_look=given("pen_look"),
        refusal_rate=given("refusal_rate"),
    )


def cmd_train(args: argparse.Namespace) -> int:
    from handwrite.modelfile import ModelFileError
    from handwrite.nn.backend import BackendError
    from handwrite.trainer import (
        BatchDone,
        EpochDone,
        Failed,
        Finished,
        Paused,
        Resumed,
        Started,
        Trainer,
        TrainingError,
    )

    out = Path(args.out)
    if out.is_dir():
        raise CliError(f"--out {out} is a folder; give a file name such as {out / 'model.npz'}")
    if not out.parent.exists():
        raise CliError(f"--out: the folder {out.parent} does not exist")
    if args.resume:
        clash = [_option(n) for n in (*_DESIGN_OPTIONS, "architecture")]
        clash = [o for o in clash if getattr(args, o[2:].replace("-", "_")) is not None]
        if clash:
            raise CliError(
                f"--resume continues the checkpoint's own network; leave out {', '.join(clash)}"
            )
        network = None
    else:
        network = network_from_args(args)
    data = _load_data(args.data)
    try:
        if args.resume:
            trainer = Trainer.from_checkpoint(
                args.resume, data, epochs=args.epochs, device=args.device
            )
            _check_resumed_options(args, trainer.config)
        else:
            trainer = Trainer(_new_config(args, *network), data)
        if args.threads is not None:
            trainer.model.threads = args.threads
    except (TrainingError, BackendError, ModelFileError, ValueError) as exc:
        raise CliError(str(exc)) from exc

    existed = out.exists()
    saved_epochs: int | None = None  # epochs done in the last file this run wrote to --out

    def save() -> None:
        nonlocal saved_epochs
        trainer.save(out)
        saved_epochs = trainer.epoch

    def on_interrupt(signum: int, frame: Any) -> None:
        if trainer.stop_requested:
            raise KeyboardInterrupt
        print("\nstopping after this batch (Ctrl+C again to abort)", file=sys.stderr)
        trainer.request_stop()

    previous = signal.signal(signal.SIGINT, on_interrupt)
    bar = None
    result: dict[str, Any] = {}
    failed: Failed | None = None
    finished: Finished | None = None
    started = time.perf_counter()
    try:
        for event in trainer.run():
            if isinstance(event, Started):
                print(
                    f"training {event.config.network_name()} on {event.train_size:,} images "
                    f"({event.validation_size:,} held out for validation, "
                    f"{event.test_size:,} test) with {event.config.optimizer}, "
                    f"{event.device_name}",
                    file=sys.stderr,
                )
                bar = _progress_bar(
                    total=event.total_batches, initial=event.start_step, unit="batch"
                )
            elif isinstance(event, BatchDone):
                bar.update(event.step - bar.n)
                if event.batch % 10 == 0 or event.step == event.total_batches:
                    bar.set_postfix(
                        epoch=f"{event.epoch + 1}",
                        loss=f"{event.loss:.4f}",
                        img_s=f"{event.images_per_second:,.0f}",
                        refresh=False,
                    )
            elif isinstance(event, EpochDone):
                parts = [
                    f"epoch {event.epoch + 1}/{event.epochs}",
                    f"train loss {event.train_loss:.4f} acc {event.train_accuracy:.2%}",
                ]
                if event.validation_accuracy is not None:
                    parts.append(
                        f"val loss {event.validation_loss:.4f} acc {event.validation_accuracy:.2%}"
                    )
                if event.test_accuracy is not None:
                    parts.append(f"test loss {event.test_loss:.4f} acc {event.test_accuracy:.2%}")
                if event.test_refusal_rate is not None:
                    parts.append(f"not a digit: {event.test_refusal_rate:.2%} of test")
                parts.append(f"{event.seconds:.0f} s")
                bar.write(" | ".join(parts), file=sys.stderr)
                save()
            elif isinstance(event, (Paused, Resumed)):
                pass
            elif isinstance(event, Failed):
                failed = event
            elif isinstance(event, Finished):
                finished = event
                result = event.summary
        save()
    except ModelFileError as exc:
        raise CliError(str(exc)) from exc
    except KeyboardInterrupt:
        raise CliError(_aborted(out, existed, saved_epochs), EXIT_INTERRUPTED) from None
    finally:
        signal.signal(signal.SIGINT, previous)
        if bar is not None:
            bar.close()
    if failed is not None:
        raise CliError(f"{failed.message} Saved the last good weights to {out}.")
    stopped = finished is not None and finished.stopped
    seconds = time.perf_counter() - started
    images = trainer.step * trainer.batch_size
    summary = {
        **result,
        "out": str(out),
        "epochs": result.get("epochs", 0),
        "seconds": round(result.get("seconds", seconds), 2),
        "images_per_second": round(images / max(result.get("seconds", seconds), 1e-9), 1),
        "stopped": stopped,
    }
    if stopped:
        print(
            f"interrupted: saved the run so far ({trainer.epoch} epochs and "
            f"{trainer.batch_in_epoch} batches) to {out}; continue it with --resume {out}",
            file=sys.stderr,
        )
    else:
        print(f"saved {out}", file=sys.stderr)
    if args.json:
        _print_json(summary)
    else:
        acc = summary.get("test_accuracy")
        print(f"test accuracy: {acc:.2%}" if acc is not None else "no test set evaluated")
    return EXIT_INTERRUPTED if stopped else 0


def _aborted(out: Path, existed: bool, saved_epochs: int | None) -> str:
    """What an abort (a second Ctrl+C) leaves behind, in words that are true."""
    if saved_epochs is not None:
        return (
            f"aborted; {out} holds the run as last saved, {saved_epochs} epochs done "
            f"(continue it with --resume {out})"
        )
    if existed:
        return f"aborted before this run saved anything; {out} is as it was"
    return f"aborted before the first epoch ended; nothing was saved ({out} was not written)"


def cmd_experiment(args: argparse.Namespace) -> int:
    from handwrite.experiments import (
        EXPERIMENTS,
        ExperimentRun,
        VariantEvent,
        VariantFinished,
        VariantStarted,
    )
    from handwrite.trainer import BatchDone, Started

    if args.list:
        for name, experiment in EXPERIMENTS.items():
            print(f"{name:14} {experiment.title}")
        return 0
    if args.name is None:
        raise CliError(f"name an experiment: {', '.join(EXPERIMENTS)} (or --list)")
    experiment = EXPERIMENTS[args.name]
    data = _load_data(args.data)
    run = ExperimentRun(experiment, data, threads=args.threads)
    print(f"{experiment.title}: {experiment.question}", file=sys.stderr)
    bar = None
    previous = signal.signal(signal.SIGINT, lambda signum, frame: run.request_stop())
    try:
        for event in run.run():
            if isinstance(event, VariantStarted):
                label = event.variant.label.text()
                print(f"[{event.index + 1}/{len(experiment.variants)}] {label}", file=sys.stderr)
            elif isinstance(event, VariantEvent):
                inner = event.event
                if isinstance(inner, Started):
                    bar = _progress_bar(total=inner.total_batches, unit="batch", leave=False)
                elif isinstance(inner, BatchDone) and bar is not None:
                    bar.update(inner.step - bar.n)
            elif isinstance(event, VariantFinished):
                if bar is not None:
                    bar.close()
                    bar = None
                r = event.result
                accuracy = (
                    f", test accuracy {r.test_accuracy:.1%}" if r.test_accuracy is not None else ""
                )
                print(f"    {len(r.steps):,} steps in {r.seconds:.1f} s{accuracy}", file=sys.stderr)
    finally:
        signal.signal(signal.SIGINT, previous)
        if bar is not None:
            bar.close()
    result = run.result
    if result is None or result.conclusion is None:
        raise CliError("stopped before every variant had run: no conclusion")
    if args.json:
        variants = {
            key: {
                "label": r.label.text(),
                "seconds": round(r.seconds, 2),
                "steps": len(r.steps),
                "train_images": r.train_images,
                "test_accuracy": r.test_accuracy,
                "fitted": r.fitted,
                "failed": r.failed,
            }
            for key, r in result.results.items()
        }
        print(
            json.dumps(
                {
                    "experiment": result.experiment,
                    "seconds": round(result.seconds, 2),
                    "conclusion": result.conclusion.text(),
                    "variants": variants,
                }
            )
        )
    else:
        print(result.conclusion.text())
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from handwrite.evaluation import evaluate

    model = _load_model(args.model, args.device)
    data = _load_data(args.data)
    result = evaluate(model, data.test_images, data.test_labels, threads=model.threads)
    per_class = result.per_class_accuracy
    if args.json:
        _print_json(
            {
                "model": args.model,
                "images": int(len(data.test_labels)),
                "accuracy": result.accuracy,
                "loss": result.loss,
                "refuses": model.refuses,
                "refusal_rate": result.refusal_rate,
                "accepted_accuracy": result.accepted_accuracy,
                "calibration_error": result.calibration_error,
                "per_class_accuracy": [round(float(a), 6) for a in per_class],
                "confusion": result.confusion.tolist(),
            }
        )
        return 0
    n = len(data.test_labels)
    print(
        f"{args.model}: accuracy {result.accuracy:.2%} ({int(round(result.accuracy * n))}/{n}), "
        f"loss {result.loss:.4f}"
    )
    if model.refuses:
        refused = int(result.refused.sum())
        print(
            f"not a digit: {result.refusal_rate:.2%} of the test digits refused ({refused}/{n}); "
            f"accuracy among the rest {result.accepted_accuracy:.2%}"
        )
    else:
        print("not a digit: this model never refuses")
    print(f"expected calibration error: {result.calibration_error:.4f}")
    labels = model.answer_classes
    print(
        "per class: " + "  ".join(f"{c}: {a:.1%}" for c, a in zip(labels, per_class, strict=True))
    )
    print("confusion matrix (rows: true class, columns: predicted):")
    print("      " + " ".join(f"{c:>5}" for c in labels))
    for c, row in zip(labels, result.confusion, strict=True):
        print(f"{c:>5} " + " ".join(f"{v:>5}" for v in row))
    return 0


def cmd_predict(args: argparse.Namespace) -> int:
    from handwrite.images import ImageError, read_drawing
    from handwrite.preprocess import EmptyDrawingError, preprocess

    model = _load_model(args.model)
    rows = []
    for path in args.images:
        try:
            image = preprocess(read_drawing(path))
        except ImageError as exc:
            raise CliError(str(exc)) from None
        except EmptyDrawingError:
            raise CliError(f"{path}: the image holds no drawing (blank)") from None
        except ValueError as exc:
            raise CliError(f"{path}: {exc}") from None
        answer = model.answer(image)
        p = answer.probabilities[0]
        refused = bool(answer.refused[0])
        rows.append(
            {
                "image": path,
                "digit": None if refused else int(answer.digit[0]),
                "best_guess": int(answer.best_guess[0]),
                "digit_score": round(float(answer.digit_score[0]), 6),
                "probabilities": [round(float(v), 6) for v in p],
            }
        )
    code = EXIT_NOT_A_DIGIT if any(row["digit"] is None for row in rows) else 0
    if args.json:
        _print_json(rows if len(rows) > 1 else rows[0])
        return code
    for row in rows:
        probs = "  ".join(
            f"{c}:{v:.3f}" for c, v in zip(model.answer_classes, row["probabilities"], strict=True)
        )
        if row["digit"] is None:
            answer_text = (
                f"not a digit (best guess {row['best_guess']}, digit score "
                f"{row['digit_score']:.3f})"
            )
        else:
            answer_text = str(row["digit"])
        print(f"{row['image']}: {answer_text}  ({probs})")
    return code


def cmd_info(args: argparse.Namespace) -> int:
    from handwrite.modelfile import ModelFileError, read_model_file

    try:
        model, meta, opt_state = read_model_file(args.model)
    except ModelFileError as exc:
        raise CliError(str(exc)) from exc
    if args.json:
        meta = {k: v for k, v in meta.items() if k != "checkpoint"}
        _print_json({**meta, "parameters": model.parameter_count()})
        return 0
    print(repr(model))
    training = meta.get("training") or {}
    for key in (
        "epochs",
        "optimizer",
        "lr",
        "batch_size",
        "augment",
        "test_accuracy",
        "test_loss",
        "seconds",
        "date",
    ):
        if training.get(key) is not None:
            print(f"{key}: {training[key]}")
    refusal = model.refusal
    if refusal is None:
        print("not a digit: never refused (no refusal in this model file)")
    else:
        print(
            f"not a digit: refused below a digit score of {refusal.threshold:.4g} "
            f"({refusal.method}); temperature {refusal.temperature:.4g}"
        )
    print(f"resumable checkpoint: {'yes' if opt_state or meta.get('checkpoint') else 'no'}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from handwrite.nn.export import ExportError, to_onnx

    model = _load_model(args.model)
    try:
        to_onnx(model, args.out, opset=args.opset)
    except ExportError as exc:
        raise CliError(str(exc)) from exc
    size = Path(args.out).stat().st_size
    print(f"saved {args.out} ({size:,} bytes, ONNX opset {args.opset})")
    return 0


def cmd_desktop(args: argparse.Namespace) -> int:
    from handwrite import desktop

    try:
        if args.action == "install":
            change = desktop.install()
        else:
            change = desktop.uninstall()
    except desktop.DesktopError as exc:
        raise CliError(str(exc)) from exc
    if args.action == "install":
        entry, icon = change.files
        print(f"installed {entry} (it runs {change.gui_script})")
        print(f"installed {icon}")
    elif change.files:
        for path in change.files:
            print(f"removed {path}")
    else:
        print(f"nothing to remove: no handwrite entry in {desktop.data_home()}")
    for tool in change.refreshed:
        print(f"ran {tool}")
    for problem in change.problems:
        print(f"handwrite: warning: {problem}", file=sys.stderr)
    return 0


def cmd_gui(args: argparse.Namespace) -> int:
    from handwrite.gui.app import main as gui_main

    return gui_main(getattr(args, "model", None))


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "gui": cmd_gui,
    "fetch-data": cmd_fetch_data,
    "train": cmd_train,
    "experiment": cmd_experiment,
    "eval": cmd_eval,
    "predict": cmd_predict,
    "info": cmd_info,
    "export": cmd_export,
    "desktop": cmd_desktop,
}


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return COMMANDS[args.command or "gui"](args)
    except CliError as exc:
        # one line, whatever the underlying message looked like
        message = "; ".join(part.strip() for part in str(exc).splitlines() if part.strip())
        print(f"handwrite: error: {message}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:  # Ctrl+C outside training: loading data, evaluating...
        print("\nhandwrite: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # e.g. `handwrite eval m.npz | head`
        return 0


def gui_main() -> int:
    """``handwrite-gui [MODEL]``: the window, as ``handwrite gui [MODEL]``. pip installs it
    from ``[project.gui-scripts]``, which on Windows opens no console window."""
    return main(["gui", *sys.argv[1:]])


if __name__ == "__main__":
    raise SystemExit(main())
