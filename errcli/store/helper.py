"""Work shared with a forked helper process (stdlib only).

:meth:`Helper.start` forks; the child runs one function, sends what it returns back through a
pipe (marshal by default: plain data; pickle for objects) and exits at once, leaving the parent's
open files and buffers alone. The parent does its own share meanwhile, then reads the result; a
helper that failed, was killed or sent nothing gives None, and the parent does the helper's share
itself. A helper whose result is not wanted is stopped (:meth:`Helper.close`).
"""

from __future__ import annotations

import marshal
import os
import signal
import sys
from collections.abc import Callable
from contextlib import suppress
from typing import Any, Protocol


class Codec(Protocol):
    """How the result crosses the pipe: the ``marshal`` and ``pickle`` modules are codecs."""

    def dumps(self, value: Any, /) -> bytes: ...

    def loads(self, data: bytes, /) -> Any: ...


def can_fork() -> bool:
    """Whether a helper can share the work: fork (Linux), a second core, and no other threads
    (a thread holding a lock when the process forks would leave it held in the child)."""
    if sys.platform != "linux" or not hasattr(os, "fork") or len(os.sched_getaffinity(0)) < 2:
        return False
    threading = sys.modules.get("threading")
    return threading is None or threading.active_count() == 1


class Helper:
    """A forked process running one function; :meth:`result` waits for what it returned."""

    def __init__(self, pid: int, fd: int, codec: Codec = marshal) -> None:
        self._pid: int | None = pid
        self._fd: int | None = fd
        self._codec = codec

    @classmethod
    def start(cls, work: Callable[[], Any], codec: Codec = marshal) -> Helper | None:
        """The helper running ``work``; None when no process could be started."""
        try:
            read_fd, write_fd = os.pipe()
        except OSError:
            return None
        try:
            pid = os.fork()
        except OSError:
            os.close(read_fd)
            os.close(write_fd)
            return None
        if pid == 0:  # pragma: no cover - runs in the forked process, which never returns
            _child(work, codec, read_fd, write_fd)
        os.close(write_fd)
        return cls(pid, read_fd, codec)

    def result(self) -> Any:
        """What the helper's function returned, once it is done; None when it failed."""
        fd, self._fd = self._fd, None
        if fd is None:
            return None
        with os.fdopen(fd, "rb") as inp:
            data = inp.read()
        if self._wait() != 0 or not data:
            return None
        try:
            return self._codec.loads(data)
        except Exception:  # noqa: BLE001 - anything odd: the parent does this share itself
            return None

    def close(self) -> None:
        """Done with the helper: one whose result was not read is stopped (its share is done
        elsewhere, or no longer wanted), and it is reaped."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        if self._pid is not None:
            with suppress(OSError):
                os.kill(self._pid, signal.SIGKILL)
            self._wait()

    def _wait(self) -> int:
        pid, self._pid = self._pid, None
        if pid is None:
            return -1
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:
            return -1
        return os.waitstatus_to_exitcode(status)


def _child(work: Callable[[], Any], codec: Codec, read_fd: int, write_fd: int) -> None:  # pragma: no cover - forked
    """The forked process: run ``work``, send its result, and leave without running the parent's
    exit handlers or flushing its buffers."""
    code = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C reaches both: this one just ends
        os.close(read_fd)
        data = codec.dumps(work())
        with os.fdopen(write_fd, "wb") as out:  # the pipe to the parent (never stdout)
            out.write(data)
        code = 0
    except BaseException:  # noqa: BLE001, S110 -- the parent does this work itself
        pass
    finally:
        os._exit(code)
