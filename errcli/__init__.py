"""errcode: offline lookup of API error codes (market-data, QAExchange, ZTDX, HTTP).

From Python (see errcli.api)::

    import errcli

    cs = errcli.load()
    for x in cs.explain(body, status=429, headers={"Retry-After": "30"}):
        x.action.kind, x.action.seconds
"""

from __future__ import annotations

from errcli._version import __version__

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (the command line starts here too)

if TYPE_CHECKING:
    import os
    from collections.abc import Iterable

    from errcli.api import Action, Catalogs, Entry, Evidence, Explanation, SearchHit

__all__ = ["Action", "Catalogs", "Entry", "Evidence", "Explanation", "SearchHit", "__version__", "load"]


def load(paths: Iterable[str | os.PathLike[str]] = (), *, bundled: bool = True) -> Catalogs:
    """The catalogs, loaded (see :func:`errcli.api.load`)."""
    from errcli.api import load as load_catalogs

    return load_catalogs(paths, bundled=bundled)


def __getattr__(name: str) -> object:
    """The API's classes, imported when first named (``import errcli`` stays free for the command line)."""
    if name in __all__:
        from errcli import api

        return getattr(api, name)
    raise AttributeError(f"module 'errcli' has no attribute {name!r}")
