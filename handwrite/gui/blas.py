"""Keep NumPy's BLAS from stalling the window: fewer BLAS threads in the GUI process.

OpenBLAS runs each large enough matrix product on its own pool of threads, and calls from
two threads at once wait for each other's turn on that pool. In the window, the GUI thread's
tiny products (one drawing through the network) then wait behind the training thread's big
ones, and a prediction that takes 0.5 ms alone takes 20-200 ms while training runs (measured
on 2 busy cores; ``benchmarks/gui_latency.py``). With one BLAS thread each caller computes
on its own thread and never waits for the other.

:func:`limit_blas_threads` uses ``threadpoolctl`` when it is installed, else calls OpenBLAS's
own ``*_set_num_threads`` entry point in the library NumPy has loaded (Linux: found through
``/proc/self/maps``). It never raises: where neither works it returns False and nothing
changes.
"""

from __future__ import annotations

import ctypes
import logging
from pathlib import Path

log = logging.getLogger(__name__)

# OpenBLAS's setter, under the names its builds export (plain, 64-bit-integer and
# scipy-openblas builds, as in NumPy's wheels).
_SETTERS = (
    "openblas_set_num_threads",
    "openblas_set_num_threads64_",
    "scipy_openblas_set_num_threads64_",
    "scipy_openblas_set_num_threads",
)


def _loaded_openblas() -> list[Path]:
    maps = Path("/proc/self/maps")
    try:
        lines = maps.read_text().splitlines()
    except OSError:
        return []
    found: dict[str, Path] = {}
    for line in lines:
        parts = line.split()
        if len(parts) >= 6 and "openblas" in Path(parts[-1]).name.lower():
            found.setdefault(parts[-1], Path(parts[-1]))
    return list(found.values())


def limit_blas_threads(threads: int = 1) -> bool:
    """Let BLAS use at most ``threads`` threads in this process; True when it took effect.

    Call it after NumPy is imported (the library must be loaded).
    """
    import numpy  # noqa: F401 - loads the BLAS library

    try:
        from threadpoolctl import threadpool_limits  # type: ignore[import-not-found]
    except ImportError:
        pass
    else:
        threadpool_limits(limits=threads, user_api="blas")
        return True
    done = False
    for path in _loaded_openblas():
        try:
            lib = ctypes.CDLL(str(path))
        except OSError:
            continue
        for name in _SETTERS:
            setter = getattr(lib, name, None)
            if setter is not None:
                setter.argtypes = [ctypes.c_int]
                setter.restype = None
                setter(int(threads))
                done = True
                break
    if not done:
        log.debug("could not limit BLAS threads (no threadpoolctl, no OpenBLAS found)")
    return done
