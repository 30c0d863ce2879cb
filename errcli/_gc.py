"""The cyclic garbage collector paused while a big structure is built (standard library only)."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic collection inside: for work that makes a great many objects with no cycles among
    them (a parsed catalog, an index's postings, a log's verdicts), freed by reference counting,
    which the collector would only walk over and over as they pile up. It runs as before after."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
