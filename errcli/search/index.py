"""The search index as a search reads it: from this process, from the cache, or built.

The compiled index is msgpack (msgspec) in the cache folder (``errcli.store.cache``), keyed by
each catalog file's (path, size, mtime_ns), the errcode version and ``INDEX_FORMAT``. It is read
memory-mapped: the big parts are zero-copy ``memoryview`` s, so loading costs the same for 100
entries as for 100 000, and a query decodes only the entries it scores. A corrupt, stale or
foreign file is rebuilt; without a writable cache folder the index is built in memory.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from errcli._version import __version__
from errcli.errors import CatalogError
from errcli.search.folding import normalize, t2s_table
from errcli.search.layout import CACHEABLE, CLASS_NAMES, CLASS_SEP, INDEX_FORMAT, IndexData, Key
from errcli.store.cache import cache_dir
from errcli.store.files import read_mapped, write_bytes_atomic

if TYPE_CHECKING:
    import weakref

    from errcli.catalog import CatalogSet

CACHE_PREFIX = "index-"
CACHE_SUFFIX = ".msgpack"
MEMO_SIZE = 8  # indexes one process keeps


class Index:
    """Read access to an ``IndexData``: term lookup, postings, documents."""

    def __init__(self, data: IndexData, source: str = "memory") -> None:
        self.data = data
        self.source = source  # "cache", "built", "memory"
        self.size = len(data.severity)
        self._docs_off: Sequence[int] = data.docs_off.cast("Q")
        self._terms_off: Sequence[int] = data.terms_off.cast("Q")
        self._post_off: Sequence[int] = data.post_off.cast("Q")
        self._post: Sequence[int] = data.post.cast("I")
        self.n_terms = len(self._terms_off) - 1
        self._table: dict[int, int] | None = None
        self._syllables: frozenset[str] | None = None
        self._latin: list[str] | None = None
        self._check()

    def _check(self) -> None:
        d = self.data
        ok = (
            len(self._docs_off) == self.size + 1
            and self._docs_off[-1] == len(d.docs)
            and len(self._post_off) == self.n_terms + 1
            and self._post_off[-1] == len(self._post)
            and self._terms_off[-1] == len(d.terms)
            and len(d.term_class) == self.n_terms
            and sum(d.catalog_counts) == self.size
            and len(d.catalog_ids) == len(d.catalog_counts)
            and 0 <= d.latin[0] <= d.latin[1] <= self.n_terms
        )
        if not ok:
            raise ValueError("inconsistent index")

    @property
    def table(self) -> dict[int, int]:
        """Traditional → Simplified, for ``str.translate``."""
        if self._table is None:
            self._table = t2s_table(self.data.t2s)
        return self._table

    @property
    def syllables(self) -> frozenset[str]:
        if self._syllables is None:
            self._syllables = frozenset(self.data.syllables.split())
        return self._syllables

    def normalize(self, text: str) -> str:
        return normalize(text, self.table)

    def term(self, i: int) -> str:
        return bytes(self.data.terms[self._terms_off[i] : self._terms_off[i + 1] - 1]).decode("utf-8", "replace")

    def _lower_bound(self, key: bytes, low: int = 0, high: int | None = None) -> int:
        high = self.n_terms if high is None else high
        terms, off = self.data.terms, self._terms_off
        while low < high:
            mid = (low + high) // 2
            if bytes(terms[off[mid] : off[mid + 1] - 1]) < key:
                low = mid + 1
            else:
                high = mid
        return low

    def find(self, term: str) -> int | None:
        key = term.encode()
        i = self._lower_bound(key)
        if i < self.n_terms and bytes(self.data.terms[self._terms_off[i] : self._terms_off[i + 1] - 1]) == key:
            return i
        return None

    def with_prefix(self, prefix: str, limit: int = 50) -> list[tuple[int, str]]:
        """Plain words that start with ``prefix`` (the word itself excluded)."""
        start, end = self.data.latin
        i = self._lower_bound(prefix.encode(), start, end)
        out: list[tuple[int, str]] = []
        while i < end and len(out) < limit:
            word = self.term(i)
            if not word.startswith(prefix):
                break
            if word != prefix:
                out.append((i, word))
            i += 1
        return out

    def latin_words(self) -> list[str]:
        """Every plain word (for typo matching); decoded once, on first use."""
        if self._latin is None:
            start, end = self.data.latin
            if start >= end:
                self._latin = []
            else:
                blob = bytes(self.data.terms[self._terms_off[start] : self._terms_off[end]])
                self._latin = blob.decode("utf-8", "replace").split("\n")[:-1]
        return self._latin

    def term_class(self, term_id: int) -> int:
        """The best class the term occurs in: ``CODE`` … ``KEYWORD_IN``."""
        return self.data.term_class[term_id]

    def df(self, term_id: int) -> int:
        return self._post_off[term_id + 1] - self._post_off[term_id]

    def postings(self, term_id: int, limit: int | None = None) -> Sequence[int]:
        low, high = self._post_off[term_id], self._post_off[term_id + 1]
        if limit is not None:
            high = min(high, low + limit)
        return self._post[low:high]

    def doc(self, gid: int) -> list[str]:
        """The entry's classes (``CODE`` … ``KEYWORD_IN``), each a ``FIELD_SEP``-joined string."""
        raw = bytes(self.data.docs[self._docs_off[gid] : self._docs_off[gid + 1]])
        classes = raw.decode("utf-8", "replace").split(CLASS_SEP)
        return classes + [""] * (len(CLASS_NAMES) - len(classes))

    def severity(self, gid: int) -> int:
        return self.data.severity[gid]

    def locate(self, gid: int) -> tuple[int, int]:
        """(catalog number, entry number) of a global entry number."""
        for ci, count in enumerate(self.data.catalog_counts):
            if gid < count:
                return ci, gid
            gid -= count
        raise IndexError(gid)

    def catalog_ranges(self) -> dict[str, tuple[int, int]]:
        ranges: dict[str, tuple[int, int]] = {}
        start = 0
        for cid, count in zip(self.data.catalog_ids, self.data.catalog_counts, strict=True):
            ranges[cid] = (start, start + count)
            start += count
        return ranges

    def matches(self, cs: CatalogSet) -> bool:
        return self.data.catalog_ids == cs.ids and self.data.catalog_counts == tuple(
            len(c.entries) for c in cs.catalogs
        )


# --- the cache -----------------------------------------------------------------------------


def catalog_key(cs: CatalogSet) -> Key | None:
    """Each catalog's (id, path, size, stamp, entries); None when a catalog has no file. The stamp
    stands for the file's mtime, ctime and inode: an edit that keeps the size and puts the mtime
    back still changes it."""
    key = []
    for catalog in cs.catalogs:
        if not catalog.path:
            return None
        try:
            st = Path(catalog.path).stat()
        except OSError:
            return None
        stamp = hash((st.st_mtime_ns, st.st_ctime_ns, st.st_ino))  # ints hash the same in every process
        key.append((catalog.id, catalog.path, st.st_size, stamp, len(catalog.entries)))
    return tuple(key)


def _features_now() -> tuple[str, ...]:
    from importlib.util import find_spec

    return tuple(name for name in ("opencc", "pypinyin") if find_spec(name) is not None)


def cache_path(key: Key, directory: Path) -> Path:
    import zlib

    paths = "\0".join(path for _, path, _, _, _ in key)
    return directory / f"{CACHE_PREFIX}{zlib.crc32(paths.encode('utf-8', 'surrogatepass')):08x}{CACHE_SUFFIX}"


def read_cache(path: Path) -> IndexData | None:
    """The stored index, or None when it is missing, unreadable or corrupt."""
    try:
        return msgspec.msgpack.decode(read_mapped(path), type=IndexData)
    except (OSError, ValueError, msgspec.DecodeError):
        return None


# The indexes this process holds: by catalog files, or (catalogs without a file) by the very
# CatalogSet, held weakly.
_by_key: dict[Key, Index] = {}
_by_set: list[tuple[weakref.ref[CatalogSet], Index]] = []


def _remembered(cs: CatalogSet, key: Key | None) -> Index | None:
    found = _by_key.get(key) if key is not None else next((index for ref, index in _by_set if ref() is cs), None)
    return found if found is not None and found.matches(cs) else None


def _remember(cs: CatalogSet, key: Key | None, index: Index) -> None:
    _by_set[:] = [(ref, found) for ref, found in _by_set if ref() is not None and ref() is not cs]
    if len(_by_key) + len(_by_set) >= MEMO_SIZE:
        forget()
    if key is not None:
        _by_key[key] = index
    else:
        import weakref  # only for catalogs without a file (start-up time)

        _by_set.append((weakref.ref(cs), index))


def forget() -> None:
    """Drop the indexes this process holds (the next ``load_index`` reads the cache again)."""
    _by_key.clear()
    _by_set.clear()


def load_index(cs: CatalogSet, *, use_cache: bool = True) -> Index:
    """The index of ``cs``: from this process, from the cache, or built (into the cache when it can)."""
    key = catalog_key(cs)
    found = _remembered(cs, key)
    if found is not None:
        return found
    index: Index | None = None
    directory = cache_dir() if use_cache and key is not None and CACHEABLE else None
    if directory is not None and key is not None:
        path = cache_path(key, directory)
        index = _open(path, key, cs, "cache")
        if index is None and _seeded(cs, key, path):
            index = _open(path, key, cs, "seed")
        if index is None:
            from errcli.search.build import build_into  # only to build: a warm search never imports it

            if build_into(cs, key, path):
                index = _open(path, key, cs, "built")
    if index is None:  # no cache folder, not writable, or a catalog without a file
        from errcli.search.build import build

        index = Index(build(cs, key or ()), "memory")
    _remember(cs, key, index)
    return index


def _seeded(cs: CatalogSet, key: Key, path: Path) -> bool:
    """The seed's index (errcli.catalog.seed) written to ``path`` with ``key``, when ``cs`` is exactly
    the bundled catalogs the seed was made from; False otherwise."""
    from errcli.catalog import bundled_dir, catalog_files
    from errcli.catalog.seed import seed_for

    try:
        bundled = catalog_files(bundled_dir())
    except CatalogError:
        return False
    if [c.path for c in cs.catalogs] != [str(p) for p in bundled]:
        return False
    seed = seed_for(bundled)
    if seed is None:
        return False
    try:
        data = msgspec.msgpack.decode(seed.index, type=IndexData)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_bytes_atomic(path, msgspec.msgpack.encode(msgspec.structs.replace(data, key=key)), 0o600)
    except (OSError, ValueError, msgspec.DecodeError):
        return False
    return True


def _open(path: Path, key: Key, cs: CatalogSet, source: str) -> Index | None:
    """The cached index at ``path`` if it is intact and was built from exactly these catalogs."""
    data = read_cache(path)
    if data is None or not _usable(data, key):
        return None
    try:
        index = Index(data, source)
    except (ValueError, IndexError, TypeError):
        return None
    return index if index.matches(cs) else None


def _usable(data: IndexData, key: Key) -> bool:
    if data.format != INDEX_FORMAT or data.version != __version__ or tuple(map(tuple, data.key)) != key:
        return False
    if {"opencc", "pypinyin"} <= set(data.features):
        return True
    # built while OpenCC or pypinyin was missing, and now they are installed: rebuild
    return set(data.features) >= set(_features_now())
