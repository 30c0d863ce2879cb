"""The README's usage and example sections are the real commands' output."""

from __future__ import annotations

import re

from readme_sections import README, SECTION, render


def test_readme_sections_are_current() -> None:
    text = README.read_text(encoding="utf-8")
    assert len(SECTION.findall(text)) >= 5
    assert render(text) == text, "README is stale: run `python tests/readme_sections.py`"


def test_readme_documents_every_command_and_exit_code() -> None:
    text = README.read_text(encoding="utf-8")
    for command in ("lookup", "search", "list", "catalogs", "validate", "completion"):
        assert f"errcode {command}" in text
    for status in ("| 0 |", "| 1 |", "| 2 |", "| 130 |"):
        assert status in text
    for variable in ("ERRCODE_LANG", "ERRCODE_PATH", "XDG_CONFIG_HOME", "NO_COLOR"):
        assert variable in text


def test_readme_setup_commands_are_marked() -> None:
    """CI runs exactly these two commands; keep their markers."""
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"<!-- setup: (\w+) -->\n```sh\n(.+?)\n```", text, re.DOTALL)
    assert [name for name, _ in blocks] == ["run", "test"]
    assert "errcode 1001" in blocks[0][1]
    assert "pytest" in blocks[1][1]
