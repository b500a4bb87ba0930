"""Array backends: NumPy on the CPU, CuPy on an NVIDIA GPU.

This is the only module that imports CuPy. Every layer asks :func:`get_array_module` for the
module that owns its arrays (as Chainer does), so one code path runs on both backends.
"""

from __future__ import annotations

import ctypes
import os
import platform
import types
from typing import Any

import numpy as np

from handwrite.translatable import QT_TRANSLATE_NOOP, TranslatableError, error_phrase

try:  # CuPy is optional; any failure to import it (missing CUDA libraries, ...) means "no GPU".
    import cupy as _cupy  # type: ignore[import-not-found]

    _CUPY_IMPORT_ERROR: BaseException | None = None
except Exception as exc:  # noqa: BLE001 - a broken CuPy install must never crash the app
    _cupy = None
    _CUPY_IMPORT_ERROR = exc

DEVICES = ("cpu", "gpu")


class BackendError(TranslatableError, RuntimeError):
    """The requested compute device cannot be used (no CuPy, no CUDA device, ...)."""


def cupy_available() -> bool:
    """True when CuPy imports and sees at least one CUDA device."""
    if _cupy is None:
        return False
    try:
        return _cupy.cuda.runtime.getDeviceCount() > 0
    except Exception:  # noqa: BLE001 - CUDA driver errors mean "no usable device"
        return False


def get_backend(device: str = "cpu") -> types.ModuleType:
    """Return the array module for ``device`` (``"cpu"`` -> numpy, ``"gpu"`` -> cupy).

    Raises :class:`BackendError` naming what is missing when a GPU is asked for but CuPy or a
    CUDA device is not there.
    """
    if device == "cpu":
        return np
    if device != "gpu":
        raise BackendError(
            error_phrase(
                QT_TRANSLATE_NOOP("Errors", "unknown device {name!r}: use one of {choices}"),
                name=device,
                choices=", ".join(DEVICES),
            )
        )
    if _cupy is None:
        raise BackendError(
            error_phrase(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "a GPU was asked for but CuPy is not installed or failed to import "
                    "({problem}); install it with: {command}",
                ),
                problem=str(_CUPY_IMPORT_ERROR),
                command="pip install 'handwrite[gpu]'",
            )
        )
    try:
        count = _cupy.cuda.runtime.getDeviceCount()
    except Exception as exc:  # noqa: BLE001
        raise BackendError(
            error_phrase(
                QT_TRANSLATE_NOOP(
                    "Errors", "a GPU was asked for but CUDA reports no usable device ({problem})"
                ),
                problem=str(exc),
            )
        ) from exc
    if count == 0:
        raise BackendError(
            error_phrase(
                QT_TRANSLATE_NOOP("Errors", "a GPU was asked for but CUDA reports no device")
            )
        )
    return _cupy


def get_array_module(x: Any) -> types.ModuleType:
    """The array module (numpy or cupy) that owns ``x``."""
    if _cupy is not None and isinstance(x, _cupy.ndarray):
        return _cupy
    return np


def device_of(xp: types.ModuleType) -> str:
    """``"gpu"`` for CuPy, ``"cpu"`` for NumPy."""
    return "gpu" if xp is not np else "cpu"


def to_numpy(x: Any) -> np.ndarray:
    """A host NumPy array for ``x`` (a copy from the GPU, ``x`` itself on the CPU)."""
    if _cupy is not None and isinstance(x, _cupy.ndarray):
        return _cupy.asnumpy(x)
    return np.asarray(x)


def device_name(xp: types.ModuleType) -> str:
    """A human-readable name of the backend, e.g. ``"NumPy (CPU)"`` or ``"CuPy (NVIDIA H200)"``."""
    if xp is np:
        return "NumPy (CPU)"
    try:
        props = _cupy.cuda.runtime.getDeviceProperties(_cupy.cuda.Device().id)
        name = props["name"]
        name = name.decode() if isinstance(name, bytes) else str(name)
    except Exception:  # noqa: BLE001
        name = "CUDA device"
    return f"CuPy ({name})"


def limit_blas_threads(threads: int) -> bool:
    """Let NumPy's BLAS use at most ``threads`` threads in this process (threadpoolctl).

    OpenBLAS runs each large matrix product on its own thread pool, and calls from two Python
    threads wait for each other's turn on it: in the window, one drawing's quick prediction
    would queue behind the training thread's products. With one BLAS thread each caller
    computes on its own thread (``benchmarks/gui_latency.py`` measures the difference).
    Returns False when no BLAS library could be limited.
    """
    from threadpoolctl import threadpool_limits

    limits = threadpool_limits(limits=threads, user_api="blas")
    return bool(limits.get_original_num_threads())


# glibc's mallopt parameters (malloc.h)
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
_allocator_tuned: bool | None = None


def tune_host_allocator() -> bool:
    """Let glibc's malloc keep freed memory for reuse instead of returning it to the kernel.

    A training step allocates and frees the same few megabyte-sized arrays (patch matrices,
    activations, gradients) every batch. By default glibc serves such sizes with fresh
    ``mmap`` pages, or trims them off the heap when freed, so every batch pays a page fault and
    the kernel's zeroing for each 4 KiB of them again, a large share of a ``cnn`` step's time
    (``benchmarks/train_throughput.py``). With allocations up to 32 MiB (glibc's maximum)
    taken from the heap and the heap trimmed only past 512 MiB of free space, the pages stay
    mapped and warm.

    Process-wide and idempotent; called when a NumPy model enters training mode. Does nothing
    (returns False) off glibc or when the environment sets ``HANDWRITE_MALLOC_TUNING=0``.
    """
    global _allocator_tuned
    if _allocator_tuned is not None:
        return _allocator_tuned
    _allocator_tuned = False
    if os.environ.get("HANDWRITE_MALLOC_TUNING", "1") == "0":
        return False
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    ok = mallopt(_M_MMAP_THRESHOLD, 32 << 20) == 1
    ok = mallopt(_M_TRIM_THRESHOLD, 512 << 20) == 1 and ok
    _allocator_tuned = ok
    return ok


def make_rng(xp: types.ModuleType, rng: np.random.Generator) -> Any:
    """A random generator on ``xp``'s device, seeded from the host generator ``rng``."""
    if xp is np:
        return rng
    return xp.random.default_rng(int(rng.integers(2**63 - 1)))
