"""What the search index holds of each entry, and how it is stored.

Per entry, in classes that rank differently: ``code`` (code, symbol, HTTP status), ``title``
(titles, context titles), ``keywords`` (keywords, messages, context names, headers), ``text``
(description, causes, fixes, limits, retry advice, contexts, detail meanings, category title) and
``example`` (example responses), in both languages; and the pinyin of the Chinese titles and
keywords, full syllables and initials, with every reading of a polyphonic character (频率 pin lv,
行情 hang qing).

Terms are words, CJK characters and bigrams, pinyin syllable pairs and initial pairs, and the
folded codes; each posting list is ordered best entries first (code, title, keyword fields,
shortest first; then texts, examples, pinyin), so a query can take the top of a long list.
"""

from __future__ import annotations

import sys

import msgspec

from errcli.model import Catalog, Entry, Text

INDEX_FORMAT = 2
Key = tuple[tuple[str, str, int, int, int], ...]  # per catalog: (id, path, size, a hash of mtime/ctime/inode, entries)
# The stored index is little-endian; a big-endian machine builds its index in memory, never cached.
CACHEABLE = sys.byteorder == "little"

# Field classes, in the order a posting list prefers them (and the order of a document).
CODE, TITLE, KEYWORD, TEXT, EXAMPLE, TITLE_PY, KEYWORD_PY, TITLE_IN, KEYWORD_IN = range(9)
CLASS_NAMES = ("code", "title", "keywords", "text", "example", "pinyin", "pinyin", "initials", "initials")
# the plain class each pinyin class is derived from (field i of one is field i of the other)
PINYIN_SOURCE = {TITLE_PY: TITLE, KEYWORD_PY: KEYWORD, TITLE_IN: TITLE, KEYWORD_IN: KEYWORD}

# Term namespaces: plain words and CJK uni-/bigrams have none.
NS_PINYIN = "\x01"  # two consecutive syllables, "zi jin"
NS_INITIALS = "\x02"  # two consecutive initials, "zj"
NS_CODE = "\x03"  # a folded code or symbol, "INSUFFICIENT_BALANCE", "1001"

CLASS_SEP = "\x1e"  # between the classes of one document
PINYIN_SEP = " | "  # between the spellings of one field (polyphonic characters: 重 zhong, chong)
FIELD_SEP = " \n "  # between the fields of one class (spaces keep word boundaries)

SEVERITY_RANK = {"critical": 0, "warning": 1, "info": 2}
MAX_ENTRIES = (1 << 32) - 1  # entry numbers are uint32


def _texts(*texts: Text | None) -> list[str]:
    return [t for text in texts if text is not None for t in (text.zh, text.en) if t]


def entry_fields(entry: Entry, catalog: Catalog | None = None) -> list[list[str]]:
    """The original texts of each plain class, in index order (``CODE`` … ``EXAMPLE``)."""
    code = [str(entry.code)]
    if entry.symbol:
        code.append(entry.symbol)
    statuses = {entry.http_status, *(c.http_status for c in entry.contexts)} - {None}
    code.extend(f"HTTP {s}" for s in sorted(s for s in statuses if s is not None))
    title = _texts(entry.title, *(c.title for c in entry.contexts))
    keywords = [*entry.keywords, *entry.messages, *_texts(*(c.name for c in entry.contexts)), *entry.headers]
    text = _texts(entry.description, *entry.causes, *entry.fixes, *entry.limits, entry.retry_advice)
    for context in entry.contexts:
        text.extend(_texts(context.description, *context.causes, *context.fixes, *context.limits))
    text.extend(_texts(*(d.meaning for d in entry.details)))
    category = catalog.category(entry.category) if catalog is not None else None
    if category is not None:
        text.extend(_texts(category.title))
    return [code, title, keywords, text, list(entry.examples)]


class IndexData(msgspec.Struct, array_like=True, frozen=True):
    """The compiled index as stored, in the order the builder writes it.

    Arrays are in the machine's byte order (little-endian wherever the index is cached):
    ``*_off`` uint64, ``post`` uint32 entry numbers. Decoded from a memory-mapped file, the
    ``memoryview`` fields are views into it: nothing is copied.
    """

    format: int
    version: str
    key: Key
    features: tuple[str, ...]  # "opencc", "pypinyin" when they were used
    catalog_ids: tuple[str, ...]
    catalog_counts: tuple[int, ...]
    t2s: str  # "繁简繁简…" one-character pairs
    docs: memoryview  # UTF-8 documents, one per entry (streamed while entries are added)
    severity: memoryview  # one byte per entry: SEVERITY_RANK
    docs_off: memoryview  # uint64[n + 1]
    syllables: str  # the pinyin syllables that occur, space-separated
    terms: memoryview  # UTF-8 sorted terms, each followed by "\n"
    terms_off: memoryview  # uint64[t + 1]
    term_class: memoryview  # one byte per term: the best class it occurs in (CODE … KEYWORD_IN)
    latin: tuple[int, int]  # the range of term numbers that are plain words below U+3400 (for prefixes, typos)
    post_off: memoryview  # uint64[t + 1]
    post: memoryview  # uint32 entry numbers, each term's list best entries first
