"""The command line as data: every command, argument and option, written once.

The Typer app (:mod:`errcli.cli.app`), the fast lane (:mod:`errcli.cli.fast`) and TAB completion
(:mod:`errcli.cli.complete`) are all built from these tables. Plain data: this module imports
nothing, so completion can read it on every TAB.
"""

from __future__ import annotations  # annotations stay strings: typing is never imported

FORMATS = ("table", "json", "yaml", "markdown", "plain")
LANGS = ("zh", "en")
COLORS = ("auto", "always", "never")
SEVERITIES = ("info", "warning", "critical")
SHELLS = ("bash", "zsh", "fish", "powershell")
CACHE_ACTIONS = ("info", "clear")
HTTP_EXAMPLES = ("1xx", "2xx", "3xx", "4xx", "5xx", "400", "401", "403", "404", "429", "500", "503")


class Opt:
    """An option. ``kind``: flag, str, int, float, path, choice, or switch (``--x/--not-x``, None when absent)."""

    __slots__ = (
        "choices",
        "complete",
        "default",
        "flags",
        "help",
        "key",
        "kind",
        "maximum",
        "metavar",
        "minimum",
        "off",
        "repeat",
        "show_default",
    )

    def __init__(
        self,
        key: str,
        flags: tuple[str, ...],
        help: str,  # noqa: A002 - the word Typer and Click use
        kind: str = "str",
        metavar: str | None = None,
        choices: tuple[str, ...] | None = None,
        default: object = None,
        repeat: bool = False,
        minimum: float | None = None,
        maximum: float | None = None,
        complete: str | tuple[str, ...] | None = None,
        off: str | None = None,
        show_default: bool = True,
    ) -> None:
        self.key, self.flags, self.help, self.kind, self.metavar = key, flags, help, kind, metavar
        self.choices, self.repeat, self.minimum, self.maximum = choices, repeat, minimum, maximum
        self.complete = complete  # what TAB offers after it: "catalog", "files", or the choices
        self.off = off  # a switch's negative form
        self.show_default = show_default
        self.default = False if kind == "flag" and default is None else default

    @property
    def takes_value(self) -> bool:
        return self.kind not in ("flag", "switch")

    @property
    def names(self) -> tuple[str, ...]:
        return (*self.flags, self.off) if self.off else self.flags


class Arg:
    """A positional argument. ``many``: one or more; ``required`` False: it may be left out."""

    __slots__ = ("choices", "complete", "default", "help", "key", "kind", "many", "metavar", "required")

    def __init__(
        self,
        key: str,
        metavar: str,
        help: str,  # noqa: A002
        kind: str = "str",
        many: bool = False,
        required: bool = True,
        choices: tuple[str, ...] | None = None,
        default: str | None = None,
        complete: str | None = None,
    ) -> None:
        self.key, self.metavar, self.help, self.kind, self.many = key, metavar, help, kind, many
        self.required, self.choices, self.default, self.complete = required, choices, default, complete


class Command:
    """A subcommand: its help, arguments and options, the function that answers it (``module:function``,
    a Result out) and the view that shows the Result. ``catalogs``: load them strictly (named paths must
    load), leniently (broken ones listed), or not at all; ``page``: when long output may be paged;
    ``kept``: its answer depends on its arguments and the catalogs alone, so a piped run's answer may
    be kept and printed again (:mod:`errcli.store.answers`)."""

    __slots__ = ("args", "catalogs", "epilog", "help", "kept", "name", "options", "page", "run", "short_help", "view")

    def __init__(
        self,
        name: str,
        short_help: str | None,
        help: str,  # noqa: A002
        epilog: str | None,
        args: tuple[Arg, ...],
        options: tuple[str, ...],
        run: str,
        view: str,
        catalogs: str | None = None,
        page: str = "yes",
        kept: bool = False,
    ) -> None:
        self.name, self.short_help, self.help, self.epilog = name, short_help, help, epilog
        self.args, self.options, self.run, self.view = args, options, run, view
        self.catalogs, self.page, self.kept = catalogs, page, kept


OPTIONS = {
    o.key: o
    for o in (
        Opt("catalog", ("--catalog", "-c"), "Only this catalog (repeatable).", metavar="ID", repeat=True,
            complete="catalog"),
        Opt("fmt", ("--format", "-f"),
            "table, json, yaml, markdown or plain [default: table on a terminal, plain when piped].",
            kind="choice", metavar="FORMAT", choices=FORMATS),
        Opt("as_json", ("--json",), "Shortcut for --format json.", kind="flag"),
        Opt("lang", ("--lang", "-l"), "zh or en [default: $ERRCODE_LANG, then $LANG].", kind="choice",
            metavar="LANG", choices=LANGS),
        Opt("color", ("--color",), "Colour: auto, always or never (NO_COLOR is honoured).", kind="choice",
            metavar="WHEN", choices=COLORS, default="auto", show_default=False),
        Opt("brief", ("--brief", "-b"), "One line per entry.", kind="flag"),
        Opt("limit", ("--limit", "-n"), "Show at most N results.", kind="int", metavar="N", default=10, minimum=1),
        Opt("min_score", ("--min-score",), "Drop results below SCORE (0-100).", kind="float", metavar="SCORE",
            default=0.0, minimum=0, maximum=100),
        Opt("no_pager", ("--no-pager",), "Print long output at once (also ERRCODE_PAGER=).", kind="flag"),
        Opt("catalog_path", ("--catalog-path",), "Extra catalog file or folder (repeatable; also $ERRCODE_PATH).",
            kind="path", metavar="PATH", repeat=True, complete="files"),
        Opt("summary", ("--summary",), "A table of the errors found, with counts.", kind="flag"),
        Opt("verbose", ("--verbose", "-v"), "List the lines that could not be parsed.", kind="flag"),
        Opt("category", ("--category",), "Category id or words of its title."),
        Opt("severity", ("--severity", "-s"), "Only this severity.", kind="choice", choices=SEVERITIES),
        Opt("retryable", ("--retryable",), "Only (not) retryable entries.", kind="switch", off="--not-retryable"),
        Opt("http", ("--http",), "HTTP status or class: 429, 4xx.", complete=HTTP_EXAMPLES),
        Opt("catalog_id", ("--id",), "Catalog id [default: from the file name].", metavar="ID"),
        Opt("name", ("--name",), "Catalog name [default: the document's title].", metavar="NAME"),
        Opt("output", ("--output", "-o"), "Write the draft to OUT instead of stdout.", kind="path", metavar="OUT",
            complete="files"),
        Opt("force", ("--force",), "Overwrite OUT if it exists.", kind="flag"),
    )
}  # fmt: skip

ROOT_OPTIONS = (
    Opt("version", ("--version", "-V"), "Show the version and exit.", kind="flag"),
    Opt("debug", ("--debug",), "Show the Python traceback of an unexpected error.", kind="flag"),
)
HELP_FLAGS = ("-h", "--help")

_SHOWN = ("fmt", "as_json", "lang", "color")  # how output looks
_ENTRIES = ("catalog", *_SHOWN, "brief", "catalog_path")  # commands that show entries

ROOT_HELP = (
    "Explain API error codes offline: market-data, QAExchange, ZTDX and HTTP.\n\n"
    "\b\nExamples:\n"
    "  errcode 1001                   every catalog's meaning of 1001\n"
    "  errcode ztdx:INVALID_AMOUNT    one catalog's code\n"
    "  errcode search 资金            fuzzy search (zh/en/pinyin)\n"
    "  errcode list -c qaexchange --severity critical\n"
    "  errcode 429 --json             machine-readable output\n"
    "  errcode COMMAND --help         more about each command"
)

COMMANDS = {
    c.name: c
    for c in (
        Command(
            "lookup",
            "Look up codes (the default: `errcode 1001`).",
            "Look up codes. This is the default command: `errcode 1001` = `errcode lookup 1001`. "
            "Every catalog that defines a code is shown; words that are no code are searched.",
            "\b\nExamples:\n"
            "  errcode 1001                  every catalog's 1001\n"
            "  errcode qaexchange:1001       one catalog's 1001\n"
            "  errcode INSUFFICIENT_BALANCE  a symbol (any case: insufficient-balance)\n"
            "  errcode 429                   an HTTP status and every entry returned with it\n"
            "  errcode 0x3E9 3xxx            hex, a range\n"
            "  errcode 1001 2002 --brief     several codes, one line each",
            (Arg("query", "QUERY...", "Codes, symbols, catalog:code, HTTP statuses, ranges (3xxx), or words.",
                 many=True),),
            (*_ENTRIES, "limit", "min_score", "no_pager"),
            "errcli.commands.lookup:run",
            "errcli.output.views:show_lookup",
            catalogs="strict",
            kept=True,
        ),
        Command(
            "search",
            "Fuzzy search by words.",
            "Fuzzy search by words: Chinese (Simplified or Traditional), English, pinyin, typos.",
            "\b\nExamples:\n"
            "  errcode search 资金\n"
            "  errcode search insufficient balance --limit 3\n"
            "  errcode search 訂閱 -c market-data --json",
            (Arg("text", "TEXT...", "Words to look for.", many=True),),
            ("limit", "min_score", *_ENTRIES, "no_pager"),
            "errcli.commands.search:run",
            "errcli.output.views:show_search",
            catalogs="strict",
            kept=True,
        ),
        Command(
            "explain",
            "Explain error responses: JSON, NDJSON, logs, curl -i.",
            "Explain the error responses in INPUT (a file, - for stdin, or a response given as the argument; "
            "stdin when omitted): which API, which error, and what to do. Reads JSON documents, JSON Lines, "
            "concatenated JSON, `curl -i` and `curl -v` output, log lines with JSON in them, objects as Python "
            "and Node clients print them and, on their own, a few lines of text that say an error (a plain-text "
            "body, an HTML error page, an exception, a log line), line by line in constant memory.",
            "\b\nExamples:\n"
            "  curl -si https://api.example.com/v1/orders | errcode explain\n"
            '  errcode explain \'{"code": 1001, "message": "Invalid or expired token"}\'\n'
            "  errcode explain app.log --summary\n"
            "  tail -f app.log | errcode explain --brief",
            (Arg("source", "[INPUT]", "A file, - for stdin, or a JSON response.", required=False, complete="files"),),
            ("summary", "verbose", *_ENTRIES, "no_pager"),
            "errcli.commands.explain:run",
            "errcli.output.explain:show_explain",
            catalogs="strict",
            page="file",
        ),
        Command(
            "list",
            None,
            "List entries, filtered.",
            "\b\nExamples:\n"
            "  errcode list -c ztdx --http 4xx\n"
            "  errcode list --severity critical --retryable\n"
            "  errcode list -c qaexchange --category 风控 --json",
            (),
            ("category", "severity", "retryable", "http", *_ENTRIES, "no_pager"),
            "errcli.commands.listing:run",
            "errcli.output.views:show_list",
            catalogs="strict",
        ),
        Command(
            "catalogs",
            "Show the loaded catalogs.",
            "Show the loaded catalogs: entries, version, source, and where each was loaded from.",
            None,
            (),
            (*_SHOWN, "catalog_path", "no_pager"),
            "errcli.commands.catalogs:run",
            "errcli.output.views:show_catalogs",
            catalogs="lenient",
        ),
        Command(
            "validate",
            None,
            "Check catalog files without installing them.",
            "Example: errcode validate myapi.yaml",
            (Arg("files", "FILE...", "Catalog YAML files, or folders of them.", kind="path", many=True,
                 complete="files"),),
            ("fmt", "as_json", "color"),
            "errcli.commands.validate:run",
            "errcli.output.views:show_validate",
            page="no",
        ),
        Command(
            "completion",
            None,
            "Print the shell completion script.",
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
            "          errcode completion fish > ~/.config/fish/completions/errcode.fish",
            (Arg("shell", "SHELL", "bash, zsh, fish or powershell.", kind="choice", choices=SHELLS),),
            (),
            "errcli.cli.shells:run",
            "errcli.output.views:show_text",
            page="no",
        ),
        Command(
            "cache",
            "Show or clear the compiled cache.",
            "Show where the compiled catalogs live, or clear them (they are rebuilt on the next run).",
            "\b\nExamples:\n  errcode cache\n  errcode cache clear",
            (Arg("action", "[ACTION]", "info or clear.", kind="choice", choices=CACHE_ACTIONS, required=False,
                 default="info"),),
            ("fmt", "as_json"),
            "errcli.commands.cache:run",
            "errcli.output.views:show_cache",
            page="no",
        ),
        Command(
            "import",
            "Draft a catalog from an API's error-code document.",
            "Read an API's error-code document (Markdown, plain text or HTML; - for stdin) and write a catalog "
            "draft that passes `errcode validate`: tables of codes, headed sections (`1001 - title`, `E1001 title`, "
            "`## ERR_FOO: title`), code lines followed by `描述:`/`Description:` lines, severity and HTTP status, "
            "example JSON. The document's own words are kept; what it does not say is left out. "
            "A report (codes found, parts not understood, duplicates) goes to stderr. Documents up to 8 MiB.",
            "\b\nExamples:\n"
            "  errcode import errors.md --id myapi -o myapi.yaml\n"
            "  curl -s https://example.com/docs/errors.html | errcode import - --id example > example.yaml\n"
            "  errcode validate myapi.yaml && cp myapi.yaml ~/.config/errcode/catalogs/",
            (Arg("source", "FILE|-", "The document, or - for stdin.", complete="files"),),
            ("catalog_id", "name", "output", "force"),
            "errcli.commands.importing:run",
            "errcli.output.views:show_import",
            page="no",
        ),
        Command(
            "mcp",
            "Serve lookup, search and explain to agents (MCP over stdio).",
            "Run an MCP server on stdin/stdout for coding agents and other MCP clients: the tools lookup, "
            "search, explain and list_catalogs answer with the same JSON documents as --format json. "
            "Needs the MCP SDK: pip install 'errcode[mcp]'. Logs go to stderr; stdout carries only the protocol.",
            "\b\nRegister it with an agent client (its MCP settings file):\n"
            '  {"mcpServers": {"errcode": {"command": "errcode", "args": ["mcp"]}}}',
            (),
            ("catalog_path",),
            "errcli.cli.mcp:run",
            "errcli.output.views:show_text",
            page="no",
        ),
    )
}  # fmt: skip

DEFAULT_COMMAND = "lookup"  # `errcode 1001` is `errcode lookup 1001`
FAST_COMMANDS = ("lookup", "search")  # answered without Typer when their options are all plain
