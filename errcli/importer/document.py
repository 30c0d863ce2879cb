"""One document in, one catalog draft and its report out: the importer's steps in order."""

from __future__ import annotations

import re
from pathlib import Path

from errcli.importer.assemble import assemble
from errcli.importer.blocks import read_blocks
from errcli.importer.catalog_draft import DraftCatalog, DraftSource
from errcli.importer.draft import checked_yaml, file_format
from errcli.importer.html import html_lines, is_html
from errcli.importer.inline import as_text, doc_language, strip_md
from errcli.importer.reader import Reader
from errcli.importer.report import DocFormat, Document, ImportReport, ImportResult

_FRONT_MATTER = re.compile(r"\A\ufeff?---\s*\n(.*?)\n---\s*\n", re.DOTALL)


def import_document(doc: Document, catalog_id: str | None = None, name: str | None = None) -> ImportResult:
    """The catalog draft and the report for one document."""
    text = doc.text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    title_hint = ""
    fmt: DocFormat
    if is_html(text, doc.name):
        lines, title_hint = html_lines(text)
        fmt = "html"
    else:
        lines = list(enumerate(text.split("\n"), start=1))
        front = _FRONT_MATTER.match(text)
        if front:  # YAML front matter: the title is read from it, the rest is not error documentation
            skip = front.group(0).count("\n")
            lines = [(n, "" if n <= skip else t) for n, t in lines]
        fmt = "text"
    reader = Reader(list(read_blocks(lines)))
    reader.run()
    if fmt == "text" and reader.markdown:
        fmt = "markdown"
    plain = "\n".join(t for _, t in lines)
    doc_title, version, date = header_info(text if fmt != "html" else plain, title_hint)
    language = doc_language(plain)
    cat_id = catalog_id or id_from_name(doc.name)
    found = assemble(reader, plain, doc_title)
    shown = "stdin" if doc.name == "-" else Path(doc.name).name
    catalog = DraftCatalog(
        schema_version=1,
        id=cat_id,
        name=as_text(name or doc_title or cat_id),
        version=version,
        date=date,
        source=DraftSource(title=doc_title or shown, document=shown),
        language=language,
        description={"en": f"Draft imported from {shown} by errcode import; review before use"},
        envelopes=found.envelopes,
        categories=found.categories,
        entries=found.entries,
    )
    codes = tuple(e.code for e in found.entries)
    report = ImportReport(
        source=doc.name,
        format=fmt,
        language=language,
        encoding=doc.encoding,
        codes=codes,
        unparsed=tuple(sorted(reader.unparsed, key=lambda u: u.line)),
        duplicates=tuple(found.duplicates),
        untitled=tuple(e.code for e in found.entries if e.added),
        categories=len(found.categories),
        envelopes=len(found.envelopes),
    )
    draft = file_format(catalog)
    return ImportResult(draft, report, checked_yaml(draft, doc.name) if codes else "")


def header_info(text: str, title_hint: str) -> tuple[str | None, str | None, str | None]:
    """The document's title, version and date."""
    title = None
    front = _FRONT_MATTER.match(text)
    if front and (m := re.search(r"(?m)^title\s*:\s*['\"]?(.+?)['\"]?\s*$", front.group(1))):
        title = m.group(1).strip()
    body = text[front.end() :] if front else text
    if not title and title_hint:
        title = title_hint
    if not title and (m := re.search(r"(?m)^\s{0,3}#{1,2}\s+(.+?)\s*#*\s*$", body[:20000])):
        title = strip_md(m.group(1))
    if not title:
        first = next((x.strip() for x in body.splitlines()[:20] if x.strip()), "")
        if 0 < len(first) <= 80 and not first.startswith(("{", "<", "|")):
            title = strip_md(first.lstrip("#").strip())
    head = body[:5000] + "\n" + body[-2000:]
    version = re.search(r"(?:版本|version)\s*[:：]?\s*(v?\d+(?:\.\d+){1,3}[\w.-]*)", head, re.IGNORECASE)
    date = re.search(r"(?:日期|date|updated|更新)\s*[:：]?\s*(\d{4}-\d{2}-\d{2})", head, re.IGNORECASE)
    return title or None, version.group(1) if version else None, date.group(1) if date else None


def id_from_name(name: str) -> str:
    """A catalog id from the document's file name (``Acme Errors.md`` → ``acme-errors``)."""
    from errcli.catalog import CATALOG_ID

    if name == "-":
        return "imported"
    slug = re.sub(r"[^a-z0-9_-]+", "-", Path(name).stem.lower()).strip("-_")
    return slug if slug and CATALOG_ID.match(slug) else "imported"
