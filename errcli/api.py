"""errcode from Python: load the catalogs once, then look up, search and explain.

    import errcli

    cs = errcli.load()
    cs.lookup("1001")                                   # -> list[Entry]
    cs.search("资金", limit=5)                           # -> list[SearchHit]
    cs.explain(body, status=429, headers={"Retry-After": "30"})
                                                        # -> list[Explanation]

Results are frozen; ``entry.to_dict()`` is the JSON contract's ENTRY, and :meth:`Catalogs.document`
gives the same documents as ``--format json``. Neither Typer nor rich is imported.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from errcli.catalog import CatalogSet, bundled_dir, load_all
from errcli.commands import lookup as lookup_command
from errcli.lookup import check_catalogs
from errcli.model import Catalog, Entry

if TYPE_CHECKING:  # the search and explain parts are imported when first used (a lookup needs neither)
    from errcli.explain.result import Action, Evidence
    from errcli.explain.result import ExplainedError as Explanation
    from errcli.search import Hit as SearchHit

# one error found in a response (entry, confidence, alternatives, evidence, action), one search
# result (entry, score, the field that matched), and what an explained error says to do
_LAZY = {
    "Explanation": ("errcli.explain.result", "ExplainedError"),
    "Action": ("errcli.explain.result", "Action"),
    "Evidence": ("errcli.explain.result", "Evidence"),
    "SearchHit": ("errcli.search", "Hit"),
}

__all__ = ["Action", "Catalogs", "Entry", "Evidence", "Explanation", "SearchHit", "load"]


class Catalogs:
    """The loaded catalogs, and what can be asked of them."""

    def __init__(self, catalogs: CatalogSet) -> None:
        self._cs = catalogs

    @property
    def ids(self) -> tuple[str, ...]:
        return self._cs.ids

    @property
    def catalogs(self) -> tuple[Catalog, ...]:
        return self._cs.catalogs

    @property
    def skipped(self) -> tuple[tuple[str, str], ...]:
        """User catalogs that could not be loaded: (path, why)."""
        return tuple((p.path, p.error) for p in self._cs.problems)

    def lookup(self, query: str, catalogs: Sequence[str] = ()) -> list[Entry]:
        """Every entry ``query`` names, in every form the command line takes: ``1001``, ``-1021``,
        ``0x3E9``, ``qaexchange:1001``, ``INSUFFICIENT_BALANCE`` (any case or separator), ``429``
        (an HTTP status, with every entry returned with it), ``3xxx``. Words are searched, and
        the close matches are returned; nothing found is an empty list."""
        answer = lookup_command.run(self._cs, [query], catalogs)
        if answer.searched is not None:
            found = answer.searched
            return [] if found.weak else [h.entry for h in found.result.hits]
        return list(answer.results[0].all_matches)

    def search(
        self, text: str, limit: int = 10, min_score: float = 0.0, catalogs: Sequence[str] = ()
    ) -> list[SearchHit]:
        """Entries by words (Chinese, Traditional or Simplified, English, pinyin, typos), best first."""
        from errcli.commands import search as search_command

        return list(search_command.run(self._cs, [text], catalogs, limit, min_score).result.hits)

    def explain(
        self,
        response: str | bytes | Mapping[str, Any],
        status: int | None = None,
        headers: Mapping[str, str] | None = None,
        catalogs: Sequence[str] = (),
    ) -> list[Explanation]:
        """The errors in a response: its body (text, bytes or decoded JSON), and when known its HTTP
        status and headers (``Retry-After`` sets the wait). A body can also be a whole log or
        ``curl -i`` output; every error in it is returned, in order."""
        from errcli.explain import explain_text

        return list(
            explain_text(self._cs, as_input(response, status, headers), check_catalogs(catalogs, self._cs)).errors
        )

    def document(self, kind: str, query: Any = None, **options: Any) -> dict[str, Any]:
        """The JSON document ``--format json`` prints: ``lookup`` (query: a code), ``search`` (query:
        words; ``limit``, ``min_score``), ``explain`` (query: the response; ``status``, ``headers``),
        ``catalogs``."""
        from errcli.commands import search as search_command
        from errcli.output import json

        catalogs = options.pop("catalogs", ())
        if kind == "lookup":
            answer = lookup_command.run(self._cs, [query], catalogs)
            if answer.searched is not None:
                return json.search_document(answer.searched.result, as_lookup=True)
            return json.lookup_document(answer.results)
        if kind == "search":
            return json.search_document(search_command.run(self._cs, [query], catalogs, **options).result)
        if kind == "explain":
            from errcli.explain import explain_text
            from errcli.output.reasons import describe

            text = as_input(query, options.get("status"), options.get("headers"))
            report = explain_text(self._cs, text, check_catalogs(catalogs, self._cs))
            return json.report_document(report, describe)
        if kind == "catalogs":
            return json.catalogs_document(self._cs)
        raise ValueError(f"no document {kind!r}: lookup, search, explain or catalogs")


def as_input(response: str | bytes | Mapping[str, Any], status: int | None, headers: Mapping[str, str] | None) -> bytes:
    """A response as explain reads it: with a status, an HTTP response (``curl -i`` form)."""
    if isinstance(response, Mapping):
        from errcli.output.json import dumps_json

        body = dumps_json(dict(response)).encode()
    else:
        body = response.encode("utf-8", "surrogatepass") if isinstance(response, str) else bytes(response)
    if status is None and not headers:
        return body
    head = [f"HTTP/1.1 {status if status is not None else 200}"]
    head += [f"{name}: {value}" for name, value in (headers or {}).items()]
    return ("\r\n".join(head) + "\r\n\r\n").encode("utf-8", "surrogatepass") + body + b"\n"


def load(paths: Iterable[str | os.PathLike[str]] = (), *, bundled: bool = True) -> Catalogs:
    """The bundled catalogs and the user's (``~/.config/errcode/catalogs``, ``$ERRCODE_PATH``), plus
    ``paths`` (catalog files or folders, which must load); ``bundled=False`` leaves the bundled out."""
    cs = load_all([os.fspath(p) for p in paths], strict=True)
    if not bundled:
        home = bundled_dir()
        cs = CatalogSet(tuple(c for c in cs.catalogs if Path(c.path).parent != home), cs.problems)
    return Catalogs(cs)


def __getattr__(name: str) -> object:
    if name not in _LAZY:
        raise AttributeError(f"module 'errcli.api' has no attribute {name!r}")
    from importlib import import_module

    module, attribute = _LAZY[name]
    return getattr(import_module(module), attribute)
