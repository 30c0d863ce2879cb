"""The compiled part of the ``--summary`` memo, ``errcli/explain/_scan.c``: the module, or None
where the package was built without a C compiler (the interpreter then does it all, with the same
counts)."""

from __future__ import annotations

try:
    from . import _scan  # (a sibling: the package itself is being imported)
except ImportError:  # pragma: no cover - a build without a C compiler
    _scan = None  # type: ignore[assignment]

scan = _scan
