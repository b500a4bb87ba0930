#!/usr/bin/env bash
# One run on a machine with an NVIDIA GPU, CuPy and PyTorch: the core's GPU tests, then the
# training throughput table at batch 128 and 512 against PyTorch on the same GPU.
# Needs only NumPy, CuPy, PyTorch and pytest there (the package is used from this checkout).
#
#     bash benchmarks/gpu_check.sh [OUTDIR]      # results also go to OUTDIR (default: $OUT)
set -u
cd "$(dirname "$0")/.."
out=${1:-${OUT:-gpu-results}}
mkdir -p "$out"
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
{ nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv; python -c \
  'import cupy, torch; print("cupy", cupy.__version__, "torch", torch.__version__)'; } \
  2>&1 | tee "$out/machine.txt"
python -c 'from handwrite.nn.backend import cupy_available as ok
raise SystemExit(0 if ok() else "CuPy sees no CUDA device: the GPU tests would only skip")' \
  || exit 2
python -m pytest -q -p no:cacheprovider -o addopts="" -m gpu tests/core/test_gpu.py 2>&1 \
  | tee "$out/gpu-tests.txt"
tests=${PIPESTATUS[0]}
python benchmarks/train_throughput.py --device gpu --batch-sizes 128 512 --rounds 5 2>&1 \
  | tee "$out/gpu-throughput.md"
bench=${PIPESTATUS[0]}
echo "tests: exit $tests; benchmark: exit $bench" | tee "$out/status.txt"
exit $(( tests || bench ))
