"""Write data/tables from the installed OpenCC and pypinyin (what the search index build reads).

python tests/tables.py          # after upgrading either library; tests/test_tables.py checks them
"""

from __future__ import annotations

import sys
from importlib.metadata import version
from pathlib import Path

import msgspec

from errcli import __version__
from errcli.catalog import bundled_dir, catalog_files, seed, seed_catalogs
from errcli.search import build, tables

FOLDER = Path(__file__).resolve().parent.parent / "data" / "tables"
SEED = Path(__file__).resolve().parent.parent / "data" / "seed" / seed.NAME


def derived() -> dict[str, str]:
    """The text of each table, from the installed libraries."""
    pairs, found = tables.extract_t2s()
    table = tables.pinyin_from_library()
    if not found or table is None:
        raise SystemExit("OpenCC and pypinyin must be installed")
    t2s = [f"{pairs[i]} {pairs[i + 1]}" for i in range(0, len(pairs), 2)]
    pinyin = [f"{chr(c)} {readings}" for c, readings in table.items() if not 0xD800 <= c < 0xE000]
    return {
        "t2s.txt": _text(
            f"OpenCC {version('opencc')} (Apache-2.0): one-character Traditional -> Simplified pairs"
            " (t2s, then tw2s and hk2s for characters that are not Simplified themselves)",
            t2s,
        ),
        "pinyin.txt": _text(
            f"pypinyin {version('pypinyin')} (MIT): pinyin_dict, the readings of each character", pinyin
        ),
    }


def seed_bytes() -> bytes:
    """The seed of the bundled catalogs, as the tables in data/tables build it."""
    bundled = catalog_files(bundled_dir())
    found, compiled = seed_catalogs(bundled)
    made = seed.Seed(
        seed.FORMAT, __version__, seed.digests(bundled), seed.encode(compiled), seed.encode(build.build(found))
    )
    return msgspec.msgpack.encode(made)


def _text(header: str, lines: list[str]) -> str:
    return f"# {header}\n# written by tests/tables.py; read by errcli.search.build\n" + "\n".join(lines) + "\n"


def main() -> int:
    FOLDER.mkdir(parents=True, exist_ok=True)
    for name, text in derived().items():
        (FOLDER / name).write_text(text, encoding="utf-8")
        sys.stdout.write(f"{FOLDER / name}: {text.count(chr(10)) - 2} lines\n")
    SEED.parent.mkdir(parents=True, exist_ok=True)
    SEED.write_bytes(seed_bytes())
    sys.stdout.write(f"{SEED}: {SEED.stat().st_size} bytes\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
