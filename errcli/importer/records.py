"""What the reader finds: one record per place that defines a code, and the categories that group codes."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from errcli.importer.codes import range_of
from errcli.importer.inline import CJK, strip_md
from errcli.model import Code, Severity


@dataclass
class Record:
    """One place in the document that defines a code."""

    code: Code
    line: int
    kind: Literal["section", "table"]
    block: int
    multi: bool = False
    symbol: str | None = None
    title: str | None = None
    description: list[str] = field(default_factory=list)
    causes: list[str] = field(default_factory=list)
    fixes: list[str] = field(default_factory=list)
    limits: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    snippets: list[str] = field(default_factory=list)
    http_status: int | None = None
    severity: Severity | None = None
    retryable: bool | None = None
    category: str | None = None
    group: str | None = None


@dataclass
class Category:
    """A group of codes: named by a heading (``认证错误 (1xxx)``) or a table of ranges."""

    id: str
    title: str
    range: tuple[int, int] | None
    description: str | None = None


class Categories:
    """The document's categories by id, in the order they were named."""

    def __init__(self) -> None:
        self.by_id: dict[str, Category] = {}

    def ranged(self, text: str) -> str | None:
        """The category a group heading names by its range (created on first use); None without a range."""
        found = range_of(text)
        if found is None:
            return None
        key, low, high = found
        for cat in self.by_id.values():
            if cat.range == (low, high):
                return cat.id
        # no run of spaces before the range is matched (strip_md collapses them): linear time
        title = re.sub(r"(?:[(（\[]\s*)?" + re.escape(key) + r"(?:\s*[)）\]])?", " ", text, flags=re.IGNORECASE)
        title = strip_md(re.sub(r"^\d{1,2}[.)、]\s*", "", title)).strip(" -–—:：") or key
        self.by_id[key] = Category(key, title, (low, high))
        return key

    def plain(self, title: str) -> str:
        """A category for a heading without a range (kept only when it groups some codes)."""
        for cat in self.by_id.values():
            if cat.title == title:
                return cat.id
        slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
        cat_id = slug if slug and not CJK.search(title) else f"group-{len(self.by_id) + 1}"
        while cat_id in self.by_id:
            cat_id += "-2"
        self.by_id[cat_id] = Category(cat_id, title, None)
        return cat_id

    def complete(self, rows: Sequence[tuple[int, int, str, str | None]]) -> dict[str, Category]:
        """The categories completed by the document's table of ranges (``1000-1999 风控错误 …``)."""
        categories = self.by_id
        for low, high, rest, description in rows:
            cat = next((c for c in categories.values() if c.range == (low, high)), None)
            if cat is None:
                key = f"{low}-{high}"
                categories[key] = Category(key, rest, (low, high), description)
            elif description:
                cat.description = cat.description or description
            elif rest.startswith(cat.title) and rest != cat.title:
                cat.description = cat.description or rest[len(cat.title) :].strip(" -–—:：|")
        return categories
