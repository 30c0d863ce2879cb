"""``errcode mcp``: lookup, search and explain for agents, as an MCP server over stdio.

The tools answer with the documents ``--format json`` prints, as structured content and as their
JSON text. The MCP SDK (``pip install 'errcode[mcp]'``) is imported only when the server starts.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from errcli._text import safe
from errcli._version import __version__
from errcli.commands.completion import TextAnswer
from errcli.errors import ErrcodeError, ExitCode, UsageError

if TYPE_CHECKING:
    from errcli import Catalogs

log = logging.getLogger("errcli.mcp")

INSTALL_HINT = "pip install 'errcode[mcp]'"

INSTRUCTIONS = (
    "Offline catalogs of API error codes: market-data, QAExchange (futures exchange), ZTDX (perpetual-futures "
    "DEX) and HTTP status codes, in Chinese and English. Use lookup for a code, search for words describing "
    "an error, explain for a whole error response or log, list_catalogs for the catalog ids."
)

_CATALOGS_ARG = {
    "type": "array",
    "items": {"type": "string"},
    "description": 'Only these catalogs, by id (see list_catalogs), e.g. ["qaexchange"]. Default: all.',
}


def _arguments(required: str | None, **properties: Any) -> dict[str, Any]:
    """A tool's input schema: these arguments (``required`` among them), and the catalogs filter where
    there is anything to filter."""
    if required is None:
        return {"type": "object", "properties": {}, "additionalProperties": False}
    properties["catalogs"] = _CATALOGS_ARG
    return {"type": "object", "properties": properties, "required": [required], "additionalProperties": False}


def _document(**keys: Any) -> dict[str, Any]:
    """The output schema of a ``--format json`` document: ``schema_version`` and these keys, required
    unless given as ``(schema, False)``."""
    properties: dict[str, Any] = {"schema_version": {"type": "integer"}}
    required = ["schema_version"]
    for name, schema in keys.items():
        properties[name] = schema[0] if isinstance(schema, tuple) else schema
        if not isinstance(schema, tuple):
            required.append(name)
    return {"type": "object", "properties": properties, "required": required}


# name -> (title, description, input schema, output schema)
TOOLS: dict[str, tuple[str, str, dict[str, Any], dict[str, Any]]] = {
    "lookup": (
        "Look up an error code",
        (
            "Look up an API error code in offline catalogs of trading APIs (market-data, QAExchange, ZTDX) and "
            "HTTP status codes. The query is one code as an API or log shows it: a number (1001, -1021, 0x3E9), "
            "a symbol (INSUFFICIENT_BALANCE, any case or separator), one catalog's code (qaexchange:1001), an "
            "HTTP status (429) or a range (3xxx). Returns {schema_version, query, matches}: every catalog's entry "
            "for that code, each with its meaning (title, description, in zh and en), causes, fixes, severity, "
            "retryable and retry advice. An unknown code gives an empty matches list; words instead of a code "
            "are searched (searched: true). For a whole response or log line use explain; for words, search."
        ),
        _arguments(
            "query",
            query={
                "type": "string",
                "description": "The code: 1001, -1021, INSUFFICIENT_BALANCE, qaexchange:1001, 429, 3xxx.",
            },
        ),
        _document(
            query={"type": "string"},
            matches={"type": "array", "items": {"type": "object"}, "description": "catalog entries"},
            searched=({"type": "boolean", "description": "true when the query was words, searched"}, False),
        ),
    ),
    "search": (
        "Search error codes by words",
        (
            "Fuzzy-search the offline error catalogs (market-data, QAExchange, ZTDX, HTTP) by words, when the "
            "code is unknown: Chinese (Simplified or Traditional), English or pinyin, typos allowed, e.g. "
            "'资金不足', 'insufficient balance', 'rate limit', 'signature expired'. Returns {schema_version, "
            "query, results}: the best-matching entries first, each with its catalog, code, symbol, meaning, "
            "causes, fixes, severity, retryable and a score (0-100)."
        ),
        _arguments(
            "text",
            text={"type": "string", "description": "Words describing the error, in zh or en."},
            limit={
                "type": "integer",
                "minimum": 1,
                "default": 10,
                "description": "At most this many results.",
            },
        ),
        _document(
            query={"type": "string"},
            results={"type": "array", "items": {"type": "object"}, "description": "entries, best first"},
        ),
    ),
    "explain": (
        "Explain an error response",
        (
            "Explain the errors in an API response or log and say what to do next. response is the body as a "
            "JSON object, or text: a JSON body, NDJSON, log lines, or a whole `curl -i` output with status line "
            'and headers. Give status (the HTTP status) and headers (e.g. {"Retry-After": "30"}) when known. '
            "Returns {schema_version, errors, not_errors, unparsed_lines, unparsed_count}: each error found, in "
            "order, with its line, catalog, code, http_status, message, confidence (0-1), reason, evidence, the "
            "matching catalog entry, alternatives, and action: kind retry (with backoff), wait (seconds, then "
            "retry), do_not_retry (fix the cause first) or check_first (the outcome is unknown: query the state "
            "before sending again)."
        ),
        _arguments(
            "response",
            response={
                "anyOf": [{"type": "object"}, {"type": "string"}],
                "description": "The response body (JSON object or text), a log, or curl -i output.",
            },
            status={
                "type": "integer",
                "minimum": 100,
                "maximum": 599,
                "description": "The HTTP status the response came with, e.g. 429.",
            },
            headers={
                "type": "object",
                "additionalProperties": {"type": "string"},
                "description": 'Response headers, e.g. {"Retry-After": "30"}.',
            },
        ),
        _document(
            errors={"type": "array", "items": {"type": "object"}, "description": "errors found, in order"},
            not_errors={"type": "integer", "description": "responses that were not errors"},
            unparsed_lines={"type": "array", "items": {"type": "integer"}},
            unparsed_count={"type": "integer"},
        ),
    ),
    "list_catalogs": (
        "List the error catalogs",
        (
            "List the error catalogs loaded: the bundled http, market-data, qaexchange and ztdx, and the user's. "
            "Returns {schema_version, catalogs, broken}: each catalog's id (used as qaexchange:1001 in lookup, "
            "or in the catalogs argument), name, source, version, date, number of entries and language; broken "
            "lists user catalog files that could not be loaded, and why."
        ),
        _arguments(None),
        _document(catalogs={"type": "array", "items": {"type": "object"}}, broken={"type": "array"}),
    ),
}

_KINDS = {"lookup": "lookup", "search": "search", "explain": "explain", "list_catalogs": "catalogs"}


def _integer(name: str, value: Any, low: int, high: int | None = None) -> int:
    """An integer argument: a JSON number without a fraction, or digits in a string."""
    digits = isinstance(value, str) and value.strip().lstrip("-").isdigit()
    if digits or (isinstance(value, float) and value.is_integer()):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise UsageError(f"{name} must be a whole number, not {value!r}")
    if value < low or (high is not None and value > high):
        bounds = f"from {low} to {high}" if high is not None else f"at least {low}"
        raise UsageError(f"{name} must be {bounds}, not {value}")
    return value


def _text(name: str, value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise UsageError(f"{name} must be a string, not {type(value).__name__}")
    return str(value)


def request(tool: str, arguments: Mapping[str, Any]) -> tuple[str, Any, dict[str, Any]]:
    """A tool call as a document to ask for: (kind, query, options); a bad call is a UsageError."""
    if tool not in TOOLS:
        raise UsageError(f"no tool {tool!r}", hint="the tools are lookup, search, explain and list_catalogs")
    schema = TOOLS[tool][2]
    known, required = schema["properties"], schema.get("required", [])
    unknown = sorted(set(arguments) - set(known))
    if unknown:
        takes = ", ".join(known) or "no arguments"
        raise UsageError(f"unknown argument {unknown[0]!r}", hint=f"{tool} takes {takes}")
    missing = [name for name in required if arguments.get(name) is None]
    if missing:
        description = known[missing[0]]["description"].rstrip(".")
        raise UsageError(f"{tool} needs {missing[0]} ({description[0].lower()}{description[1:]})")
    options: dict[str, Any] = {}
    catalogs = arguments.get("catalogs")
    if catalogs is not None:
        if not isinstance(catalogs, list) or not all(isinstance(c, str) for c in catalogs):
            raise UsageError('catalogs must be a list of catalog ids, e.g. ["qaexchange"]')
        options["catalogs"] = tuple(catalogs)
    if tool == "lookup":
        return "lookup", _text("query", arguments["query"]), options
    if tool == "search":
        if arguments.get("limit") is not None:
            options["limit"] = _integer("limit", arguments["limit"], 1)
        return "search", _text("text", arguments["text"]), options
    if tool == "explain":
        response = arguments["response"]
        if not isinstance(response, str | dict):
            raise UsageError(f"response must be a JSON object or a string, not {type(response).__name__}")
        if arguments.get("status") is not None:
            options["status"] = _integer("status", arguments["status"], 100, 599)
        headers = arguments.get("headers")
        if headers is not None:
            if not isinstance(headers, dict) or not all(
                isinstance(v, str | int | float) and not isinstance(v, bool) for v in headers.values()
            ):
                raise UsageError('headers must be an object of strings, e.g. {"Retry-After": "30"}')
            options["headers"] = {str(k): str(v) for k, v in headers.items()}
        return "explain", response, options
    return _KINDS[tool], None, options


def one_line(exc: ErrcodeError) -> str:
    """The error as a tool reports it: the headline, then the hint."""
    message = f"{exc.headline}; {exc.hint}" if exc.hint else exc.headline
    return " ".join(message.split())


def answer(catalogs: Catalogs, tool: str, arguments: Mapping[str, Any]) -> tuple[dict[str, Any] | None, str]:
    """(document, its JSON) for a good call; (None, a one-line message) for a bad one."""
    from errcli.output.json import dumps_json

    try:
        kind, query, options = request(tool, arguments)
        document = catalogs.document(kind, query, **options)
    except ErrcodeError as exc:
        log.info("%s refused: %s", tool, exc.headline)
        return None, one_line(exc)
    except Exception:
        log.exception("%s failed", tool)
        return None, f"errcode could not answer this {tool} call: an internal error (the server's log has it)"
    return document, dumps_json(document)


class _SafeFormatter(logging.Formatter):
    """Log lines carry arguments and catalog text: escaped as every other output is."""

    def format(self, record: logging.LogRecord) -> str:
        return safe(super().format(record), multiline=True)


def _logging() -> None:
    """Logs go to stderr: stdout is the protocol's."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_SafeFormatter("errcode mcp: %(levelname)s %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    log.setLevel(logging.INFO)


def run(catalog_path: Sequence[Path] = ()) -> TextAnswer:
    """Serve until the client closes stdin."""
    try:
        import anyio
        from mcp import types
        from mcp.server import Server
        from mcp.server.stdio import stdio_server
    except ImportError:
        raise UsageError("errcode mcp needs the MCP SDK, which is not installed", hint=INSTALL_HINT) from None
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("mcp")
    except PackageNotFoundError:  # importable without its metadata: take it as it is
        found = "2"
    if not found.split(".")[0].isdigit() or int(found.split(".")[0]) < 2:
        raise UsageError(f"errcode mcp needs the MCP SDK 2 or later, not {found}", hint="pip install -U 'mcp>=2'")

    import errcli

    catalogs = errcli.load(catalog_path)  # a bad --catalog-path stops here, before serving
    _logging()
    for path, why in catalogs.skipped:
        log.warning("skipped catalog %s: %s", path, why)

    tools = [
        types.Tool(
            name=name,
            title=title,
            description=description,
            input_schema=inputs,
            output_schema=outputs,
            annotations=types.ToolAnnotations(
                title=title, read_only_hint=True, idempotent_hint=True, open_world_hint=False
            ),
        )
        for name, (title, description, inputs, outputs) in TOOLS.items()
    ]

    async def list_tools(_ctx: Any, _params: types.PaginatedRequestParams | None) -> types.ListToolsResult:
        return types.ListToolsResult(tools=tools)

    async def call_tool(_ctx: Any, params: types.CallToolRequestParams) -> types.CallToolResult:
        document, text = answer(catalogs, params.name, params.arguments or {})
        content: list[types.ContentBlock] = [types.TextContent(type="text", text=text)]
        if document is None:
            return types.CallToolResult(content=content, is_error=True)
        return types.CallToolResult(content=content, structured_content=document)

    server: Server[Any] = Server(
        "errcode",
        version=__version__,
        title="errcode",
        instructions=INSTRUCTIONS,
        on_list_tools=list_tools,
        on_call_tool=call_tool,
    )

    async def stop_on_ctrl_c() -> None:
        """Ctrl-C ends the server at once: the SDK's stdin reader is a thread that only EOF ends."""
        with anyio.open_signal_receiver(signal.SIGINT) as signals:
            async for _ in signals:
                log.info("interrupted")
                logging.shutdown()
                os._exit(ExitCode.INTERRUPTED)

    async def serve() -> None:
        async with stdio_server() as (read, write), anyio.create_task_group() as tasks:
            if sys.platform != "win32":
                tasks.start_soon(stop_on_ctrl_c)
            await server.run(read, write, server.create_initialization_options())
            tasks.cancel_scope.cancel()

    ids = ", ".join(catalogs.ids)
    log.info("errcode %s: %s catalogs (%s), serving on stdio", __version__, len(catalogs.ids), ids)
    try:
        anyio.run(serve)
    except KeyboardInterrupt:
        return TextAnswer("", ExitCode.INTERRUPTED)
    return TextAnswer("")
