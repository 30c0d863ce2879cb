"""The command line: options → core call → render. Nothing else lives here."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from typer._click import Context as ClickContext
from typer.core import TyperCommand, TyperGroup

from errcli import __version__
from errcli.catalog import CatalogError, CatalogSet, check_files, load_all
from errcli.commands import explain, lookup_or_search, open_input, report, search
from errcli.errors import ErrcodeError, ExitCode
from errcli.fast import is_negative_number, quiet_closed_pipe, stdin_is_piped, typo_of
from errcli.lookup import check_catalogs
from errcli.model import Lang
from errcli.render import (
    Format,
    Output,
    default_format,
    print_cache,
    print_catalogs,
    print_import,
    print_list,
    print_problem,
    print_validate,
    print_warnings,
)
from errcli.settings import default_lang

PROG = "errcode"
F = TypeVar("F", bound=Callable[..., Any])


class FormatChoice(str, Enum):
    table = "table"
    json = "json"
    yaml = "yaml"
    markdown = "markdown"
    plain = "plain"


class LangChoice(str, Enum):
    zh = "zh"
    en = "en"


class ColorChoice(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


class SeverityChoice(str, Enum):
    info = "info"
    warning = "warning"
    critical = "critical"


class ShellChoice(str, Enum):
    bash = "bash"
    zsh = "zsh"
    fish = "fish"
    powershell = "powershell"


def _complete_catalog(incomplete: str) -> list[str]:
    try:
        ids = load_all().ids
    except (CatalogError, OSError):  # completion must never print an error into the prompt
        return []
    return [i for i in ids if i.startswith(incomplete)]


# Options shared by every command, defined once.
CatalogOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--catalog", "-c", help="Only this catalog (repeatable).", metavar="ID", autocompletion=_complete_catalog
    ),
]
FormatOpt = Annotated[
    FormatChoice | None,
    typer.Option(
        "--format",
        "-f",
        help="table, json, yaml, markdown or plain [default: table on a terminal, plain when piped].",
        metavar="FORMAT",
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Shortcut for --format json.")]
LangOpt = Annotated[
    LangChoice | None,
    typer.Option("--lang", "-l", help="zh or en [default: $ERRCODE_LANG, then $LANG].", metavar="LANG"),
]
ColorOpt = Annotated[
    ColorChoice,
    typer.Option(
        "--color", help="Colour: auto, always or never (NO_COLOR is honoured).", metavar="WHEN", show_default=False
    ),
]
BriefOpt = Annotated[bool, typer.Option("--brief", "-b", help="One line per entry.")]
LimitOpt = Annotated[int, typer.Option("--limit", "-n", min=1, help="Show at most N results.", metavar="N")]
MinScoreOpt = Annotated[
    float, typer.Option("--min-score", min=0, max=100, help="Drop results below SCORE (0-100).", metavar="SCORE")
]
NoPagerOpt = Annotated[bool, typer.Option("--no-pager", help="Print long output at once (also ERRCODE_PAGER=).")]
CatalogPathOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--catalog-path", help="Extra catalog file or folder (repeatable; also $ERRCODE_PATH).", metavar="PATH"
    ),
]


_HELP_TYPES = re.compile(r" <(?:list\[\w+\]|str|int|float|path|int range|float range)>")
_HELP_RANGES = re.compile(r"(?:; |\[)(?:x[<>]=[\d.]+|[\d.]+<=x<=[\d.]+)(?=[;\]])")
_PYDANTIC = (
    (re.compile(r"^Value error, "), ""),
    (re.compile(r"^Input should be greater than or equal to (\S+)$"), r"must be \1 or more"),
    (re.compile(r"^Input should be less than or equal to (\S+)$"), r"must be \1 or less"),
    (re.compile(r"^Input should be a valid integer.*$"), "must be a whole number"),
    (re.compile(r"^Input should be a valid number.*$"), "must be a number"),
    (re.compile(r"^Input should be "), "must be "),
)


def _humane_help(text: str) -> str:
    """Help as a person writes it: no Python types, no ``x>=1`` ranges."""
    text = _HELP_TYPES.sub("", text)
    return _HELP_RANGES.sub(lambda m: "[" if m.group(0).startswith("[") else "", text).replace("[]", "").rstrip()


def _humane_error(message: str) -> str:
    for pattern, replacement in _PYDANTIC:
        message = pattern.sub(replacement, message)
    return message


class ErrcodeCommand(TyperCommand):
    """A command whose help and usage line read like a person wrote them."""

    def collect_usage_pieces(self, ctx: ClickContext) -> list[str]:
        pieces = super().collect_usage_pieces(ctx)
        return [re.sub(r"^\{(.+?)\}(?:\.\.\.)?$|^\[(\[.+\])\]$", lambda m: m.group(1) or m.group(2), p) for p in pieces]

    def format_options(self, ctx: ClickContext, formatter: Any) -> None:
        args: list[tuple[str, str]] = []
        opts: list[tuple[str, str]] = []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is not None:
                cleaned = (_humane_help(record[0]), _humane_help(record[1]))
                (args if param.param_type_name == "argument" else opts).append(cleaned)
        for title, records in (("Arguments", args), ("Options", opts)):
            if records:
                with formatter.section(title):
                    formatter.write_dl(records)


def _negatives_last(args: list[str], takes_value: set[str]) -> list[str]:
    """``lookup -1021``: a negative number is a code, not an option; it goes after ``--``."""
    kept: list[str] = []
    codes: list[str] = []
    skip = False
    for i, arg in enumerate(args):
        if skip:
            skip = False
            kept.append(arg)
        elif arg == "--":
            return [*kept, "--", *codes, *args[i + 1 :]]
        elif i > 0 and is_negative_number(arg):
            codes.append(arg)
        else:
            skip = arg in takes_value
            kept.append(arg)
    return [*kept, "--", *codes] if codes else kept


class ErrcodeGroup(TyperGroup):
    """``errcode QUERY`` means ``errcode lookup QUERY``, ``… | errcode [OPTIONS]`` means ``explain``;
    user errors become one-line messages."""

    _root_only = frozenset({"-h", "--help", "--version", "-V"})

    def parse_args(self, ctx: ClickContext, args: list[str]) -> list[str]:
        args = list(args)
        if "--debug" in args:
            args.remove("--debug")
            ctx.meta["errcode.debug"] = True
        takes_value = self._value_options()
        if not args and stdin_is_piped() and "explain" in self.commands:
            args = ["explain"]
        elif args and args[0] not in self._root_only:
            first = self._first_positional(args, takes_value)
            if first is not None and args[first] in self.commands:
                args.insert(0, args.pop(first))
            elif first is None and not self._root_only.intersection(args) and stdin_is_piped():
                args.insert(0, "explain")  # options only, and a pipe: `cat app.log | errcode --summary`
            elif first is not None or not self._root_only.intersection(args):
                if first is not None and (command := typo_of(args[first], args[first + 1 :])) is not None:
                    print_problem(
                        f"unknown command {args[first]!r}: did you mean `{command}`?",
                        f"`errcode {command} --help` shows how to use it; "
                        f"`errcode search {args[first]}` searches for the word",
                    )
                    ctx.exit(int(ExitCode.NOT_FOUND))
                args.insert(0, "lookup")
        if args and args[0] == "lookup":
            args = _negatives_last(args, takes_value)
        return super().parse_args(ctx, args)

    def _value_options(self) -> set[str]:
        """Every option that takes a value (its value is no positional argument)."""
        return {
            name
            for command in self.commands.values()
            for param in command.params
            if isinstance(param, typer.core.TyperOption) and not param.is_flag and not param.count
            for name in param.opts
        }

    @staticmethod
    def _first_positional(args: list[str], takes_value: set[str]) -> int | None:
        skip = False
        for i, arg in enumerate(args):
            if skip:
                skip = False
            elif arg == "--":
                return i + 1 if i + 1 < len(args) else None
            elif arg.startswith("-") and len(arg) > 1 and not is_negative_number(arg):
                skip = arg in takes_value
            else:
                return i
        return None

    def invoke(self, ctx: ClickContext) -> Any:
        try:
            result = super().invoke(ctx)
        except (ErrcodeError, CatalogError) as exc:
            if ctx.meta.get("errcode.debug"):
                raise
            ctx.exit(int(report(exc)))
        except BrokenPipeError:  # the reader went away (`errcode list | head -1`): quiet, and a success
            quiet_closed_pipe()
            ctx.exit(0)
        if isinstance(result, int) and result:
            ctx.exit(int(result))
        return result

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Click's own loop, with its messages made plain and a closed pipe made quiet (exit 0)."""
        from typer._click.exceptions import BadParameter, ClickException
        from typer.exceptions import Abort

        kwargs["standalone_mode"] = False
        try:
            status = super().main(*args, **kwargs)  # ctx.exit(N) and Ctrl-C (130) come back as N
            sys.stdout.flush()
        except BrokenPipeError:  # at the last flush; while a command runs, invoke() has it
            quiet_closed_pipe()
            status = 0
        except ClickException as exc:
            if isinstance(exc, BadParameter):
                exc.message = _humane_error(exc.message)
            exc.show()
            status = exc.exit_code
        except Abort:  # end of input where Click reads it
            sys.stderr.write("\n")
            status = ExitCode.INTERRUPTED
        sys.exit(int(status) if isinstance(status, int) else 0)


app = typer.Typer(
    cls=ErrcodeGroup,
    name=PROG,
    help=(
        "Explain API error codes offline: market-data, QAExchange, ZTDX and HTTP.\n\n"
        "\b\nExamples:\n"
        "  errcode 1001                   every catalog's meaning of 1001\n"
        "  errcode ztdx:INVALID_AMOUNT    one catalog's code\n"
        "  errcode search 资金            fuzzy search (zh/en/pinyin)\n"
        "  errcode list -c qaexchange --severity critical\n"
        "  errcode 429 --json             machine-readable output\n"
        "  errcode COMMAND --help         more about each command"
    ),
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def command(name: str, **settings: Any) -> Callable[[F], F]:
    """A subcommand of the app (its help written by ErrcodeCommand)."""
    decorate: Callable[[F], F] = app.command(name, cls=ErrcodeCommand, **settings)
    return decorate


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"{PROG} {__version__}\n")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool, typer.Option("--version", "-V", help="Show the version and exit.", callback=_version, is_eager=True)
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show the Python traceback of an unexpected error.")] = False,
) -> None:
    """Explain API error codes offline."""


def _output(
    fmt: FormatChoice | None,
    as_json: bool,
    lang: LangChoice | None,
    color: ColorChoice,
    brief: bool = False,
    page: bool = False,
) -> Output:
    from errcli import pager

    chosen: Format = "json" if as_json else fmt.value if fmt else default_format()
    language: Lang = lang.value if lang else default_lang()
    paged = pager.start_pager(no_pager=not page)
    return Output(format=chosen, lang=language, color=color.value, brief=brief, paged=paged)


def _load(catalog_path: Sequence[Path] | None) -> CatalogSet:
    cs = load_all((str(p) for p in catalog_path or ()), strict=True)  # a named path must load
    print_warnings(cs.problems)
    return cs


@command(
    "lookup",
    short_help="Look up codes (the default: `errcode 1001`).",
    help="Look up codes. This is the default command: `errcode 1001` = `errcode lookup 1001`. "
    "Every catalog that defines a code is shown; words that are no code are searched.",
    epilog=(
        "\b\nExamples:\n"
        "  errcode 1001                  every catalog's 1001\n"
        "  errcode qaexchange:1001       one catalog's 1001\n"
        "  errcode INSUFFICIENT_BALANCE  a symbol (any case: insufficient-balance)\n"
        "  errcode 429                   an HTTP status and every entry returned with it\n"
        "  errcode 0x3E9 3xxx            hex, a range\n"
        "  errcode 1001 2002 --brief     several codes, one line each"
    ),
)
def lookup_cmd(
    query: Annotated[
        list[str],
        typer.Argument(
            help="Codes, symbols, catalog:code, HTTP statuses, ranges (3xxx), or words.", metavar="QUERY..."
        ),
    ],
    catalog: CatalogOpt = None,
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
    lang: LangOpt = None,
    color: ColorOpt = ColorChoice.auto,
    brief: BriefOpt = False,
    catalog_path: CatalogPathOpt = None,
    limit: LimitOpt = 10,
    min_score: MinScoreOpt = 0.0,
    no_pager: NoPagerOpt = False,
) -> ExitCode:
    out = _output(fmt, as_json, lang, color, brief, page=not no_pager)
    return lookup_or_search(_load(catalog_path), query, catalog or (), out, limit, min_score)


@command(
    "search",
    short_help="Fuzzy search by words.",
    help="Fuzzy search by words: Chinese (Simplified or Traditional), English, pinyin, typos.",
    epilog=(
        "\b\nExamples:\n"
        "  errcode search 资金\n"
        "  errcode search insufficient balance --limit 3\n"
        "  errcode search 訂閱 -c market-data --json"
    ),
)
def search_cmd(
    text: Annotated[list[str], typer.Argument(help="Words to look for.", metavar="TEXT...")],
    limit: LimitOpt = 10,
    min_score: MinScoreOpt = 0.0,
    catalog: CatalogOpt = None,
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
    lang: LangOpt = None,
    color: ColorOpt = ColorChoice.auto,
    brief: BriefOpt = False,
    catalog_path: CatalogPathOpt = None,
    no_pager: NoPagerOpt = False,
) -> ExitCode:
    out = _output(fmt, as_json, lang, color, brief, page=not no_pager)
    cs = _load(catalog_path)
    return search(cs, " ".join(text), check_catalogs(catalog or (), cs), out, limit, min_score)


@command(
    "explain",
    short_help="Explain error responses: JSON, NDJSON, logs, curl -i.",
    help=(
        "Explain the error responses in INPUT (a file, - for stdin, or a response given as the argument; "
        "stdin when omitted): which API, which error, and what to do. Reads JSON documents, JSON Lines, "
        "concatenated JSON, `curl -i` output and log lines with JSON in them, line by line in constant memory."
    ),
    epilog=(
        "\b\nExamples:\n"
        "  curl -si https://api.example.com/v1/orders | errcode explain\n"
        '  errcode explain \'{"code": 1001, "message": "Invalid or expired token"}\'\n'
        "  errcode explain app.log --summary\n"
        "  tail -f app.log | errcode explain --brief"
    ),
)
def explain_cmd(
    source: Annotated[
        str | None, typer.Argument(help="A file, - for stdin, or a JSON response.", metavar="[INPUT]")
    ] = None,
    summary: Annotated[bool, typer.Option("--summary", help="A table of the errors found, with counts.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List the lines that could not be parsed.")] = False,
    catalog: CatalogOpt = None,
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
    lang: LangOpt = None,
    color: ColorOpt = ColorChoice.auto,
    brief: BriefOpt = False,
    catalog_path: CatalogPathOpt = None,
    no_pager: NoPagerOpt = False,
) -> ExitCode:
    out = _output(fmt, as_json, lang, color, brief, page=not no_pager and source not in (None, "-"))
    cs = _load(catalog_path)
    return explain(cs, open_input(source), catalog or (), out, summary=summary, verbose=verbose)


@command(
    "list",
    help="List entries, filtered.",
    epilog=(
        "\b\nExamples:\n"
        "  errcode list -c ztdx --http 4xx\n"
        "  errcode list --severity critical --retryable\n"
        "  errcode list -c qaexchange --category 风控 --json"
    ),
)
def list_cmd(
    category: Annotated[str | None, typer.Option("--category", help="Category id or words of its title.")] = None,
    severity: Annotated[SeverityChoice | None, typer.Option("--severity", "-s", help="Only this severity.")] = None,
    retryable: Annotated[
        bool | None, typer.Option("--retryable/--not-retryable", help="Only (not) retryable entries.")
    ] = None,
    http: Annotated[str | None, typer.Option("--http", help="HTTP status or class: 429, 4xx.")] = None,
    catalog: CatalogOpt = None,
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
    lang: LangOpt = None,
    color: ColorOpt = ColorChoice.auto,
    brief: BriefOpt = False,
    catalog_path: CatalogPathOpt = None,
    no_pager: NoPagerOpt = False,
) -> ExitCode:
    from errcli.listing import filter_entries

    out = _output(fmt, as_json, lang, color, brief, page=not no_pager)
    cs = _load(catalog_path)
    entries = filter_entries(
        cs,
        catalogs=check_catalogs(catalog or (), cs),
        category=category,
        severity=severity.value if severity else None,
        retryable=retryable,
        http=http,
    )
    print_list(entries, cs, out)
    if not entries:
        print_problem("no entries match these filters", "drop a filter, or see `errcode catalogs`")
        return ExitCode.NOT_FOUND
    return ExitCode.OK


@command(
    "catalogs",
    short_help="Show the loaded catalogs.",
    help="Show the loaded catalogs: entries, version, source, and where each was loaded from.",
)
def catalogs_cmd(
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
    lang: LangOpt = None,
    color: ColorOpt = ColorChoice.auto,
    catalog_path: CatalogPathOpt = None,
    no_pager: NoPagerOpt = False,
) -> ExitCode:
    out = _output(fmt, as_json, lang, color, page=not no_pager)
    cs = load_all(str(p) for p in catalog_path or ())
    print_catalogs(cs, out)
    return ExitCode.OK


@command(
    "validate",
    help="Check catalog files without installing them.",
    epilog="Example: errcode validate myapi.yaml",
)
def validate_cmd(
    files: Annotated[list[Path], typer.Argument(help="Catalog YAML files, or folders of them.", metavar="FILE...")],
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
    color: ColorOpt = ColorChoice.auto,
) -> ExitCode:
    out = _output(fmt, as_json, None, color)
    report = check_files(files)
    print_validate(report, out)
    return ExitCode.USAGE if any(errors for _, errors, _ in report) else ExitCode.OK


@command(
    "completion",
    help="Print the shell completion script.",
    epilog=(
        "\b\nInstall with one line in the shell's startup file (always the current version):\n"
        "  bash, in ~/.bashrc:                    source <(errcode completion bash)\n"
        "  zsh, in ~/.zshrc after compinit:       source <(errcode completion zsh)\n"
        "  fish, in ~/.config/fish/config.fish:   errcode completion fish | source\n"
        "\b\nor as a file:\n"
        "  bash: mkdir -p ~/.local/share/bash-completion/completions &&\n"
        "          errcode completion bash > ~/.local/share/bash-completion/completions/errcode\n"
        "  zsh:  mkdir -p ~/.zfunc && errcode completion zsh > ~/.zfunc/_errcode\n"
        "        (and fpath=(~/.zfunc $fpath) before compinit in ~/.zshrc)\n"
        "  fish: mkdir -p ~/.config/fish/completions &&\n"
        "          errcode completion fish > ~/.config/fish/completions/errcode.fish"
    ),
)
def completion_cmd(shell: Annotated[ShellChoice, typer.Argument(help="bash, zsh, fish or powershell.")]) -> ExitCode:
    from errcli.shells import SCRIPTS

    sys.stdout.write(SCRIPTS[shell.value])
    return ExitCode.OK


class CacheAction(str, Enum):
    info = "info"
    clear = "clear"


@command(
    "cache",
    short_help="Show or clear the compiled cache.",
    help="Show where the compiled catalogs live, or clear them (they are rebuilt on the next run).",
    epilog="\b\nExamples:\n  errcode cache\n  errcode cache clear",
)
def cache_cmd(
    action: Annotated[CacheAction, typer.Argument(help="info or clear.")] = CacheAction.info,
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
) -> ExitCode:
    from errcli.store import cache

    out = _output(fmt, as_json, None, ColorChoice.auto)
    removed = cache.clear() if action is CacheAction.clear else None
    print_cache(cache.info(), removed, out)
    return ExitCode.OK


@command(
    "import",
    short_help="Draft a catalog from an API's error-code document.",
    help=(
        "Read an API's error-code document (Markdown, plain text or HTML; - for stdin) and write a catalog "
        "draft that passes `errcode validate`: tables of codes, headed sections (`1001 - title`, `E1001 title`, "
        "`## ERR_FOO: title`), code lines followed by `描述:`/`Description:` lines, severity and HTTP status, "
        "example JSON. The document's own words are kept; what it does not say is left out. "
        "A report (codes found, parts not understood, duplicates) goes to stderr. Documents up to 8 MiB."
    ),
    epilog=(
        "\b\nExamples:\n"
        "  errcode import errors.md --id myapi -o myapi.yaml\n"
        "  curl -s https://example.com/docs/errors.html | errcode import - --id example > example.yaml\n"
        "  errcode validate myapi.yaml && cp myapi.yaml ~/.config/errcode/catalogs/"
    ),
)
def import_cmd(
    source: Annotated[str, typer.Argument(help="The document, or - for stdin.", metavar="FILE|-")],
    catalog_id: Annotated[
        str | None, typer.Option("--id", help="Catalog id [default: from the file name].", metavar="ID")
    ] = None,
    name: Annotated[
        str | None, typer.Option("--name", help="Catalog name [default: the document's title].", metavar="NAME")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the draft to OUT instead of stdout.", metavar="OUT")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite OUT if it exists.")] = False,
) -> ExitCode:
    from errcli.importer import check_id, check_output, import_document, read_document, write_draft

    to_file = output if output is not None and str(output) != "-" else None
    if catalog_id is not None:
        check_id(catalog_id)
    check_output(to_file, force)
    result = import_document(read_document(source), catalog_id=catalog_id, name=name)
    if result.report.codes and to_file is not None:
        write_draft(to_file, result.yaml, force)
    print_import(result.yaml or None, result.report, str(to_file) if to_file else None)
    return ExitCode.OK if result.report.codes else ExitCode.NOT_FOUND


def main() -> None:
    app(prog_name=PROG)
