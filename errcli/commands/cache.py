"""``errcode cache [info|clear]``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from errcli.errors import ExitCode
from errcli.store import cache


@dataclass(frozen=True)
class CacheAnswer:
    info: dict[str, Any]
    removed: int | None  # files removed by `clear`; None for `info`
    status: ExitCode = ExitCode.OK


def run(action: str = "info") -> CacheAnswer:
    removed = cache.clear() if action == "clear" else None
    return CacheAnswer(cache.info(), removed)
