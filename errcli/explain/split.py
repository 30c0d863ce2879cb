"""``--summary`` of a large regular file on two cores: a forked process counts the second half.

The file is cut at a line boundary near its middle. This process counts the first half, the
forked one the second, from a fresh reader state; their counts are added with the second half's
line numbers moved on. The result is the one a single pass gives, or the second half is counted
here after all: when something was still open at the cut (a multi-line document, an HTTP
response), when the fork or the other process fails, or when the two halves together see more
distinct unknown codes than the summary counts one by one.
"""

from __future__ import annotations

import os
import pickle
import signal
import stat
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from errcli.explain.reader import LineTally

MIN_SPLIT_BYTES = 16 << 20  # smaller inputs are counted in one pass
WARM_BYTES = 2 << 20  # counted before the fork: the memo both processes start with
_PROBE = 1 << 20  # how far past the middle a line end is looked for
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class Window:
    """Bytes ``start`` up to ``end`` (None: the end of the file) of a file descriptor, read with
    ``pread``: the file's own offset is never moved, so two processes can share the descriptor."""

    def __init__(self, fd: int, start: int, end: int | None = None) -> None:
        self.fd = fd
        self.pos = start
        self.end = end

    def read1(self, n: int = 1 << 18) -> bytes:
        if self.end is not None:
            n = min(n, self.end - self.pos)
            if n <= 0:
                return b""
        data = os.pread(self.fd, n, self.pos)
        self.pos += len(data)
        return data


def cut(source: object, min_bytes: int = MIN_SPLIT_BYTES) -> tuple[int, int, int] | None:
    """``(fd, start, middle)`` when ``source`` is a regular file with at least ``min_bytes`` left
    to read, on a system that can fork onto a second core; ``middle`` starts a line."""
    if not hasattr(os, "fork") or _cores() < 2:
        return None
    try:
        fd = source.fileno()  # type: ignore[attr-defined]
        info = os.fstat(fd)
        start = source.tell()  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_size - start < max(min_bytes, 2):
        return None
    try:
        if os.pread(fd, 2, start)[:2] in _UTF16_BOMS:
            return None  # read as text, from its start
    except OSError:
        return None
    middle = line_end(fd, start + (info.st_size - start) // 2)
    return None if middle is None else (fd, start, middle)


def line_end(fd: int, at: int, before: int | None = None) -> int | None:
    """Where the first line that ends at or after ``at`` ends (just past its LF), if that is
    close to ``at`` and before ``before``."""
    try:
        probe = os.pread(fd, _PROBE, at)
    except OSError:
        return None
    end = probe.find(b"\n")
    if end < 0 or (before is not None and at + end + 1 >= before):
        return None
    return at + end + 1


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


@dataclass
class Half:
    """What the second half's process counted (line numbers from 1 at the cut)."""

    rows: list[list[Any]]  # [verdict, count, first, last], as SummaryRows keeps them
    folded: bool  # some unknown codes were counted together: the halves cannot simply be added
    records: int
    not_errors: int
    tally: LineTally


class Fork:
    """The process counting the second half, and its result once it has finished."""

    def __init__(self, count: Callable[[], Half]) -> None:
        read, write = os.pipe()
        try:
            self.pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            raise
        if self.pid == 0:  # pragma: no cover - runs in the forked process, which never returns
            _child(count, read, write)
        os.close(write)
        self.fd: int | None = read

    def result(self) -> Half | None:
        """The half's counts, or None when the process failed."""
        fd, self.fd = self.fd, None
        if fd is None:
            return None
        chunks = []
        try:
            with os.fdopen(fd, "rb") as pipe:
                while chunk := pipe.read(1 << 20):
                    chunks.append(chunk)
        finally:
            status = self._wait()
        if status != 0 or not chunks:
            return None
        try:
            half = pickle.loads(b"".join(chunks))  # noqa: S301 - our own process wrote it
        except Exception:  # noqa: BLE001 - anything odd: the half is counted again here
            return None
        return half if isinstance(half, Half) else None

    def cancel(self) -> None:
        """Stop the process (its half is counted here instead)."""
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
        if self.pid:
            with suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
            self._wait()

    def _wait(self) -> int:
        pid, self.pid = self.pid, 0
        if not pid:
            return -1
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:
            return -1
        return os.waitstatus_to_exitcode(status)


def _child(count: Callable[[], Half], read: int, write: int) -> None:  # pragma: no cover - forked
    """The forked process: count, send the result, and leave without running the parent's exit
    handlers or flushing its buffers."""
    status = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C reaches both: this one just ends
        os.close(read)
        with os.fdopen(write, "wb") as pipe:  # the pipe to the parent (never stdout)
            pickle.dump(count(), pipe, protocol=pickle.HIGHEST_PROTOCOL)
        status = 0
    except BaseException:  # noqa: BLE001, S110 - the parent counts this half itself
        pass
    finally:
        os._exit(status)
