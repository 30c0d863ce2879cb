"""Explain error responses: find every error in a stream and what it means.

One-way seams: :mod:`~errcli.explain.reader` (bytes → records; :mod:`~errcli.explain.http` and
:mod:`~errcli.explain.decode` beneath it) → :mod:`~errcli.explain.detect`
(record → findings) → :mod:`~errcli.explain.classify` (finding → ranked candidates with
evidence, messages retrieved by :mod:`~errcli.explain.messages`) → :mod:`~errcli.explain.result`
(typed results); :mod:`~errcli.explain.engine` runs them over a stream. Nothing
here prints or writes sentences: the output layer does.
"""

from errcli.explain.engine import Explainer, ExplainStream, explain_stream, explain_text, summarize
from errcli.explain.http import HttpInfo
from errcli.explain.reader import MAX_STORED_UNPARSED, LineTally, Record, RecordReader, iter_records
from errcli.explain.result import Action, Evidence, ExplainedError, ExplainReport, Summary, SummaryReport, SummaryRow

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
