"""Headed sections: a code line (``1001 - 资金不足``, ``#### E1001``) and the labelled lines below it.

A :class:`Section` collects the lines of one code's section (description paragraphs, ``原因:`` and
``Solution:`` lists, examples, unfenced code) and gives one record per code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from errcli.importer.blocks import CodeBlock, Line
from errcli.importer.codes import IDENTIFIER, bool_of, code_value, http_of, severity_of
from errcli.importer.inline import CJK, clean_title, joined, strip_md
from errcli.importer.records import Record
from errcli.importer.tables import cell_items
from errcli.importer.vocabulary import LABEL_OF, LABEL_PARTS, LIMIT_WORDS, norm
from errcli.model import Code, Severity

BULLET = re.compile(r"^(\s*)(?:[-*+]\s+|[•·▪●◦‣]\s*|\d{1,2}[.)、]\s+|[（(]\d{1,2}[)）]\s*|[a-z][.)]\s+)(.*)$")
# matched on the line without its indent; each run of spaces has one place to go (linear time)
_LABEL = re.compile(
    r"(?:[-*+•]\s+)?(?:(?:\*\*|__)\s*)?(?P<label>[^\s:：*|`](?:[^:：*|`]{0,29}?[^\s:：*|`])?)\s*(?:(?:\*\*|__)\s*)?[:：]"
    r"\s*(?:(?:\*\*|__)\s*)?(?P<rest>.*)$"
)
_CODE_START = re.compile(
    r"^\s*(?://|/\*|\*/|#!|<\?|\$ |>>> |console\.|print\(|fetch\(|curl\s+-"
    r"|(?:if|for|while|switch|catch|elif)\s*\(|(?:const|let|var)\s+[\w${\[]"
    r"|(?:await|return|throw|raise|new)\s+[\w.$]+\s*[(;.]|(?:async\s+)?(?:function|def|func)\s+\w+\s*\("
    r"|class\s+\w+(?:\s+extends\s+\w+)?\s*[:{(]|import\s+[\w.{*]+(?:\s+from\b|\s*;|\s*$)"
    r"|from\s+[\w.]+\s+import\b|(?:else|try|finally)\s*[:{]|case\s+.+:|(?:break|continue);"
    r"|[{}\[\]]\s*[,;)]*\s*$|[})\]]\s*[,;)]*\s*(?:else|catch)?)"
)
_CODE_END = re.compile(r"(?:;|\{|\[|=>\s*\{?|\};?|\),?)\s*(?://.*)?$")
_OBJECT_LINE = re.compile(r"^\s*['\"]?[\w$.-]+['\"]?\s*:\s*\S.*(?:,|//.*)\s*$")
_ASSIGN = re.compile(r"^\s*[A-Za-z_$][\w$.]*(?:\[[^\]]*\])?\s*(?:=|\+=|-=)\s*\S")
_SENTENCE_END = re.compile(r"[。.!！?？;；,，:：]$")
LIST_FIELDS = frozenset({"causes", "fixes", "limits"})


def looks_code(text: str, strict: bool = False) -> bool:
    if _CODE_START.match(text):
        return True
    if strict:
        return False
    if CJK.search(text.split("//", maxsplit=1)[0]) and not re.search(r"[;{}=]", text):
        return False
    return bool(_CODE_END.search(text) or _OBJECT_LINE.match(text) or _ASSIGN.match(text) or " // " in text)


def labelled(text: str) -> tuple[str, str, str] | None:
    """``(field, label, rest)`` of a labelled line (``原因:``, ``**Cause:** …``, a bare ``Solution``)."""
    if m := _LABEL.match(text.lstrip()):
        label, rest = m["label"], m["rest"].strip()
        name = _label_name(label)
        if name == "http" and http_of(rest) is None:
            return None
        if name:
            return name, label.strip(), rest
        return None
    bare = strip_md(text).rstrip(":：").strip()
    if bare and len(bare) <= 30 and (name := _label_name(bare)) and name != "http":
        return name, bare, ""
    return None


def _label_name(label: str) -> str | None:
    """The field a label names: exactly (``原因``, ``Solution``), or by its main word (``Possible Causes``)."""
    word = norm(label)
    if word in LABEL_OF:
        return LABEL_OF[word]
    if len(word) <= 24 and len(label.split()) <= 4:
        for name, part in LABEL_PARTS:
            if part.search(word):
                return name
    return None


def title_like(text: str) -> bool:
    """A short line that reads as a heading: no sentence punctuation, no code."""
    text = text.strip()
    return (
        0 < len(text) <= 40
        and not _SENTENCE_END.search(text)
        and not BULLET.match(text)
        and not looks_code(text)
        and not re.search(r"[=<>{}\[\];`|]", text)
    )


@dataclass
class Section:
    """The open section of one code (or of several defined together), as its lines are read."""

    codes: tuple[Code, ...]
    line: int
    level: int | None  # heading level; None for a section that starts with a plain line
    block: int
    title: str | None
    http_status: int | None
    category: str | None
    group: str | None
    symbol: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    lists: dict[str, list[str]] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)
    snippets: list[str] = field(default_factory=list)
    severity: Severity | None = None
    retryable: bool | None = None
    current: str | None = None  # the field that lines go to (after a label)
    prefix: str = ""  # an unknown limit-like label whose items follow ("最小金额:")
    item_open: bool = False  # the previous line was a list item (a wrapped line continues it)
    para_open: bool = False
    snippet: list[str] | None = None
    blank: bool = False  # the previous line was blank
    example_open: bool = False  # the previous line was part of a text example

    def records(self) -> list[Record]:
        """One record per code of the section (a section may define ``4003 / 4004`` together)."""
        self.end_item()
        paragraphs = [p for p in (x.strip() for x in self.paragraphs) if p]
        found = []
        for code in self.codes:
            examples = self.examples
            if len(self.codes) > 1:  # examples that name one of the codes belong to that code only
                mine = [e for e in examples if _example_code(e) == code]
                others = {_example_code(e) for e in examples} & set(self.codes)
                examples = mine or [e for e in examples if _example_code(e) not in others]
            found.append(
                Record(
                    code=code,
                    line=self.line,
                    kind="section",
                    block=self.block,
                    multi=len(self.codes) > 1,
                    symbol=self.symbol,
                    title=self.title,
                    description=list(paragraphs),
                    causes=list(self.lists.get("causes", [])),
                    fixes=list(self.lists.get("fixes", [])),
                    limits=list(self.lists.get("limits", [])),
                    examples=list(examples),
                    snippets=list(self.snippets),
                    http_status=self.http_status,
                    severity=self.severity,
                    retryable=self.retryable,
                    category=self.category,
                    group=self.group,
                )
            )
        return found

    def end_item(self) -> None:
        """The list item, snippet or text example being read is complete."""
        if self.snippet:
            self.snippets.append("\n".join(self.snippet).strip("\n"))
        self.snippet = None
        self.item_open = False
        self.example_open = False

    def end_paragraph(self) -> None:
        self.end_item()
        self.para_open = False

    def add_code(self, block: CodeBlock) -> None:
        """A fenced block in the section: JSON is an example, other code a snippet."""
        if block.json:
            self.end_item()
            self.examples.append(block.body)
            if self.current not in ("examples", "details"):
                self.para_open = False
        elif block.body.strip():
            self.end_item()
            self.snippets.append(block.body)

    def waiting(self) -> bool:
        """A label was just given with nothing after it yet (``解决方案:`` then the answer)."""
        name = self.current
        if name is None:
            return False
        if name in LIST_FIELDS:
            return not self.lists.get(name)
        return not self.para_open and name in ("description", "title")

    def add_line(self, block: Line) -> None:
        """A plain line of the section: a label, a list item, code, an example or description text."""
        text = block.text
        bullet = BULLET.match(text)
        found = labelled(bullet.group(2) if bullet else text)
        if found is not None:
            self.on_label(found)
            return
        if self.current in {"http", "severity"}:
            self.current = None
        name = self.current
        item = bullet.group(2).strip() if bullet else None
        if item is not None and name in LIST_FIELDS:
            self.end_item()
            self.lists.setdefault(name, []).append(self.prefix + strip_md(item))
            self.item_open = True
            return
        if name in LIST_FIELDS | {None, "description", "details"} and self.start_snippet(text, name):
            return
        if name in LIST_FIELDS:
            items = self.lists.setdefault(str(name), [])
            line = strip_md(text)
            if self.item_open and items:
                head, *more = re.split(r"\s+-\s+", line)
                items[-1] = joined(items[-1], head)
                items.extend(self.prefix + m for m in more if m)
            else:
                items.append(self.prefix + line)
                self.item_open = True
            return
        if name == "examples" and not CJK.search(text):  # a raw response: one example until a blank line
            if self.example_open and self.examples:
                self.examples[-1] += "\n" + text.rstrip()
            else:
                self.examples.append(text.strip())
                self.example_open = True
            return
        if item is not None:
            self.add_paragraph_line(strip_md(item), new=True)
            return
        line = strip_md(text)
        self.add_paragraph_line(line, new=bool(re.match(r"^[^:：]{1,20}[:：]\s*\S", line)))

    def start_snippet(self, text: str, name: str | None) -> bool:
        """Unfenced code (plain-text documents only; Markdown fences its code): in a fix, any code-like line."""
        if self.level is not None or not looks_code(text, strict=name != "fixes"):
            return False
        self.end_item()
        self.snippet = [text]
        return True

    def on_label(self, found: tuple[str, str, str]) -> None:
        """A labelled line (``原因: …``): its field is where the next lines go."""
        name, label, rest = found
        rest = strip_md(rest)
        self.end_paragraph()
        self.prefix = ""
        if name == "http":
            self.http_status = self.http_status or http_of(rest)
            self.current = "http"
            return
        if name == "severity":
            self.severity = self.severity or severity_of(rest)
            self.current = "severity"
            return
        if name == "retryable":
            self.retryable = bool_of(rest) if self.retryable is None else self.retryable
            self.current = None
            return
        if name == "title":
            if rest and IDENTIFIER.fullmatch(rest) and all(isinstance(c, int) for c in self.codes):
                self.symbol = self.symbol or rest  # "Name: INSUFFICIENT_FUNDS" under a number
            elif rest and not self.title:
                self.title = clean_title(rest)
            self.current = None
            return
        if name == "examples" and rest:
            self.examples.append(rest)
        if name in ("details", "examples"):
            self.current = name
            if rest and name == "details":
                self.add_paragraph_line(f"{label}: {rest}")
            return
        self.current = name
        if name in LIST_FIELDS and rest:
            if looks_code(rest, strict=True):
                self.snippet = [rest]
            else:
                self.lists.setdefault(name, []).extend(cell_items(rest) if name == "causes" else [rest])
                self.item_open = True
        elif name == "description" and rest:
            self.add_paragraph_line(rest, new=True)

    def add_paragraph_line(self, text: str, new: bool = False) -> None:
        text = text.strip()
        if not text:
            return
        if LIMIT_WORDS.search(text.split(":")[0].split("：")[0]) and re.match(r"^[^:：]{1,12}[:：]\s*$", text):
            self.current = "limits"  # an unknown label like ``最小金额:``: its items are limits
            self.prefix = text.rstrip(":：").strip() + ": "
            return
        if self.para_open and not new and self.paragraphs:
            self.paragraphs[-1] = joined(self.paragraphs[-1], text)
        else:
            self.paragraphs.append(text)
        self.para_open = True


def _example_code(example: str) -> Code | None:
    m = re.search(r'"(?:code|error_code|errorCode|errcode)"\s*:\s*"?([\w.-]+)', example)
    return code_value(m.group(1)) if m else None
