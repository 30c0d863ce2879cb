"""The walk over a document's blocks: where each code's section or table row starts, and what groups them.

:class:`Reader` keeps the open :class:`~errcli.importer.sections.Section`, the headings above it and
the plain-text table being read, and collects the records, categories, example responses and the
parts it did not understand.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from errcli.importer.blocks import Block, CodeBlock, Heading, Line, Table
from errcli.importer.codes import RANGE_XXX, SNAKE, CodeHead, parse_code_head, range_of, weak_title_ok
from errcli.importer.inline import clean_title, strip_md, unquote
from errcli.importer.records import Categories, Record
from errcli.importer.report import Unparsed
from errcli.importer.sections import BULLET, Section, labelled, looks_code, title_like
from errcli.importer.tables import (
    CategoryRow,
    Loose,
    aligned,
    category_rows,
    loose_header,
    range_row,
    roles_loose,
    roles_of,
    table_records,
)
from errcli.importer.vocabulary import CLOSING, EMPTY_CELL, GROUP_WORDS


class Reader:
    """Walks the blocks once, keeping the open section and the headings above it."""

    def __init__(self, blocks: list[Block]) -> None:
        self.blocks = blocks
        self.records: list[Record] = []
        self.categories = Categories()
        self.category_rows: list[CategoryRow] = []
        self.examples: list[tuple[str, str]] = []  # (json, context) for envelope hints
        self.unparsed: list[Unparsed] = []
        self.section: Section | None = None
        self.headings: list[tuple[int, str, str | None]] = []  # (level, text, category id)
        self.group: tuple[str, str | None] | None = None  # a plain-text group heading: (title, category id)
        self.loose: Loose | None = None
        self.blocks_seen = 0
        self.index = 0
        self.markdown = False
        self.closing = False  # under a heading like "最佳实践" / "FAQ": code lines there need labels below them
        # A single level-1 heading is the document's title, and so is a plain document's first line: not groups.
        self.h1_count = sum(1 for b in blocks if isinstance(b, Heading) and b.level == 1)
        self.title_index = next((i for i, b in enumerate(blocks) if not isinstance(b, Line) or b.text.strip()), -1)

    def run(self) -> None:
        for index, block in enumerate(self.blocks):
            self.index = index
            if isinstance(block, Heading):
                self.markdown = True
                self.on_heading(block)
            elif isinstance(block, Table):
                self.markdown = True
                self.close()
                self.loose = None
                self.on_table(block)
            elif isinstance(block, CodeBlock):
                self.on_code(block)
            else:
                self.on_line(block, index)
        self.close()

    # -- looking ahead --

    def following(self, index: int, span: int) -> tuple[int, Block] | None:
        """The first block after ``index`` (within ``span`` blocks) that is not a blank line."""
        for offset, block in enumerate(self.blocks[index + 1 : index + 1 + span], start=index + 1):
            if not isinstance(block, Line) or block.text.strip():
                return offset, block
        return None

    def next_is_label(self, index: int) -> bool:
        """Whether the next non-blank line below block ``index`` is labelled (``描述:``, ``HTTP Status: 400``)."""
        found = self.following(index, 4)
        return found is not None and isinstance(found[1], Line) and labelled(found[1].text) is not None

    def next_is_code(self, index: int) -> bool:
        found = self.following(index, 3)
        if found is None:
            return False
        offset, block = found
        if isinstance(block, Heading):
            return parse_code_head(block.text, heading=True) is not None
        if not isinstance(block, Line):
            return False
        head = parse_code_head(block.text.strip(), heading=False)
        return head is not None and (head.strong or self.next_is_label(offset))

    def next_aligned(self, index: int) -> bool:
        found = self.following(index, 2)
        return found is not None and isinstance(found[1], Line) and aligned(found[1].text.strip())

    # -- sections --

    def context(self) -> str:
        return " ".join(text for _, text, _ in self.headings[-2:])

    def group_of(self, level: int | None) -> tuple[str | None, str | None]:
        """(category id, group title) for a section at ``level``: the nearest heading (or group line) above."""
        if self.group is not None and level is None:
            return self.group[1], self.group[0]
        for head_level, text, cat_id in reversed(self.headings):
            if head_level == 1 and self.h1_count == 1:
                break
            if level is None or head_level < level:
                if cat_id is None and not CLOSING.search(text):
                    return self.categories.plain(text), text
                return cat_id, text
        if self.group is not None:
            return self.group[1], self.group[0]
        return None, None

    def open_section(self, head: CodeHead, line: int, level: int | None) -> None:
        self.close()
        self.loose = None
        self.blocks_seen += 1
        category, group = self.group_of(level)
        title = clean_title(head.title) if head.title else None
        symbol = None
        if title and SNAKE.fullmatch(title) and all(isinstance(c, int) for c in head.codes):
            symbol, title = title, None  # "### 3 - INVALID_ARGUMENT": a number and its constant
        self.section = Section(
            codes=head.codes,
            line=line,
            level=level,
            block=self.blocks_seen,
            title=title,
            http_status=head.http_status,
            category=category,
            group=group,
            symbol=symbol,
        )

    def close(self) -> None:
        if self.section is not None:
            self.records.extend(self.section.records())
            self.section = None

    def on_heading(self, block: Heading) -> None:
        self.loose = None
        section = self.section
        head = parse_code_head(block.text, heading=True)
        if head is not None and not head.strong and self.next_is_label(self.index) and weak_title_ok(head.title):
            head = CodeHead(head.codes, head.title, head.http_status, True)
        if head is not None and head.strong:
            self.open_section(head, block.line, block.level)
            return
        if section is not None and section.level is not None and block.level > section.level:
            found = labelled(block.text)  # "##### 原因", "#### Solution" inside a code's section
            if found is not None:
                section.on_label(found)
            else:
                section.end_item()
                section.current = None
                section.add_paragraph_line(strip_md(block.text), new=True)
                section.para_open = False
            return
        self.close()
        self.group = None
        self.closing = bool(CLOSING.search(block.text))
        while self.headings and self.headings[-1][0] >= block.level:
            self.headings.pop()
        self.headings.append((block.level, strip_md(block.text), self.categories.ranged(block.text)))

    def on_code(self, block: CodeBlock) -> None:
        if block.json:
            self.examples.append((block.body, self.context() if self.section is None else ""))
        if self.section is not None:
            self.section.add_code(block)

    # -- tables --

    def table_record(self, roles: tuple[str, ...], cells: Sequence[str], line: int) -> list[Record]:
        group = self.headings[-1][1] if self.headings else None
        return table_records(roles, cells, line, self.blocks_seen, group, self.categories.plain)

    def on_table(self, block: Table) -> None:
        roles = roles_of(block.header)
        if roles is None:
            if "range" in roles_loose(block.header):
                self.category_rows.extend(category_rows(block.rows, block.header))
            return
        self.blocks_seen += 1
        valid = 0
        for line, cells in block.rows:
            record = self.table_record(roles, cells, line)
            if record:
                valid += len(record)
                self.records.extend(record)
            elif any(c.strip() for c in cells):
                first = cells[roles.index("code")] if "code" in roles and roles.index("code") < len(cells) else ""
                if first.strip() not in EMPTY_CELL and not range_of(first):
                    self.unparsed.append(Unparsed(line, " | ".join(cells)[:80], "table row without a usable code"))
        if block.rows and valid == 0:
            self.unparsed.append(Unparsed(block.line, " | ".join(block.header)[:80], "table of codes with no code"))

    def loose_row(self, block: Line) -> bool:
        """A row of the plain-text table being read; False when the line is none."""
        loose = self.loose
        if loose is None:
            return False
        text = block.text.strip()
        if "range" in loose.roles:
            row = range_row(text)
            if row is not None:
                self.category_rows.append(row)
            return row is not None
        split = loose.split(text)
        records = self.table_record(split[0], split[1], block.line) if split else []
        self.records.extend(records)
        return bool(records)

    # -- lines --

    def on_line(self, block: Line, index: int) -> None:
        text = block.text
        stripped = text.strip()
        section = self.section
        if not stripped:
            self.loose = None
            if section is not None:
                if section.level is None or section.snippet is not None:
                    section.end_item()
                section.para_open = False
                section.blank = True
            return
        if self.loose is not None:
            if self.loose_row(block):
                return
            self.loose = None
        if stripped in ("---", "***", "___") or re.fullmatch(r"[-=*_]{3,}", stripped):
            if section is not None:
                section.end_paragraph()
            return
        if self.try_code_line(block, index) or self.try_group_line(block, index):
            return
        if (
            section is not None
            and section.snippet is not None
            and (looks_code(text) or not labelled(text))
            and not BULLET.match(text)
        ):
            section.snippet.append(text)
            section.blank = False
            return
        if section is None:
            self.outside(block, index)
            return
        section.add_line(block)
        section.blank = False

    def try_code_line(self, block: Line, index: int) -> bool:
        text = block.text
        stripped = text.strip()
        bullet = BULLET.match(text)
        section = self.section
        if bullet and (section is None or section.current is None):
            candidate = bullet.group(2)
        elif bullet or (text.startswith((" ", "\t")) and section is not None):
            return False
        else:
            candidate = stripped
        if len(candidate) > 160 or candidate.lower().startswith(("case ", "return ", "if ")):
            return False
        head = parse_code_head(candidate, heading=False)
        if head is None:
            return False
        if (not head.strong or self.closing) and (not self.next_is_label(index) or not weak_title_ok(head.title)):
            return False
        if bullet and not head.title:
            return False
        self.open_section(head, block.line, None)
        return True

    def try_group_line(self, block: Line, index: int) -> bool:
        """A plain-text heading that groups codes (``风控错误 (1xxx)``) or ends them (``最佳实践``)."""
        text = block.text
        stripped = strip_md(text)
        if (
            index == self.title_index
            or text.startswith((" ", "\t"))
            or BULLET.match(text)
            or labelled(text)
            or len(stripped) > 60
        ):
            return False
        section = self.section
        category = self.categories.ranged(stripped) if RANGE_XXX.search(stripped) else None
        if category is not None:
            self.start_group((self.categories.by_id[category].title, category), closing=False)
            return True
        if not title_like(stripped):
            return False
        if CLOSING.search(stripped) and (section is None or section.level is None):
            self.start_group(None, closing=True)
            return True
        if GROUP_WORDS.search(stripped) and self.next_is_code(index):
            self.start_group((stripped, self.categories.plain(stripped)), closing=False)
            return True
        if section is not None and section.level is None and section.blank and not section.waiting():
            self.close()  # a heading-like line after a blank line ends a plain-text section
            self.group = None
            self.outside(block, index)
            return True
        return False

    def start_group(self, group: tuple[str, str | None] | None, closing: bool) -> None:
        self.close()
        self.group = group
        self.closing = closing

    def outside(self, block: Line, index: int) -> None:
        """A line outside any code section: plain-text tables, stray labels."""
        text = block.text.strip()
        loose = loose_header(text)
        if loose is not None:
            self.loose = Loose(*loose)
            self.blocks_seen += 1
            return
        if aligned(text) and self.next_aligned(index):  # "10001  Invalid parameter" lines, no header
            self.loose = Loose(("code", "title"), flat=False)
            self.blocks_seen += 1
            self.loose_row(block)
            return
        if SNAKE.fullmatch(unquote(text)):
            self.unparsed.append(Unparsed(block.line, text[:80], "a code name with no `描述:`/`Description:` below it"))
            return
        found = labelled(block.text)
        if (
            found
            and found[0] in ("causes", "fixes", "http")
            and found[2]
            and not looks_code(text)
            and not re.match(r"^(['\"`]|null\b|true\b|false\b|\d)", found[2])
        ):
            self.unparsed.append(Unparsed(block.line, text[:80], f"{found[1]} outside any code section"))
