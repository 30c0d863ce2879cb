"""Work shared with a forked helper process (stdlib only).

:meth:`Helper.start` forks; the child runs one function, sends what it returns back through a
pipe (marshal: plain data only) and exits at once, leaving the parent's open files and buffers
alone. The parent does its own share meanwhile, then reads the result; a helper that failed, was
killed or sent nothing gives None, and the parent does the helper's share itself.
"""

from __future__ import annotations

import marshal
import os
import sys
from collections.abc import Callable
from typing import Any


def can_fork() -> bool:
    """Whether a helper can share the work: fork (Linux), a second core, and no other threads
    (a thread holding a lock when the process forks would leave it held in the child)."""
    if sys.platform != "linux" or not hasattr(os, "fork") or len(os.sched_getaffinity(0)) < 2:
        return False
    threading = sys.modules.get("threading")
    return threading is None or threading.active_count() == 1


class Helper:
    """A forked process running one function; :meth:`result` waits for what it returned."""

    def __init__(self, pid: int, fd: int) -> None:
        self._pid: int | None = pid
        self._fd: int | None = fd

    @classmethod
    def start(cls, work: Callable[[], Any]) -> Helper | None:
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
        if pid == 0:  # the helper: it never returns
            code = 1
            try:
                os.close(read_fd)
                data = marshal.dumps(work())
                with os.fdopen(write_fd, "wb") as out:
                    out.write(data)
                code = 0
            except BaseException:  # noqa: BLE001, S110 -- the parent does this work itself
                pass
            finally:
                os._exit(code)
        os.close(write_fd)
        return cls(pid, read_fd)

    def result(self) -> Any:
        """What the helper's function returned, once it is done; None when it failed."""
        if self._fd is None:
            return None
        with os.fdopen(self._fd, "rb") as inp:
            self._fd = None
            data = inp.read()
        if self._wait() != 0:
            return None
        try:
            return marshal.loads(data)  # noqa: S302 -- written by this process's own fork, through its pipe
        except (EOFError, ValueError, TypeError):
            return None

    def close(self) -> None:
        """Stop waiting for the helper (after :meth:`result`, or when the parent's share failed):
        its pipe is closed, so a helper still writing stops, and it is reaped."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        self._wait()

    def _wait(self) -> int:
        if self._pid is None:
            return 1
        _, status = os.waitpid(self._pid, 0)
        self._pid = None
        return os.waitstatus_to_exitcode(status)
