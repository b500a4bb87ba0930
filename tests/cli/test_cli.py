"""The command line: train, eval, predict, info, fetch-data, export, desktop, the window's
script, and its error handling."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from handwrite import load_model, resources
from handwrite.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("handwrite: error: "), err
    assert "Traceback" not in err
    return lines[0]


@pytest.fixture(scope="module")
def trained(tmp_path_factory, mnist_dir) -> Path:
    """An mlp trained briefly through the command line."""
    out = tmp_path_factory.mktemp("cli") / "mlp.npz"
    code = main(
        [
            "train",
            "--arch",
            "mlp",
            "--epochs",
            "1",
            "--limit",
            "12000",
            "--batch-size",
            "32",
            "--data",
            str(mnist_dir),
            "--out",
            str(out),
        ]
    )
    assert code == 0
    return out


def test_train_json_summary(capsys, tmp_path, mnist_dir) -> None:
    out = tmp_path / "m.npz"
    code, stdout, _ = run(
        capsys,
        "train",
        "--arch",
        "mlp",
        "--epochs",
        "1",
        "--limit",
        "3000",
        "--data",
        str(mnist_dir),
        "--out",
        str(out),
        "--json",
        "--seed",
        "3",
    )
    assert code == 0
    summary = json.loads(stdout)
    for key in ("epochs", "seconds", "images_per_second", "test_accuracy", "test_loss"):
        assert key in summary
    assert summary["epochs"] == 1 and summary["test_accuracy"] > 0.8
    model = load_model(out)
    assert model.metadata["training"]["test_accuracy"] == summary["test_accuracy"]


def test_threads_split_the_step_without_changing_the_result(
    capsys, tmp_path, mnist_dir, monkeypatch
) -> None:
    from handwrite.nn import parallel

    split_steps = []
    original = parallel.ShardedStep.step

    def counting(self, x, t, pieces):  # noqa: ANN001, ANN202
        split_steps.append(self.workers)
        return original(self, x, t, pieces)

    monkeypatch.setattr(parallel.ShardedStep, "step", counting)
    summaries = {}
    for threads in ("1", "2"):
        args = ["--arch", "cnn", "--epochs", "1", "--limit", "512", "--validation", "0"]
        code, stdout, _ = run(
            capsys,
            "train",
            *args,
            "--threads",
            threads,
            "--data",
            str(mnist_dir),
            "--out",
            str(tmp_path / f"cnn{threads}.npz"),
            "--json",
        )
        assert code == 0
        summaries[threads] = json.loads(stdout)
        assert split_steps == ([] if threads == "1" else [2] * 8)
    # the same training up to the rounding of the gradient sums
    assert summaries["2"]["test_loss"] == pytest.approx(summaries["1"]["test_loss"], rel=1e-3)


def test_resume_extends_a_run(capsys, tmp_path, mnist_dir) -> None:
    out = tmp_path / "m.npz"
    args = ["--arch", "mlp", "--limit", "2000", "--data", str(mnist_dir), "--json"]
    assert run(capsys, "train", *args, "--epochs", "1", "--out", str(out))[0] == 0
    code, stdout, _ = run(
        capsys, "train", *args, "--resume", str(out), "--epochs", "2", "--out", str(out)
    )
    assert code == 0
    assert json.loads(stdout)["epochs"] == 2


def test_eval_json(capsys, trained, mnist_dir) -> None:
    code, stdout, _ = run(capsys, "eval", str(trained), "--data", str(mnist_dir), "--json")
    assert code == 0
    result = json.loads(stdout)
    assert result["accuracy"] > 0.9
    confusion = np.array(result["confusion"])
    assert confusion.shape == (10, 10) and confusion.sum() == 10000
    assert result["accuracy"] == pytest.approx(np.trace(confusion) / 10000)
    assert {"loss", "per_class_accuracy"} <= set(result)


def test_eval_text(capsys, trained, mnist_dir) -> None:
    code, stdout, _ = run(capsys, "eval", str(trained), "--data", str(mnist_dir))
    assert code == 0
    assert "accuracy" in stdout and "confusion matrix" in stdout


def write_drawing(path: Path, digit: np.ndarray, dark_on_light: bool) -> None:
    from PIL import Image

    big = np.kron(digit, np.ones((9, 9), np.uint8))
    canvas = np.zeros((400, 360), np.uint8)
    canvas[40 : 40 + big.shape[0], 100 : 100 + big.shape[1]] = big
    if dark_on_light:
        canvas = 255 - canvas
    Image.fromarray(canvas).save(path)


def test_predict_reads_drawings_either_way_round(capsys, tmp_path, trained, mnist_dir) -> None:
    from handwrite.mnist import load_mnist

    data = load_mnist(mnist_dir, download=False)
    model = load_model(trained)
    right = np.flatnonzero(model.predict(data.test_images[:200]) == data.test_labels[:200])[:6]
    paths = []
    for k, i in enumerate(right):
        path = tmp_path / f"digit{k}.{'png' if k % 2 else 'jpg'}"
        write_drawing(path, data.test_images[i], dark_on_light=k % 2 == 0)
        paths.append(str(path))
    code, stdout, _ = run(capsys, "predict", str(trained), *paths, "--json")
    assert code == 0
    rows = json.loads(stdout)
    predicted = [row["digit"] for row in rows]
    assert np.mean(np.array(predicted) == data.test_labels[right]) >= 5 / 6
    for row in rows:
        assert sum(row["probabilities"]) == pytest.approx(1.0, abs=1e-4)


def test_info(capsys, trained) -> None:
    code, stdout, _ = run(capsys, "info", str(trained))
    assert code == 0 and "Dense(in_features=784" in stdout and "resumable checkpoint: yes" in stdout


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["train", "--lr", "abc", "--out", "x.npz"], "expected a number"),
        (["train", "--lr", "nan", "--out", "x.npz"], "finite"),
        (["train", "--arch", "resnet", "--out", "x.npz"], "invalid choice"),
        (["train", "--epochs", "0", "--out", "x.npz"], ">= 1"),
        (["train", "--threads", "0", "--out", "x.npz"], ">= 1"),
        (["train", "--out", "/no/such/folder/m.npz"], "does not exist"),
        (["train"], "--out"),
        (["eval", "/no/such/model.npz"], "no such file"),
        (["predict", "/no/such/model.npz", "x.png"], "no such file"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_input_is_one_clear_line(capsys, argv, fragment) -> None:
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert fragment in one_error_line(err)


def test_bad_model_file(capsys, tmp_path) -> None:
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"PK\x03\x04 truncated")
    code, _, err = run(capsys, "eval", str(bad))
    assert code == 2 and str(bad) in one_error_line(err)


def test_missing_data_names_what_to_do(capsys, tmp_path) -> None:
    code, _, err = run(capsys, "train", "--data", str(tmp_path), "--out", str(tmp_path / "m.npz"))
    assert code == 2
    line = one_error_line(err)
    assert "train-images-idx3-ubyte" in line or "MNIST" in line


def test_predict_blank_and_unreadable_images(capsys, tmp_path, trained) -> None:
    from PIL import Image

    blank = tmp_path / "blank.png"
    Image.fromarray(np.full((50, 50), 255, np.uint8)).save(blank)
    code, _, err = run(capsys, "predict", str(trained), str(blank))
    assert code == 2 and "blank" in one_error_line(err)
    junk = tmp_path / "junk.png"
    junk.write_text("not an image")
    code, _, err = run(capsys, "predict", str(trained), str(junk))
    assert code == 2 and "not a readable" in one_error_line(err)


def test_python_dash_m_and_version() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "handwrite", "--version"], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0 and out.stdout.startswith("handwrite ")
    bad = subprocess.run(
        [sys.executable, "-m", "handwrite", "eval", "/nope.npz"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2
    assert bad.stderr.strip() == "handwrite: error: /nope.npz: no such file"


def test_the_gui_script_opens_the_window_with_the_model_given(monkeypatch) -> None:
    from handwrite import cli

    opened: list[str | None] = []

    def gui(args) -> int:
        opened.append(args.model)
        return 0

    monkeypatch.setitem(cli.COMMANDS, "gui", gui)
    monkeypatch.setattr(sys, "argv", ["handwrite-gui", "mine.npz"])
    assert cli.gui_main() == 0
    monkeypatch.setattr(sys, "argv", ["handwrite-gui"])
    assert cli.gui_main() == 0
    assert opened == ["mine.npz", None]


def test_desktop_install_and_uninstall(capsys, tmp_path, monkeypatch) -> None:
    from handwrite import desktop

    script = tmp_path / "venv" / "bin" / "handwrite-gui"
    script.parent.mkdir(parents=True)
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    monkeypatch.setattr(desktop, "find_gui_script", lambda: script)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools"))
    entry = tmp_path / "share" / "applications" / "handwrite.desktop"
    icon = tmp_path / "share" / "icons" / "hicolor" / "256x256" / "apps" / "handwrite.png"

    code, stdout, _ = run(capsys, "desktop", "install")
    assert code == 0
    assert stdout.splitlines() == [f"installed {entry} (it runs {script})", f"installed {icon}"]
    assert f"Exec={script} %f" in entry.read_text()

    code, stdout, _ = run(capsys, "desktop", "uninstall")
    assert code == 0 and stdout.splitlines() == [f"removed {entry}", f"removed {icon}"]
    assert not entry.exists() and not icon.exists()
    code, stdout, _ = run(capsys, "desktop", "uninstall")
    assert code == 0 and stdout.startswith("nothing to remove")


def test_desktop_elsewhere_than_linux_is_one_clear_line(capsys, monkeypatch) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    code, _, err = run(capsys, "desktop", "install")
    assert code == 2 and "for Linux desktops" in one_error_line(err)
    assert "handwrite-gui.exe" in err


def test_fetch_data_keeps_files_already_there(capsys, tmp_path, mnist_dir, monkeypatch) -> None:
    import shutil
    import urllib.request

    for f in Path(mnist_dir).iterdir():
        if "ubyte" in f.name:
            shutil.copy(f, tmp_path / f.name)

    def no_network(*args, **kwargs):
        raise AssertionError("fetch-data went to the network although the files were there")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    code, stdout, _ = run(capsys, "fetch-data", "--data", str(tmp_path))
    assert code == 0 and str(tmp_path) in stdout


SHIPPED_MODEL = resources.default_model_path()


def test_export_writes_an_onnx_file_or_one_error_line(capsys, tmp_path) -> None:
    pytest.importorskip("onnx", reason="onnx is not installed: pip install 'handwrite[export]'")
    from onnx.reference import ReferenceEvaluator

    out = tmp_path / "digits.onnx"
    code, stdout, _ = run(capsys, "export", str(SHIPPED_MODEL), str(out), "--opset", "18")
    assert code == 0 and f"saved {out}" in stdout and "opset 18" in stdout
    x = np.random.default_rng(0).random((3, 1, 28, 28), dtype=np.float32) ** 4
    p, score, digit = ReferenceEvaluator(str(out)).run(None, {"images": x})
    answer = load_model(SHIPPED_MODEL).answer(x)  # the shipped model refuses: three outputs
    np.testing.assert_allclose(p, answer.probabilities, atol=1e-5)
    np.testing.assert_allclose(score, answer.digit_score, atol=1e-5)
    np.testing.assert_array_equal(digit, answer.digit)
    code, _, err = run(capsys, "export", str(SHIPPED_MODEL), str(out), "--opset", "9")
    assert code == 2 and "opset must be" in one_error_line(err)
    unwritable = "/no/such/folder/m.onnx"
    code, _, err = run(capsys, "export", str(SHIPPED_MODEL), unwritable)
    assert code == 2 and f"{unwritable}: could not write" in one_error_line(err)


def test_export_without_a_model_or_onnx_is_one_clear_line(capsys, tmp_path, monkeypatch) -> None:
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"PK\x03\x04 truncated")
    code, _, err = run(capsys, "export", str(bad), str(tmp_path / "m.onnx"))
    assert code == 2 and str(bad) in one_error_line(err)
    monkeypatch.setitem(sys.modules, "onnx", None)  # as if onnx were not installed
    code, _, err = run(capsys, "export", str(SHIPPED_MODEL), str(tmp_path / "m.onnx"))
    assert code == 2 and "pip install 'handwrite[export]'" in one_error_line(err)
    assert list(tmp_path.iterdir()) == [bad]


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_train_defaults_are_the_core_s(capsys, tmp_path, monkeypatch, optimizer) -> None:
    """Without options, `train` asks for the trainer's own defaults and the optimizer's
    default learning rate."""
    from handwrite import cli, trainer
    from handwrite.nn.optim import DEFAULT_LR

    asked = []

    def refuse(config, data, *args, **kwargs):
        asked.append(config)
        raise trainer.TrainingError("not this time")

    monkeypatch.setattr(trainer, "Trainer", refuse)
    monkeypatch.setattr(cli, "_load_data", lambda data_dir: None)
    code, _, err = run(capsys, "train", "--optimizer", optimizer, "--out", str(tmp_path / "m.npz"))
    assert code == 2 and "not this time" in one_error_line(err)
    expected = dataclasses.replace(
        trainer.TrainConfig(), optimizer=optimizer, lr=DEFAULT_LR[optimizer]
    )
    assert asked == [expected]


# -- hostile input and interruptions: one true line, the right exit status -------------------


def strict_json(text: str):
    """Parse ``text`` as strict JSON: NaN and Infinity are not JSON."""

    def refuse(name: str):
        raise ValueError(f"{name} is not JSON")

    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('"out_features": 256', '"out_features": 1e400'),  # OverflowError, a traceback
        ('"format": ', '"history": {"batch_loss": [1e400]}, "format": '),  # info: Infinity
    ],
)
def test_a_hostile_model_file_is_one_line_for_every_command(capsys, tmp_path, old, new) -> None:
    import io
    import zipfile

    with zipfile.ZipFile(SHIPPED_MODEL) as z:
        text = np.load(z.open("metadata.npy")).tobytes().decode()
    assert old in text
    text = text.replace(old, new, 1)
    hostile = tmp_path / "hostile.npz"
    with zipfile.ZipFile(SHIPPED_MODEL) as zin, zipfile.ZipFile(hostile, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "metadata.npy":
                buf = io.BytesIO()
                np.save(buf, np.frombuffer(text.encode(), np.uint8))
                data = buf.getvalue()
            zout.writestr(info, data)
    drawing = tmp_path / "d.png"
    write_drawing(drawing, np.eye(28, dtype=np.uint8) * 255, dark_on_light=True)
    for argv in (
        ["info", str(hostile)],
        ["info", str(hostile), "--json"],
        ["predict", str(hostile), str(drawing)],
        ["export", str(hostile), str(tmp_path / "m.onnx")],
    ):
        code, out, err = run(capsys, *argv)
        assert code == 2 and "1e400" in one_error_line(err) and not out, argv


@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs are POSIX")
def test_a_fifo_as_the_model_is_one_line_at_once(capsys, tmp_path, deadline) -> None:
    import os

    fifo = tmp_path / "model.npz"
    os.mkfifo(fifo)
    with deadline(20):
        code, _, err = run(capsys, "info", str(fifo))
    assert code == 2 and "named pipe" in one_error_line(err)


def test_predict_refuses_a_decompression_bomb_in_one_line(capsys, tmp_path) -> None:
    import struct
    import zlib

    from PIL import Image

    bomb = tmp_path / "bomb.png"
    Image.new("1", (8, 8)).save(bomb)
    data = bytearray(bomb.read_bytes())
    data[16:24] = struct.pack(">II", 20_000, 20_000)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    bomb.write_bytes(bytes(data))
    code, _, err = run(capsys, "predict", str(SHIPPED_MODEL), str(bomb))
    line = one_error_line(err)
    assert code == 2 and str(bomb) in line and "16,000,000 pixels accepted" in line


def test_predict_reads_a_16_bit_drawing(capsys, tmp_path) -> None:
    from PIL import Image, ImageDraw

    # a scan: dark grey pencil on light grey paper, which 8 bits of 16 would clip to white
    im = Image.new("L", (200, 200), 235)
    draw = ImageDraw.Draw(im)
    draw.line([(50, 40), (150, 40), (85, 170)], fill=40, width=16)
    path = tmp_path / "seven16.png"
    Image.fromarray(np.asarray(im).astype(np.uint16) * 257).save(path)
    code, stdout, _ = run(capsys, "predict", str(SHIPPED_MODEL), str(path), "--json")
    assert code == 0 and json.loads(stdout)["digit"] == 7


def test_info_json_is_strict_json(capsys, trained) -> None:
    code, stdout, _ = run(capsys, "info", str(trained), "--json")
    assert code == 0 and strict_json(stdout)["parameters"] > 0


def test_json_output_writes_null_for_numbers_that_are_not_finite(capsys) -> None:
    from handwrite.cli import _print_json

    _print_json({"loss": float("inf"), "curve": [1.0, float("nan")], "n": 3})
    assert strict_json(capsys.readouterr().out) == {"loss": None, "curve": [1.0, None], "n": 3}


@pytest.fixture
def checkpoint(capsys, tmp_path, mnist_dir) -> tuple[Path, list[str]]:
    out = tmp_path / "m.npz"
    args = ["--limit", "2000", "--data", str(mnist_dir)]
    code = run(capsys, "train", "--arch", "mlp", "--epochs", "1", *args, "--out", str(out))[0]
    assert code == 0
    return out, args


def test_resume_refuses_options_that_differ_from_the_checkpoint(capsys, checkpoint) -> None:
    out, args = checkpoint
    before = out.read_bytes()
    resume = ["train", *args, "--resume", str(out), "--epochs", "2", "--out", str(out)]
    code, _, err = run(
        capsys, *resume, "--arch", "cnn", "--optimizer", "sgd", "--lr", "0.5",
        "--batch-size", "7", "--augment",
    )  # fmt: skip
    line = one_error_line(err)
    assert code == 2
    for option in ("--arch cnn", "--optimizer sgd", "--lr 0.5", "--batch-size 7", "--augment"):
        assert option in line
    assert "the checkpoint has mlp" in line and "--limit" not in line
    assert out.read_bytes() == before
    # options that match the checkpoint's are fine
    code, _, _ = run(capsys, *resume, "--arch", "mlp", "--batch-size", "64", "--json")
    assert code == 0


def test_a_hand_edited_checkpoint_is_one_line(capsys, checkpoint, tmp_path) -> None:
    import io
    import zipfile

    out, args = checkpoint
    edited = tmp_path / "edited.npz"
    with zipfile.ZipFile(out) as zin, zipfile.ZipFile(edited, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "metadata.npy":
                meta = json.loads(np.load(io.BytesIO(data)).tobytes())
                meta["checkpoint"]["epoch"] = -1
                buf = io.BytesIO()
                np.save(buf, np.frombuffer(json.dumps(meta).encode(), np.uint8))
                data = buf.getvalue()
            zout.writestr(info, data)
    code, _, err = run(
        capsys, "train", *args, "--resume", str(edited), "--out", str(tmp_path / "x.npz")
    )
    assert code == 2 and "'epoch' must be a count" in one_error_line(err)


def interrupt_after(monkeypatch, batches: int, times: int) -> None:
    """Press Ctrl+C ``times`` times once ``batches`` batches are done (a real SIGINT,
    handled by the handler `train` installs)."""
    import signal

    from handwrite import trainer as trainer_module

    run_events = trainer_module.Trainer.run

    def run_and_interrupt(self):
        for event in run_events(self):
            yield event
            if isinstance(event, trainer_module.BatchDone) and event.step == batches:
                for _ in range(times):
                    signal.raise_signal(signal.SIGINT)

    monkeypatch.setattr(trainer_module.Trainer, "run", run_and_interrupt)


def test_an_interrupted_train_exits_130_and_says_what_it_saved(
    capsys, tmp_path, mnist_dir, monkeypatch
) -> None:
    out = tmp_path / "m.npz"
    interrupt_after(monkeypatch, batches=3, times=1)
    args = ["--arch", "mlp", "--epochs", "2", "--limit", "3000", "--data", str(mnist_dir)]
    code, stdout, err = run(capsys, "train", *args, "--out", str(out), "--json")
    assert code == 130
    assert f"interrupted: saved the run so far (0 epochs and 3 batches) to {out}" in err
    assert strict_json(stdout)["stopped"] is True
    from handwrite.modelfile import read_model_file

    meta = read_model_file(out)[1]
    assert meta["checkpoint"]["step"] == 3


def test_a_double_ctrl_c_before_any_save_says_nothing_was_saved(
    capsys, tmp_path, mnist_dir, monkeypatch
) -> None:
    out = tmp_path / "m.npz"
    interrupt_after(monkeypatch, batches=2, times=2)
    args = ["--arch", "mlp", "--epochs", "1", "--limit", "3000", "--data", str(mnist_dir)]
    code, _, err = run(capsys, "train", *args, "--out", str(out))
    assert code == 130
    last = err.strip().splitlines()[-1]
    assert last.startswith("handwrite: error: aborted before the first epoch ended")
    assert "nothing was saved" in last and not out.exists()
