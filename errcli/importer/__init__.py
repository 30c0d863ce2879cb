"""``errcode import``: turn an API's error-code document into a catalog draft.

Reads Markdown, plain text or HTML (HTML is first turned into the same lines: headings,
pipe tables, fenced blocks, list items) and recognises the layouts such documents use:

- tables of code | name | meaning | fix | severity | HTTP status, in any column order and
  with zh or en headers; also plain-text tables split by tabs or runs of spaces, and
  tables whose columns were flattened together (``1001资金不足⚠️ 警告``);
- headed sections: ``#### 1001 - 資金不足``, ``1001 - 资金不足``, ``E1001 标题``,
  ``## ERR_FOO: title``, and a bare code line (``INVALID_CODE_RE``) followed by labelled
  lines (``HTTP状态码: 400``, ``描述:``, ``原因:``, ``Solution:`` …) with ``-``/``•``/numbered items;
- example JSON (fenced or not): kept verbatim as examples, their top-level keys become
  envelope hints; code snippets in a fix are kept as snippets;
- group headings with code ranges (``认证错误 (1xxx)``, ``(1000-1999)``) become categories;
  a list named like ``RETRYABLE_ERRORS = [...]`` marks codes retryable.

Each text keeps the document's own words under ``zh`` or ``en`` by its script; fields the
document does not give are left out (the loader derives severity and retryable). In a document
of HTTP statuses each code is marked as the status it is (``http_status``), so the loader's rule
(errcli.catalog.status_severity) gives them the severities of the bundled ``http`` catalog; the
numbers of any other document stay the API's own. The importer returns data and never prints.

The steps, each a module: :mod:`~errcli.importer.source` (bytes → text) →
:mod:`~errcli.importer.html` / :mod:`~errcli.importer.blocks` (text → blocks) →
:mod:`~errcli.importer.reader` with :mod:`~errcli.importer.sections` and
:mod:`~errcli.importer.tables` (blocks → records) → :mod:`~errcli.importer.assemble`
(records → typed entries) → :mod:`~errcli.importer.draft` (YAML, checked by the loader; the file);
:mod:`~errcli.importer.document` runs them.
"""

from errcli.importer.document import import_document
from errcli.importer.draft import check_id, check_output, write_draft
from errcli.importer.report import Document, Duplicate, ImportReport, ImportResult, Unparsed
from errcli.importer.source import read_document

__all__ = [
    "Document",
    "Duplicate",
    "ImportReport",
    "ImportResult",
    "Unparsed",
    "check_id",
    "check_output",
    "import_document",
    "read_document",
    "write_draft",
]
