"""ONNX export of each preset: the file's size, and how far its probabilities are from
``predict_proba`` (for a model that refuses: ``Model.answer``'s probabilities, digit scores and
answers) on MNIST test digits, run by onnxruntime and by onnx's reference evaluator.

By default: each preset freshly built (seed 0) and the shipped model; or the model files
given. Prints a Markdown table. Needs ``onnx`` (``pip install 'handwrite[export]'``);
onnxruntime is used when it is installed (``pip install onnxruntime``).

    python benchmarks/onnx_export.py [MODEL.npz ...] [--data DIR] [--images 1000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import handwrite  # noqa: E402
from handwrite.mnist import load_mnist  # noqa: E402
from handwrite.nn import Model, presets  # noqa: E402
from handwrite.nn.export import DEFAULT_OPSET, to_onnx  # noqa: E402


def models(paths: list[str]) -> list[tuple[str, Model]]:
    if paths:
        return [(Path(p).name, handwrite.load_model(p)) for p in paths]
    built = [(f"{name} (fresh, seed 0)", presets.build(name, seed=0)) for name in presets.PRESETS]
    return [*built, ("models/default.npz (cnn3y, trained)", handwrite.load_model())]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="*", metavar="MODEL.npz")
    parser.add_argument("--data", help="MNIST folder (default: as handwrite finds it)")
    parser.add_argument("--images", type=int, default=1000, help="MNIST test digits to compare")
    parser.add_argument("--opset", type=int, default=DEFAULT_OPSET)
    args = parser.parse_args(argv)

    from onnx.reference import ReferenceEvaluator

    try:
        import onnxruntime
    except ImportError:
        onnxruntime = None
    digits = load_mnist(args.data, download=False).test_images[: args.images]
    x = (digits.astype(np.float32) / np.float32(255))[:, None]

    print(f"{len(digits)} MNIST test digits, opset {args.opset}")
    print()
    print(
        "| model | parameters | .onnx size | max diff, onnxruntime | max diff, reference | "
        "digit score max diff | same answers |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as tmp:
        for label, model in models(args.models):
            path = Path(tmp) / "model.onnx"
            to_onnx(model, path, opset=args.opset)
            answers = model.has_not_a_digit_output or model.refusal is not None
            expected = model.answer(digits) if answers else None
            probabilities = expected.probabilities if answers else model.predict_proba(digits)
            outputs = ["probabilities", "digit_score", "digit"] if answers else ["probabilities"]
            cells = []
            got = None
            if onnxruntime is not None:
                cpu = ["CPUExecutionProvider"]
                session = onnxruntime.InferenceSession(str(path), providers=cpu)
                got = session.run(outputs, {"images": x})
                cells.append(f"{np.abs(got[0] - probabilities).max():.1e}")
            else:
                cells.append("(not installed)")
            reference = ReferenceEvaluator(str(path)).run(outputs, {"images": x})
            cells.append(f"{np.abs(reference[0] - probabilities).max():.1e}")
            got = got if got is not None else reference
            if answers:
                cells.append(f"{np.abs(got[1] - expected.digit_score).max():.1e}")
                same = int((got[2] == expected.digit).sum())
                cells.append(f"{same:,} of {len(digits):,}")
            else:
                cells += ["-", "-"]
            size = path.stat().st_size
            print(
                f"| {label} | {model.parameter_count():,} | {size / 1024:,.0f} KiB | "
                + " | ".join(cells)
                + " |"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
