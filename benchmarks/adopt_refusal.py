"""Turn a model file whose metadata carries a refusal into a model that refuses.

A training script such as the one the shipped model is trained with writes the refusal it
fitted (:meth:`handwrite.refusal.Refusal.to_json`) into the metadata of a version-1 model
file, which never refuses. This reads such a file, makes that refusal the model's own
(:func:`handwrite.refusal.adopt_stored_refusal`) and saves it as a version-2 file that
refuses:

    python benchmarks/adopt_refusal.py trained.npz handwrite/resources/models/default.npz
"""

from __future__ import annotations

import argparse
import sys

from handwrite import load_model
from handwrite.refusal import adopt_stored_refusal


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", help="the model file whose metadata holds 'refusal'")
    parser.add_argument("out", help="the refusing model file to write (may be the same)")
    args = parser.parse_args(argv)
    model = load_model(args.model)
    try:
        refusal = adopt_stored_refusal(model)
    except KeyError:
        print(f"{args.model}: its metadata holds no 'refusal' entry", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"{args.model}: {exc}", file=sys.stderr)
        return 2
    model.save(args.out)
    print(f"saved {args.out}: {refusal!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
