"""The fast lane: answer the hot invocations without importing Typer.

``errcode 1001``, ``errcode search 资金``, ``errcode --version`` and TAB
completion are most of what people type, and importing Typer costs more than
everything else together. When the arguments are a plain lookup or search with
common options, this module answers with
the same functions the full CLI uses (errcli.commands, errcli.render); for
anything else — subcommands, --help, unusual or invalid options — it hands
over to the full Typer app, so errors and help look exactly the same.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (costs start-up time)

if TYPE_CHECKING:  # kept out of start-up: every import here costs every run
    from collections.abc import Sequence
    from typing import Any

# Subcommands of the full CLI; tests/test_fast.py checks this against the Typer app.
COMMANDS = frozenset({"lookup", "search", "explain", "list", "catalogs", "validate", "completion", "cache", "import"})
_VALUE_OPTIONS = {
    "-c": "catalog",
    "--catalog": "catalog",
    "-f": "format",
    "--format": "format",
    "-l": "lang",
    "--lang": "lang",
    "--color": "color",
    "--catalog-path": "catalog_path",
}
_FLAGS = {"--json": "json", "-b": "brief", "--brief": "brief", "--no-pager": "no_pager"}
_CHOICES = {
    "format": ("table", "json", "yaml", "markdown", "plain"),
    "lang": ("zh", "en"),
    "color": ("auto", "always", "never"),
}


_SEARCH_OPTIONS = {"--limit": "limit", "-n": "limit", "--min-score": "min_score"}


def _number(key: str, value: str) -> float | None:
    """--limit is an integer ≥ 1, --min-score a number 0-100; anything else is the full CLI's to reject."""
    try:
        number = int(value) if key == "limit" else float(value)
    except ValueError:
        return None
    ok = number >= 1 if key == "limit" else 0 <= number <= 100
    return number if ok else None


def is_negative_number(arg: str) -> bool:
    """``-1021``: a code (Binance-style APIs use negative ones), not an option."""
    return len(arg) > 1 and arg[0] == "-" and arg[1:].isdigit()


def stdin_is_piped() -> bool:
    """Input waits on stdin: a pipe or a file, not a terminal, and not a closed stdin (``<&-``)."""
    try:
        return sys.stdin is not None and not sys.stdin.isatty()
    except (ValueError, OSError):
        return False


def typo_of(word: str, rest: Sequence[str] = ()) -> str | None:
    """The subcommand a word is a slip of (``explian``, ``catalog``), or None. Only a word alone
    (or before a file name) is taken for one: ``errcode catalog not found`` is a search."""
    if not (word.isascii() and word.isalpha() and word.islower()) or word in COMMANDS:
        return None
    if rest and not os.path.exists(rest[0]):  # noqa: PTH110 - pathlib costs start-up time here
        return None
    near = [c for c in COMMANDS if c[0] == word[0] and abs(len(c) - len(word)) <= 2]
    if not near:
        return None
    import difflib

    found = difflib.get_close_matches(word, near, n=1, cutoff=0.75)
    return found[0] if found else None


def quiet_closed_pipe() -> None:
    """The reader went away (``errcode list | head -1``): whatever is still buffered goes nowhere."""
    try:  # noqa: SIM105 - contextlib is one more import on the fast path
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def parse(args: Sequence[str]) -> dict[str, Any] | None:
    """Options and words of a plain lookup or search, or None when the full CLI must answer."""
    opts: dict[str, Any] = {
        "catalog": [],
        "catalog_path": [],
        "queries": [],
        "json": False,
        "brief": False,
        "no_pager": False,
    }
    search = bool(args) and args[0] == "search"
    value_options = {**_VALUE_OPTIONS, **_SEARCH_OPTIONS}  # a lookup of words searches: --limit applies
    i = 1 if search else 0
    while i < len(args):
        arg = args[i]
        name, eq, inline = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        if arg == "--":
            opts["queries"].extend(args[i + 1 :])
            break
        if name in value_options:
            if eq:
                value = inline
            elif i + 1 < len(args):
                i += 1
                value = args[i]
            else:
                return None
            key = value_options[name]
            if key in _CHOICES and value not in _CHOICES[key]:
                return None
            if key in ("catalog", "catalog_path"):
                opts[key].append(value)
            elif key in ("limit", "min_score"):
                if (number := _number(key, value)) is None:
                    return None
                opts[key] = number
            else:
                opts[key] = value
        elif arg in _FLAGS:
            opts[_FLAGS[arg]] = True
        elif arg.startswith("-") and len(arg) > 1 and not is_negative_number(arg):
            return None
        else:
            if not search and not opts["queries"] and (arg in COMMANDS or typo_of(arg, args[i + 1 :])):
                return None
            opts["queries"].append(arg)
        i += 1
    opts["search"] = search
    return opts if opts["queries"] else None


def _answer(opts: dict[str, Any]) -> int:
    from errcli.catalog import CatalogError, load_all
    from errcli.commands import lookup_or_search, report, search
    from errcli.errors import ErrcodeError
    from errcli.lookup import check_catalogs
    from errcli.render import Output, default_format, print_warnings
    from errcli.settings import default_lang

    fmt = "json" if opts["json"] else opts.get("format") or default_format()
    paged = False
    if not opts["no_pager"] and sys.stdout is not None and sys.stdout.isatty():  # a pipe imports no pager
        from errcli import pager

        paged = pager.start_pager()
    out = Output(
        format=fmt,
        lang=opts.get("lang") or default_lang(),
        color=opts.get("color") or "auto",
        brief=opts["brief"],
        paged=paged,
    )
    try:
        cs = load_all(opts["catalog_path"], strict=True)  # a named path must load, as in the full CLI
        print_warnings(cs.problems)
        limit, min_score = opts.get("limit", 10), opts.get("min_score", 0.0)
        if opts["search"]:
            only = check_catalogs(opts["catalog"], cs)
            return int(search(cs, " ".join(opts["queries"]), only, out, limit, min_score))
        return int(lookup_or_search(cs, opts["queries"], opts["catalog"], out, limit, min_score))
    except (ErrcodeError, CatalogError) as exc:
        return int(report(exc))


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["__complete"]:  # TAB in a shell: see errcli.complete
        from errcli.complete import main as complete

        sys.exit(complete(args[1:]))
    if args in (["--version"], ["-V"]):
        from errcli import __version__

        sys.stdout.write(f"errcode {__version__}\n")
        return
    opts = parse(args)
    if opts is None:
        from errcli.cli import main as full_cli

        full_cli()
        return
    try:
        status = _answer(opts)
        sys.stdout.flush()
    except KeyboardInterrupt:
        status = 130
    except BrokenPipeError:  # `errcode 4xx | head -1`: quiet, and a success, as in the full CLI
        quiet_closed_pipe()
        status = 0
    sys.exit(status)
