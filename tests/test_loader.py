"""The loader: safe YAML, typed validation, file:line errors, user catalogs."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import ROOT, run

from errcli.catalog import CatalogError, load_all, load_file, user_paths

GOOD = """\
id: demo
name: {en: Demo API}
categories:
  - {id: funds, title: {en: Funds}, range: [1000, 1999]}
entries:
  - code: 1001
    category: funds
    title: {en: Insufficient funds, zh: 资金不足}
    severity: warning
  - code: RATE_LIMITED
    http_status: 429
    title: {en: Too many requests}
"""


def write(tmp_path: Path, text: str, name: str = "demo.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def error_of(path: Path) -> CatalogError:
    with pytest.raises(CatalogError) as info:
        load_file(path)
    return info.value


def test_good_catalog_loads_and_derives_missing_values(tmp_path: Path) -> None:
    catalog = load_file(write(tmp_path, GOOD))
    assert [e.code for e in catalog.entries] == [1001, "RATE_LIMITED"]
    first, second = catalog.entries
    assert first.catalog == "demo"
    assert first.severity == "warning"
    assert first.severity_source == "documented"
    assert first.retryable is False
    assert first.retryable_source == "derived"
    assert second.severity == "warning"
    assert second.severity_source == "derived"
    assert second.retryable is True  # 429 is worth retrying after a wait


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (GOOD.replace("severity: warning", "severity: fatal"), 9, ["entries[0].severity", "info, warning, critical"]),
        (GOOD.replace("code: RATE_LIMITED", "code: 1001"), 10, ["duplicate code 1001", "line 6"]),
        (
            GOOD.replace("    title: {en: Too many requests}\n", ""),
            10,
            ["entries[1]", "missing required field `title`"],
        ),
        (GOOD + "  - just a string\n", 13, ["entries[2]", "expected a mapping"]),
        (GOOD.replace("name: {en: Demo API}", "name: !!python/object/apply:os.system ['echo hacked']"), 2, ["tag"]),
        (GOOD.replace("category: funds", "category: nope"), 7, ["unknown category 'nope'", "funds"]),
        (GOOD.replace("http_status: 429", "http_status: 4290"), 10, ["http_status", "100-599"]),
        (GOOD.replace("id: demo", "id: Demo API"), 1, ["id", "a-z0-9"]),
        (
            GOOD.replace("    severity: warning\n", "    severity: warning\n    colour: red\n"),
            6,
            ["unknown field `colour`"],
        ),
        ("entries: [\n  {code: 1\n", 3, ["not valid YAML"]),
        ("", 1, ["empty"]),
        ("- a\n- b\n", 1, ["mapping"]),
    ],
)
def test_loader_rejects_with_file_and_line(tmp_path: Path, text: str, line: int, words: list[str]) -> None:
    path = write(tmp_path, text)
    error = error_of(path)
    message = str(error)
    assert message.startswith(f"{path}:{line}:"), message
    for word in words:
        assert word in message


def test_python_tags_are_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "hacked"
    path = write(tmp_path, f"id: x\nname: !!python/object/apply:os.system ['touch {marker}']\nentries: []\n")
    error_of(path)
    assert not marker.exists()


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    lines = ["id: bomb", "name: {en: bomb}", 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [{','.join(['*a' + str(i - 1)] * 9)}]" for i in range(1, 10)]
    lines.append("entries: [*a9]")
    error = error_of(write(tmp_path, "\n".join(lines) + "\n"))
    assert "aliases" in str(error)


def test_non_utf8_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "latin.yaml"
    path.write_bytes(b"id: x\nname: {en: caf\xe9}\n")
    assert "UTF-8" in str(error_of(path))


def test_broken_user_catalog_does_not_hide_bundled(tmp_path: Path) -> None:
    write(tmp_path, "id: broken\nentries: [\n", name="broken.yaml")
    write(tmp_path, GOOD, name="good.yaml")
    cs = load_all([str(tmp_path)], environ={})
    assert {"market-data", "qaexchange", "demo"} <= set(cs.ids)
    assert len(cs.problems) == 1
    assert "broken.yaml" in cs.problems[0].error

    result = run("--catalog-path", str(tmp_path), "1001", "--brief")
    assert result.exit_code == 0
    assert "market-data:1001" in result.stdout
    assert "demo:1001" in result.stdout
    assert "broken.yaml" in result.stderr


def test_user_catalog_locations(tmp_path: Path) -> None:
    config = tmp_path / "cfg"
    (config / "errcode" / "catalogs").mkdir(parents=True)
    extra = tmp_path / "extra.yaml"
    env = {"XDG_CONFIG_HOME": str(config), "ERRCODE_PATH": os.pathsep.join([str(extra), str(tmp_path / "more")])}
    paths = user_paths(["cli.yaml"], environ=env)
    assert paths == [config / "errcode" / "catalogs", extra, tmp_path / "more", Path("cli.yaml")]


def test_user_catalog_from_environment_is_used(tmp_path: Path) -> None:
    folder = tmp_path / "config" / "errcode" / "catalogs"
    folder.mkdir(parents=True)
    write(folder, GOOD)
    result = run("demo:RATE_LIMITED", "--brief")
    assert result.exit_code == 0, result.output
    assert "demo:RATE_LIMITED" in result.stdout


def test_bundled_catalogs_load_from_any_directory(tmp_path: Path) -> None:
    code = "from errcli.catalog import load_all; print(sorted(load_all(environ={}).ids))"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, check=True
    )
    assert "market-data" in out.stdout
    assert "qaexchange" in out.stdout


def test_validate_command(tmp_path: Path) -> None:
    good = write(tmp_path, GOOD, name="good.yaml")
    bad = write(tmp_path, GOOD.replace("severity: warning", "severity: fatal"), name="bad.yaml")
    ok = run("validate", str(good))
    assert ok.exit_code == 0
    assert "ok, 2 entries" in ok.stdout
    failed = run("validate", str(good), str(bad))
    assert failed.exit_code == 2
    assert f"{bad}:9:" in failed.stdout
    missing = run("validate", str(tmp_path / "nope.yaml"))
    assert missing.exit_code == 2
    assert "cannot read" in missing.stdout
    assert "Traceback" not in missing.output


EDGE_YAML = """\
plain: text
quoted: "1001"
number: 1001
hex: 0x3E9
float: 1.5
yes_word: yes
off_word: off
nothing: ~
empty:
date: 2025-10-03
list: [1, two, "3", null]
nested: {a: [{b: c}], d: {}}
block: |
  line one
  line two
folded: >-
  folded
  text
"""


def test_event_loader_reads_yaml_as_the_safe_loader_does() -> None:
    import yaml

    from errcli.catalog import _load_plain, bundled_dir

    assert _load_plain(EDGE_YAML, "edge.yaml") == yaml.safe_load(EDGE_YAML)
    for path in bundled_dir().glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert _load_plain(text, str(path)) == yaml.safe_load(text), path.name


def test_unhashable_key_is_refused(tmp_path: Path) -> None:
    error = error_of(write(tmp_path, "id: x\n? [a, b]\n: value\nentries: []\n"))
    assert "keys must be plain" in str(error)


def test_oversized_catalog_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errcli.catalog

    monkeypatch.setattr(errcli.catalog, "MAX_CATALOG_BYTES", 100)
    error = error_of(write(tmp_path, GOOD))
    assert "limited to 100 bytes" in str(error)
