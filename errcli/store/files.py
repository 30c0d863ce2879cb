"""Files read and written safely: one atomic writer, one bounded reader, one mapped reader (stdlib only).

The writer creates a temporary file with a random name (``O_EXCL``, never through a symlink planted
at that name) in the target's folder, syncs it and renames it over the target, so a concurrent reader
sees the old file or the new one, never half of one. The readers refuse what is not a regular file
(a FIFO would block, a character device never ends) and never read past a cap, whatever the file's
size says.
"""

from __future__ import annotations

import os
import stat

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (costs start-up time)

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from pathlib import Path
    from typing import Any, BinaryIO

MAP_FROM = 1 << 20  # files this big are memory-mapped: what a run does not use of them is never read


def cache_folder(environ: Mapping[str, str]) -> str | None:
    """errcode's cache folder: ``$XDG_CACHE_HOME/errcode``, else ``~/.cache/errcode``; None without either."""
    home = environ.get("HOME")
    base = environ.get("XDG_CACHE_HOME") or (os.path.join(home, ".cache") if home else "")  # noqa: PTH118
    return os.path.join(base, "errcode") if base else None  # noqa: PTH118 -- pathlib costs start-up time


def stat_key(path: Path | str) -> tuple[int, int, int, int]:
    """What the caches compare a source file by: size, mtime, ctime and inode (the change time and the
    inode see an edit that keeps the size and puts the mtime back); OSError when it cannot be looked at."""
    st = os.stat(path)  # noqa: PTH116 -- pathlib costs start-up time
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


# TAB completion's data (written by errcli.catalog, read by errcli.cli.complete): marshal between a
# head and a tail, so that a file cut short or damaged at either end is seen as such (marshal has no end mark)
COMPLETION_FILE = "completion.marshal"
COMPLETION_HEAD = b"errcode completion 1\n"
COMPLETION_TAIL = b"\nend\n"
MAX_COMPLETION_BYTES = 64 << 20  # what TAB reads of it at most


class NotRegularFile(OSError):  # noqa: N818 - an OSError, named for what it is
    """A FIFO, device, socket or folder where a file was expected."""


def write_atomic(path: Path, fill: Callable[[BinaryIO], object], mode: int = 0o644) -> None:
    """Write ``path`` through a fresh temporary file in its folder; ``fill`` writes the content.

    Raises OSError when the folder cannot be written (nothing is left behind).
    """
    tmp = path.with_name(f".{path.name}.{os.urandom(6).hex()}.tmp")  # unguessable: O_EXCL does the rest
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(tmp, flags, mode)
    try:
        with os.fdopen(fd, "wb") as fh:
            fill(fh)
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_bytes_atomic(path: Path, data: bytes | bytearray, mode: int = 0o644) -> None:
    def fill(fh: BinaryIO) -> None:
        fh.write(data)

    write_atomic(path, fill, mode)


def _check_regular(fd: int, path: Path | str) -> None:
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        raise NotRegularFile(f"{path} is not a regular file")


def _open_regular(path: Path | str) -> BinaryIO:
    """``path`` opened for reading, refusing anything but a regular file without blocking on it."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        _check_regular(fd, path)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_bounded(path: Path | str, limit: int) -> bytes:
    """At most ``limit`` + 1 bytes of a regular file (one more than the cap shows it was passed)."""
    with _open_regular(path) as fh:
        return fh.read(limit + 1)


def read_ends(path: Path, head: int, tail: int) -> tuple[bytes, bytes]:
    """The first ``head`` and the last ``tail`` bytes of a regular file (fewer when it is shorter)."""
    with _open_regular(path) as fh:
        start = fh.read(head)
        fh.seek(max(0, os.fstat(fh.fileno()).st_size - tail))
        return start, fh.read(tail)


def read_mapped(path: Path) -> Any:
    """A regular file's bytes; big files as a read-only memory map (zero-copy views)."""
    with _open_regular(path) as fh:
        if os.fstat(fh.fileno()).st_size >= MAP_FROM:
            import mmap

            return mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        return fh.read()
