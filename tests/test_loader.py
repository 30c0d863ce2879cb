"""The loader: safe YAML, typed validation, file:line errors, user catalogs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest
from conftest import ROOT, process_env, run

from errcli.catalog import CatalogSet, load_all, load_file, user_paths
from errcli.errors import CatalogError

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
            10,  # the unknown key itself
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

    from errcli.catalog import bundled_dir
    from errcli.catalog.loader import load_plain

    assert load_plain(EDGE_YAML, "edge.yaml") == yaml.safe_load(EDGE_YAML)
    for path in bundled_dir().glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert load_plain(text, str(path)) == yaml.safe_load(text), path.name


def test_unhashable_key_is_refused(tmp_path: Path) -> None:
    error = error_of(write(tmp_path, "id: x\n? [a, b]\n: value\nentries: []\n"))
    assert "keys must be plain" in str(error)


# --- derived severity: a number is an HTTP status only when it is one ----------------------------------

PAYMENTS = """\
id: pay
name: {en: Payments}
entries:
  - code: 0
    title: {en: Success}
  - code: 1001
    title: {en: Card declined}
  - code: 404
    title: {en: Card not found}
  - code: 5001
    title: {en: Gateway timeout}
  - code: 502
    http_status: 502
    title: {en: Acquirer unreachable}
  - code: CARD_EXPIRED
    http_status: 402
    title: {en: Card expired}
  - code: MAINTENANCE
    http_status: 503
    title: {en: Down for maintenance}
"""


def _severities(*args: str) -> dict[object, tuple[str, str]]:
    result = run("list", *args, "--json")
    assert result.exit_code == 0, result.output
    return {e["code"]: (e["severity"], e["severity_source"]) for e in json.loads(result.stdout)["entries"]}


def test_derived_severity_reads_numbers_as_http_statuses_only_when_they_are(tmp_path: Path) -> None:
    path = write(tmp_path, PAYMENTS, name="pay.yaml")
    found = _severities("--catalog-path", str(path), "-c", "pay")
    assert found == {
        0: ("info", "derived"),
        1001: ("warning", "derived"),  # an API's own number, not HTTP 1001
        404: ("warning", "derived"),
        5001: ("warning", "derived"),  # not a 5xx status
        502: ("critical", "derived"),  # http_status says it is one
        "CARD_EXPIRED": ("warning", "derived"),
        "MAINTENANCE": ("critical", "derived"),
    }
    card = run("--catalog-path", str(path), "pay:1001", "--json")
    assert card.exit_code == 0, card.output
    assert json.loads(card.stdout)["matches"][0]["severity"] == "warning"


def test_derived_severity_of_an_http_catalog_reads_its_codes_as_statuses(tmp_path: Path) -> None:
    text = PAYMENTS.replace("id: pay", "id: http")
    path = write(tmp_path, text, name="http.yaml")
    found = _severities("--catalog-path", str(path), "-c", "http")
    assert found[404] == ("warning", "derived")
    assert found[502] == ("critical", "derived")
    assert found[5001] == ("warning", "derived")  # no HTTP status has four digits
    assert found[1001] == ("warning", "derived")


def test_bundled_http_severities_follow_the_derived_rule(bundled: CatalogSet) -> None:
    """The http catalog writes its severities out; they are the loader's rule for a status."""
    from errcli.catalog import derived_severity, status_severity

    catalog = bundled.get("http")
    assert catalog is not None
    for entry in catalog.entries:
        assert entry.http_status == entry.code
        assert isinstance(entry.code, int)
        assert entry.severity == status_severity(entry.code), entry.code
        assert entry.severity == derived_severity(msgspec.structs.replace(entry, severity=None)), entry.code


# --- catalogs named on the command line must load; found ones are warnings ------------------------------


def test_missing_catalog_path_is_an_error_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "nonexistent"
    for args in (["--catalog-path", str(missing), "1001"], ["lookup", "--catalog-path", str(missing), "1001"]):
        result = run(*args)
        assert result.exit_code == 2, result.output
        assert str(missing) in result.stderr
        assert "no such file or folder" in result.stderr
        assert "--catalog-path" in result.stderr  # what to do next
        assert result.stdout == ""
        assert "Traceback" not in result.output


def test_broken_catalog_path_is_an_error_naming_file_and_line(tmp_path: Path) -> None:
    broken = write(tmp_path, GOOD.replace("severity: warning", "severity: fatal"), name="broken.yaml")
    for command in (["lookup"], ["search"], ["list"], ["explain"]):
        stdin = '{"code": 1001}' if command == ["explain"] else None
        words = [] if command in (["list"], ["explain"]) else ["1001"]
        result = run(*command, "--catalog-path", str(broken), *words, stdin=stdin)
        assert result.exit_code == 2, (command, result.output)
        assert f"{broken}:9:" in result.stderr
        assert "errcode validate" in result.stderr
        assert "Traceback" not in result.output


def test_catalogs_found_through_the_environment_stay_warnings(tmp_path: Path) -> None:
    missing = tmp_path / "nonexistent"
    broken = write(tmp_path, "id: broken\nentries: [\n", name="broken.yaml")
    result = run("1001", "--brief", env={"ERRCODE_PATH": os.pathsep.join([str(missing), str(broken)])})
    assert result.exit_code == 0, result.output
    assert "market-data:1001" in result.stdout
    assert f"skipped catalog {missing}: no such file or folder" in result.stderr
    assert f"skipped catalog {broken}:" in result.stderr

    folder = tmp_path / "config" / "errcode" / "catalogs"
    folder.mkdir(parents=True)
    write(folder, "id: broken\nentries: [\n", name="broken.yaml")
    result = run("1001", "--brief")
    assert result.exit_code == 0, result.output
    assert f"skipped catalog {folder / 'broken.yaml'}:" in result.stderr


# --- validate: folders, and every problem of a file --------------------------------------------------------

MANY_PROBLEMS = """\
id: many
name: {en: Many problems}
colour: red
categories:
  - {id: funds, title: {en: Funds}}
entries:
  - code: 1001
    title: {en: Insufficient funds}
    severity: fatal
  - code: 1002
    category: nope
    title: {en: Frozen}
  - code: 1001
    title: {en: Again}
  - code: 1003
  - code: 1004
    http_status: 4290
    title: {en: Limit}
  - code: 1005
    title: {en: Fine}
    retryable: sometimes
    colour: blue
"""


def test_validate_reports_every_problem_of_a_file(tmp_path: Path) -> None:
    path = write(tmp_path, MANY_PROBLEMS, name="many.yaml")
    result = run("validate", str(path))
    assert result.exit_code == 2, result.output
    lines = result.stdout.splitlines()
    wanted = [
        (3, "unknown field `colour`"),
        (9, "entries[0].severity"),
        (11, "unknown category 'nope'"),
        (13, "duplicate code 1001"),
        (15, "missing required field `title`"),
        (16, "is not an HTTP status"),
        (21, "entries[5].retryable"),
        (22, "unknown field `colour`"),
    ]
    for line, words in wanted:
        assert any(x.startswith(f"{path}:{line}:") and words in x for x in lines), (line, words, result.stdout)
    assert "Traceback" not in result.output
    as_json = json.loads(run("validate", str(path), "--json").stdout)
    (report,) = as_json["files"]
    assert report["valid"] is False
    assert len(report["errors"]) == len(wanted)
    assert report["error"] == report["errors"][0]


def test_validate_checks_every_catalog_in_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "catalogs"
    folder.mkdir()
    good = write(folder, GOOD, name="good.yaml")
    other = write(folder, GOOD.replace("id: demo", "id: other"), name="other.yml")
    (folder / "notes.txt").write_text("not a catalog\n", encoding="utf-8")
    ok = run("validate", str(folder))
    assert ok.exit_code == 0, ok.output
    assert ok.stdout == f"{good}: ok, 2 entries\n{other}: ok, 2 entries\n"

    bad = write(folder, GOOD.replace("severity: warning", "severity: fatal"), name="bad.yaml")
    failed = run("validate", str(folder))
    assert failed.exit_code == 2, failed.output
    assert f"{bad}:9:" in failed.stdout
    assert f"{good}: ok, 2 entries" in failed.stdout
    assert f"{other}: ok, 2 entries" in failed.stdout

    empty = tmp_path / "empty"
    empty.mkdir()
    nothing = run("validate", str(empty))
    assert nothing.exit_code == 2, nothing.output
    assert f"{empty}: no catalog files" in nothing.stdout
    assert "Traceback" not in nothing.output


def test_unreadable_folder_is_reported_not_a_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    real_iterdir = Path.iterdir

    def iterdir(self: Path) -> Iterator[Path]:
        if self == folder:
            raise PermissionError(13, "Permission denied")
        return real_iterdir(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    cs = load_all([str(folder)], environ={}, use_cache=False)
    assert [p.path for p in cs.problems] == [str(folder)]
    with pytest.raises(CatalogError, match="cannot read"):
        load_all([str(folder)], environ={}, use_cache=False, strict=True)
    result = run("--catalog-path", str(folder), "1001")
    assert result.exit_code == 2, result.output
    assert f"{folder}: cannot read the folder: Permission denied" in result.stderr


# --- what is not a regular file: an error naming it, or skipped in a folder; never a hang --------------


def errcode_process(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The command as a whole process, given 30 s: reading a FIFO or /dev/zero must not block or run on."""
    clean = process_env(tmp_path, env)
    return subprocess.run(
        [sys.executable, "-m", "errcli", *args], env=clean, capture_output=True, text=True, timeout=30, check=False
    )


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_named_as_a_catalog_is_an_error_naming_it(tmp_path: Path, device: str) -> None:
    if not Path(device).exists():
        pytest.skip(f"no {device} here")
    looked_up = errcode_process(tmp_path, "--catalog-path", device, "1001")
    assert looked_up.returncode == 2, looked_up
    assert device in looked_up.stderr
    assert "not a regular file" in looked_up.stderr
    assert "Traceback" not in looked_up.stderr
    validated = errcode_process(tmp_path, "validate", device)
    assert validated.returncode == 2, validated
    assert f"{device}: " in validated.stdout
    assert "not a regular file" in validated.stdout


def test_a_fifo_named_as_a_catalog_is_an_error_naming_it(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    looked_up = errcode_process(tmp_path, "--catalog-path", str(fifo), "1001")
    assert looked_up.returncode == 2, looked_up
    assert f"{fifo}: " in looked_up.stderr
    assert "not a regular file" in looked_up.stderr
    validated = errcode_process(tmp_path, "validate", str(fifo))
    assert validated.returncode == 2, validated
    assert f"{fifo}: " in validated.stdout


def test_a_fifo_in_errcode_path_is_skipped_with_a_warning(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    result = errcode_process(tmp_path, "1001", "--brief", env={"ERRCODE_PATH": str(fifo)})
    assert result.returncode == 0, result
    assert "market-data:1001" in result.stdout
    assert f"skipped catalog {fifo}:" in result.stderr


def test_a_fifo_or_device_link_in_a_catalog_folder_is_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "catalogs"
    folder.mkdir()
    good = write(folder, GOOD, name="good.yaml")
    os.mkfifo(folder / "pipe.yaml")
    (folder / "zero.yaml").symlink_to("/dev/zero")
    looked_up = errcode_process(tmp_path, "--catalog-path", str(folder), "demo:1001", "--brief")
    assert looked_up.returncode == 0, looked_up
    assert "demo:1001" in looked_up.stdout
    validated = errcode_process(tmp_path, "validate", str(folder))
    assert validated.returncode == 0, validated
    assert validated.stdout == f"{good}: ok, 2 entries\n"


def test_oversized_catalog_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errcli.catalog.loader

    monkeypatch.setattr(errcli.catalog.loader, "MAX_CATALOG_BYTES", 100)
    error = error_of(write(tmp_path, GOOD))
    assert "limited to 100 bytes" in str(error)


# --- entries become structs while the file is read ---------------------------------------------


def test_entries_read_one_by_one_give_the_catalog_the_whole_tree_gives() -> None:
    """parse_catalog turns each entry into a struct as soon as it is read (a big file's tree is never
    held whole); the catalog is the one converting the whole tree gives."""
    from errcli.catalog.loader import load_plain
    from errcli.catalog.validate import parse_catalog
    from errcli.model import Catalog

    for path in sorted((ROOT / "data" / "catalogs").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        whole = msgspec.convert(load_plain(text, str(path)), Catalog, strict=True)
        read = parse_catalog(text, str(path))
        assert len(read.entries) == len(whole.entries)
        assert [e.code for e in read.entries] == [e.code for e in whole.entries]
        assert [e.title for e in read.entries] == [e.title for e in whole.entries]


def test_a_bad_entry_among_good_ones_is_reported_with_its_line_and_duplicates_still_found(tmp_path: Path) -> None:
    path = tmp_path / "mix.yaml"
    path.write_text(
        "id: mix\nname: {en: Mix}\nentries:\n"
        "  - code: 1\n    title: {en: one}\n"
        "  - code: 2\n    title: {en: two}\n    severity: loud\n"  # invalid: stays a mapping
        "  - code: 1\n    title: {en: one again}\n",  # a duplicate of a converted entry
        encoding="utf-8",
    )
    with pytest.raises(CatalogError) as caught:
        load_file(path)
    problems = [str(p) for p in caught.value.problems]
    assert any("severity" in p and ":8" in p for p in problems), problems
    assert any("duplicate" in p.lower() and "1" in p for p in problems), problems


# --- a big file, read by two processes -----------------------------------------------------------


def _many(count: int, middle: str = "", after: str = "", newline: str = "\n") -> str:
    """A catalog of ``count`` entries, with ``middle`` written among them half-way and ``after`` at the end."""
    items = [
        f"  - code: E{i}\n    title: {{en: Problem {i}, zh: 问题{i}}}\n"
        + ("    description:\n      en: |\n        - code: inside a block\n        two lines\n" if i % 7 == 0 else "")
        + ("    # a comment\n" if i % 5 == 0 else "")
        for i in range(count)
    ]
    items.insert(count // 2, middle)
    text = "# demo\nid: many\nname: {en: Many, zh: 很多}\nentries:\n\n" + "".join(items) + after
    return text.replace("\n", newline)


def _outcome(text: str) -> object:
    from errcli.catalog.validate import parse_catalog

    try:
        return parse_catalog(text, "many.yaml")
    except CatalogError as exc:
        return [str(p) for p in exc.problems]


def _both_ways(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object, list[bool]]:
    """The file read whole, then in halves where it can be: both outcomes, and whether the halves were used."""
    from errcli.catalog import validate

    with monkeypatch.context() as whole:
        whole.setattr(validate, "SPLIT_MIN", 10**12)
        expected = _outcome(text)
    used: list[bool] = []
    real = validate._read_halves

    def read_halves(*args: object) -> object:
        found = real(*args)  # type: ignore[arg-type]
        used.append(found is not None)
        return found

    monkeypatch.setattr(validate, "SPLIT_MIN", 0)
    monkeypatch.setattr(validate, "_read_halves", read_halves)
    return expected, _outcome(text), used


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_big_file_read_in_halves_is_the_file_read_whole(newline: str, monkeypatch: pytest.MonkeyPatch) -> None:
    expected, found, used = _both_ways(_many(400, newline=newline), monkeypatch)
    assert used == [True]
    assert found == expected
    assert len(found.entries) == 400  # type: ignore[attr-defined]
    assert [e.code for e in found.entries] == [f"E{i}" for i in range(400)]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("middle", "after"),
    [
        ('  - code: Q\n    title: {en: "a quoted title\n' + "  - code: that goes on\n" * 90 + '  to the end"}\n', ""),
        ("  - code: S\n    title: {en: 'single-quoted\n" + "  - code: that goes on\n" * 90 + "  to the end'}\n", ""),
        ("", "categories: []\n"),  # a top-level key after the entries
        ("", "  - &a {code: A1, title: {en: anchored}}\n  - *a\n"),
        ("", "  - code: H\n    http_status: 123456789012345678901234567890\n    title: {en: huge}\n"),
        ("  - code: H\n    http_status: 123456789012345678901234567890\n    title: {en: huge}\n", ""),
        ("", "  - code: E3\n    title: {en: the same code twice}\n"),
        ("", "  - code: BAD\n    severity: fatal\n    title: {en: an unknown severity}\n"),
        ("", "  - code: T\n    title: !!str {en: tagged}\n"),
        ("", "---\nid: second\n"),
        ("", "  - code: D\n    title: {en: one}\n    title: {en: twice}\n"),
        ("entries:\n  - code: AGAIN\n    title: {en: entries twice}\n", ""),
    ],
    ids=[
        "quoted scalar across the cut",
        "single-quoted scalar across the cut",
        "key after the entries",
        "alias",
        "huge number",
        "huge number in the first half",
        "duplicate code",
        "invalid entry",
        "tag",
        "second document",
        "duplicate key",
        "entries twice",
    ],
)
def test_a_file_read_in_halves_has_the_outcome_and_lines_of_the_file_read_whole(
    middle: str, after: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected, found, used = _both_ways(_many(60, middle, after), monkeypatch)
    assert found == expected
    # the halves are never used where reading them differs from the whole
    assert used == ([True] if "E3" in after else [] if middle.startswith("entries") else [False])


def test_only_a_block_entries_list_is_cut() -> None:
    from errcli.catalog.loader import halves

    first, second = halves(_many(10)) or ("", "")
    assert first.endswith("\n")
    assert first.count("  - code: E") == 5
    assert second.startswith("entries:\n  - code: E5\n")
    assert halves("id: x\nentries: [{code: 1, title: {en: x}}]\n") is None
    assert halves("id: x\nentries:\n- code: 1\n  title: {en: x}\n- code: 2\n  title: {en: y}\n") is None
    assert halves(_many(10).replace("entries:\n", "notes: see below\nentries:\n  # the list\n")) is not None
