"""Explain error responses: find every error in a stream and what it means.

One-way seams: :mod:`~errcli.explain.reader` (bytes → records; :mod:`~errcli.explain.http` and
:mod:`~errcli.explain.decode` beneath it) → :mod:`~errcli.explain.detect`
(record → findings) → :mod:`~errcli.explain.classify` (finding → ranked candidates with
evidence, messages retrieved by :mod:`~errcli.explain.messages`) → :mod:`~errcli.explain.result`
(typed results); :mod:`~errcli.explain.engine` runs them over a stream. Nothing
here prints or writes sentences: the output layer does.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing

if TYPE_CHECKING:
    from errcli.explain.engine import Explainer, ExplainStream, explain_stream, explain_text, summarize
    from errcli.explain.http import HttpInfo
    from errcli.explain.reader import Record, RecordReader, iter_records
    from errcli.explain.result import (
        Action,
        Evidence,
        ExplainedError,
        ExplainReport,
        Summary,
        SummaryReport,
        SummaryRow,
    )
    from errcli.explain.tally import MAX_STORED_UNPARSED, LineTally

__all__ = [
    "MAX_STORED_UNPARSED",
    "Action",
    "Evidence",
    "ExplainReport",
    "ExplainStream",
    "ExplainedError",
    "Explainer",
    "HttpInfo",
    "LineTally",
    "Record",
    "RecordReader",
    "Summary",
    "SummaryReport",
    "SummaryRow",
    "explain_stream",
    "explain_text",
    "iter_records",
    "summarize",
]


# Where each name lives: importing a part (errcli.explain.result, for its types) does not load the engine.
_HOMES = {
    **dict.fromkeys(("Explainer", "ExplainStream", "explain_stream", "explain_text", "summarize"), "engine"),
    "HttpInfo": "http",
    **dict.fromkeys(("Record", "RecordReader", "iter_records"), "reader"),
    **dict.fromkeys(("MAX_STORED_UNPARSED", "LineTally"), "tally"),
    **dict.fromkeys(
        ("Action", "Evidence", "ExplainedError", "ExplainReport", "Summary", "SummaryReport", "SummaryRow"), "result"
    ),
}


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'errcli.explain' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f"errcli.explain.{home}"), name)
