"""Regenerate the README's generated sections from the real commands.

A section looks like::

    <!-- run: errcode 1001 --brief -->
    ```
    ...output...
    ```
    <!-- end -->

`python tests/readme_sections.py` rewrites them; tests/test_readme.py fails when
they are stale.
"""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

from typer.testing import CliRunner

from errcli.cli.app import app

README = Path(__file__).resolve().parent.parent / "README.md"
SECTION = re.compile(r"(<!-- run: (?P<cmd>.+?) -->\n)(?P<body>.*?)(<!-- end -->)", re.DOTALL)
ENV = {
    "COLUMNS": "100",
    "NO_COLOR": "1",
    "ERRCODE_LANG": "en",
    "ERRCODE_PATH": "",
    "XDG_CONFIG_HOME": "/nonexistent",
    "TERM": "dumb",
}


def output_of(command: str) -> str:
    argv = shlex.split(command)
    assert argv[0] == "errcode", command
    result = CliRunner().invoke(app, argv[1:], env=ENV, prog_name="errcode")
    return result.stdout


def render(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        body = output_of(match.group("cmd")).rstrip("\n")
        return f"{match.group(1)}```\n{body}\n```\n{match.group(4)}"

    return SECTION.sub(replace, text)


def main() -> int:
    text = README.read_text(encoding="utf-8")
    new = render(text)
    if new != text:
        README.write_text(new, encoding="utf-8")
        sys.stdout.write("README.md updated\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
