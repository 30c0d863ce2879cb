"""``errcode mcp``: the server in a subprocess, driven by the SDK's own client and by hand-written JSON-RPC."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from mcp import ClientSession

SERVER = [sys.executable, "-m", "errcli", "mcp"]
BUNDLED = {"http", "market-data", "qaexchange", "ztdx"}
TOOLS = {"lookup", "search", "explain", "list_catalogs"}
TIMEOUT = 60.0  # seconds for any one exchange with the server; a hang fails the test


def environment(tmp_path: Path) -> dict[str, str]:
    """The server's environment: no user catalogs, caches and config inside tmp_path."""
    env = {k: v for k, v in os.environ.items() if k != "ERRCODE_PATH"}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    return env


def run_python(tmp_path: Path, args: list[str]) -> subprocess.CompletedProcess[bytes]:
    """A short-lived process with stdin closed; its status is the test's to check."""
    return subprocess.run(
        [sys.executable, *args], input=b"", capture_output=True, env=environment(tmp_path), timeout=TIMEOUT, check=False
    )


def with_client(tmp_path: Path, body: Callable[[ClientSession], Awaitable[None]], *args: str) -> None:
    """Start the server with the SDK's stdio client, initialize, and run ``body`` on the session."""
    import anyio
    from mcp import ClientSession
    from mcp.client.stdio import StdioServerParameters, stdio_client

    params = StdioServerParameters(command=SERVER[0], args=[*SERVER[1:], *args], env=environment(tmp_path))

    async def drive() -> None:
        with anyio.fail_after(TIMEOUT), (tmp_path / "server.err").open("w", encoding="utf-8") as errlog:
            async with stdio_client(params, errlog=errlog) as (read, write), ClientSession(read, write) as session:
                await session.initialize()
                await body(session)

    anyio.run(drive)


def text_of(result: Any) -> str:
    assert len(result.content) == 1
    assert result.content[0].type == "text"
    text: str = result.content[0].text
    return text


# The SDK's client ------------------------------------------------------------------------------


def test_the_sdk_client_sees_four_described_tools_and_their_documents(tmp_path: Path) -> None:
    seen: dict[str, Any] = {}

    async def body(session: ClientSession) -> None:
        listed = await session.list_tools()
        seen["tools"] = {t.name: t for t in listed.tools}
        seen["lookup"] = await session.call_tool("lookup", {"query": "1001"})
        seen["search"] = await session.call_tool("search", {"text": "资金", "limit": 5})
        response = {"code": 1001, "msg": "too many requests"}
        seen["explain"] = await session.call_tool(
            "explain", {"response": response, "status": 429, "headers": {"Retry-After": "30"}}
        )
        curl = 'HTTP/1.1 429\r\nRetry-After: 7\r\n\r\n{"code": 1001, "msg": "slow down"}\n'
        seen["curl"] = await session.call_tool("explain", {"response": curl})
        seen["catalogs"] = await session.call_tool("list_catalogs", {})

    with_client(tmp_path, body)

    tools = seen["tools"]
    assert set(tools) == TOOLS
    for tool in tools.values():
        assert len(tool.description or "") > 80, tool.name
        assert tool.input_schema["type"] == "object"
        assert (tool.output_schema or {}).get("type") == "object", tool.name
    assert tools["lookup"].input_schema["required"] == ["query"]
    assert "429" in tools["lookup"].description
    assert "qaexchange:1001" in tools["lookup"].description
    assert tools["explain"].input_schema["required"] == ["response"]

    lookup = seen["lookup"]
    assert not lookup.is_error
    doc = lookup.structured_content
    assert {"schema_version", "query", "matches"} <= set(doc)
    assert {"market-data", "qaexchange"} <= {m["catalog"] for m in doc["matches"]}
    assert json.loads(text_of(lookup)) == doc  # the text is the same JSON document

    search = seen["search"]
    assert not search.is_error
    assert 0 < len(search.structured_content["results"]) <= 5
    assert json.loads(text_of(search)) == search.structured_content

    explained = seen["explain"].structured_content["errors"][0]
    assert explained["action"]["kind"] == "wait"
    assert explained["action"]["seconds"] == 30
    curl = seen["curl"].structured_content["errors"][0]
    assert (curl["http_status"], curl["action"]["kind"], curl["action"]["seconds"]) == (429, "wait", 7)

    catalogs = seen["catalogs"].structured_content
    assert {c["id"] for c in catalogs["catalogs"]} == BUNDLED


def test_bad_arguments_are_tool_errors_and_the_server_goes_on(tmp_path: Path) -> None:
    errors: dict[str, str] = {}
    after: list[Any] = []
    bad: dict[str, tuple[str, dict[str, Any]]] = {
        "empty query": ("lookup", {"query": "  "}),
        "unknown catalog": ("lookup", {"query": "nosuch:1001"}),
        "unknown catalog filter": ("search", {"text": "资金", "catalogs": ["nosuch"]}),
        "limit not a number": ("search", {"text": "资金", "limit": "many"}),
        "limit zero": ("search", {"text": "资金", "limit": 0}),
        "empty search": ("search", {"text": ""}),
        "missing argument": ("lookup", {}),
        "status not a number": ("explain", {"response": "{}", "status": "soon"}),
        "headers not strings": ("explain", {"response": "{}", "headers": {"Retry-After": [1]}}),
        "unknown argument": ("lookup", {"query": "1001", "lang": "en"}),
        "unknown tool": ("translate", {"text": "x"}),
    }

    async def body(session: ClientSession) -> None:
        for what, (tool, arguments) in bad.items():
            result = await session.call_tool(tool, arguments)
            assert result.is_error, what
            assert result.structured_content is None, what
            errors[what] = text_of(result)
        after.append(await session.call_tool("lookup", {"query": "1001"}))

    with_client(tmp_path, body)

    for what, message in errors.items():
        assert message.strip(), what
        assert "\n" not in message, (what, message)
        assert "Traceback" not in message, (what, message)
        assert "validation error" not in message, (what, message)
    assert "empty query" in errors["empty query"]
    assert "nosuch" in errors["unknown catalog"]
    assert "qaexchange" in errors["unknown catalog"]  # the hint
    assert "limit" in errors["limit not a number"]
    assert "limit" in errors["limit zero"]
    assert "status" in errors["status not a number"]
    assert "translate" in errors["unknown tool"]
    assert not after[0].is_error
    assert after[0].structured_content["matches"]


def test_catalog_path_adds_a_catalog(tmp_path: Path) -> None:
    extra = tmp_path / "acme.yaml"
    source = Path(__file__).resolve().parent.parent / "data" / "catalogs" / "ztdx.yaml"
    extra.write_text(
        source.read_text(encoding="utf-8").replace("id: ztdx", "id: acme", 1).replace("ZTDX", "ACME"),
        encoding="utf-8",
    )
    ids: list[set[str]] = []

    async def body(session: ClientSession) -> None:
        result = await session.call_tool("list_catalogs", {})
        ids.append({c["id"] for c in result.structured_content["catalogs"]})

    with_client(tmp_path, body, "--catalog-path", str(extra))
    assert ids == [BUNDLED | {"acme"}]


# JSON-RPC by hand ------------------------------------------------------------------------------


class Server:
    """The server as a subprocess, spoken to one JSON-RPC line at a time."""

    def __init__(self, tmp_path: Path, *args: str) -> None:
        self.proc = subprocess.Popen(
            [*SERVER, *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=environment(tmp_path),
        )
        self.lines: queue.Queue[bytes | None] = queue.Queue()
        self.stdout: list[bytes] = []
        self.stderr = b""
        assert self.proc.stdout is not None
        assert self.proc.stderr is not None
        self.readers = [
            threading.Thread(target=self._read, args=(self.proc.stdout,), daemon=True),
            threading.Thread(target=self._read_err, args=(self.proc.stderr,), daemon=True),
        ]
        for reader in self.readers:
            reader.start()
        self.next_id = 0

    def _read(self, stream: IO[bytes]) -> None:
        for line in stream:
            self.stdout.append(line)
            self.lines.put(line)
        self.lines.put(None)

    def _read_err(self, stream: IO[bytes]) -> None:
        self.stderr = stream.read()

    def send(self, message: dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(message).encode() + b"\n")
        self.proc.stdin.flush()

    def request(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, **({"params": params} if params else {})})
        while True:
            line = self.lines.get(timeout=TIMEOUT)
            assert line is not None, f"the server closed stdout; stderr: {self.stderr!r}"
            reply: dict[str, Any] = json.loads(line)
            if reply.get("id") == self.next_id:
                return reply

    def wait(self) -> int:
        """The exit status, once the server has ended and all its output is read."""
        try:
            return self.proc.wait(timeout=TIMEOUT)
        finally:
            self.proc.kill()
            for reader in self.readers:
                reader.join(timeout=TIMEOUT)

    def close(self) -> int:
        """Close stdin, as a client does when done; the exit status."""
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        return self.wait()


def handshake(server: Server) -> dict[str, Any]:
    reply = server.request(
        "initialize",
        {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "test", "version": "0"}},
    )
    server.send({"jsonrpc": "2.0", "method": "notifications/initialized"})
    return reply


def test_raw_json_rpc_over_stdio(tmp_path: Path) -> None:
    server = Server(tmp_path)
    try:
        init = handshake(server)["result"]
        assert init["protocolVersion"] == "2025-06-18"
        assert init["serverInfo"]["name"] == "errcode"
        assert "tools" in init["capabilities"]

        listed = server.request("tools/list")["result"]["tools"]
        assert {t["name"] for t in listed} == TOOLS
        for tool in listed:
            assert tool["description"], tool["name"]
            assert tool["inputSchema"]["type"] == tool["outputSchema"]["type"] == "object"

        called = server.request("tools/call", {"name": "lookup", "arguments": {"query": "qaexchange:1001"}})["result"]
        assert called.get("isError", False) is False
        assert [m["catalog"] for m in called["structuredContent"]["matches"]] == ["qaexchange"]
        assert called["content"][0]["type"] == "text"
        assert json.loads(called["content"][0]["text"]) == called["structuredContent"]

        failed = server.request("tools/call", {"name": "search", "arguments": {"text": "x", "limit": 0}})["result"]
        assert failed["isError"] is True
        assert "limit" in failed["content"][0]["text"]

        again = server.request("tools/call", {"name": "list_catalogs", "arguments": {}})["result"]
        assert {c["id"] for c in again["structuredContent"]["catalogs"]} == BUNDLED
    finally:
        status = server.close()
    assert status == 0, server.stderr
    assert len(server.stdout) == 5  # one line per reply, nothing else
    for line in server.stdout:
        assert json.loads(line)["jsonrpc"] == "2.0", line
    assert b"Traceback" not in server.stderr


def test_the_server_ends_quietly_when_stdin_closes_at_once(tmp_path: Path) -> None:
    proc = run_python(tmp_path, SERVER[1:])
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == b""
    assert b"Traceback" not in proc.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT is POSIX")
def test_ctrl_c_ends_the_server_quietly_while_stdin_stays_open(tmp_path: Path) -> None:
    server = Server(tmp_path)
    try:
        handshake(server)
        assert server.request("tools/list")["result"]["tools"]
        server.proc.send_signal(signal.SIGINT)
    finally:
        status = server.wait()
    assert status == 130, server.stderr
    assert b"Traceback" not in server.stderr
    assert b"serving on stdio" in server.stderr  # logs go to stderr


def test_a_bad_catalog_path_fails_before_serving(tmp_path: Path) -> None:
    proc = run_python(tmp_path, [*SERVER[1:], "--catalog-path", str(tmp_path / "nowhere.yaml")])
    assert proc.returncode == 2
    assert proc.stdout == b""
    assert b"nowhere.yaml" in proc.stderr
    assert b"Traceback" not in proc.stderr


# Without the SDK -------------------------------------------------------------------------------


def test_without_the_sdk_it_says_how_to_get_it(tmp_path: Path) -> None:
    code = "import sys; sys.modules['mcp'] = None; from errcli.cli.fast import main; sys.argv = ['errcode', 'mcp']"
    proc = run_python(tmp_path, ["-c", code + "; main()"])
    assert proc.returncode == 2
    assert proc.stdout == b""
    err = proc.stderr.decode()
    assert "pip install 'errcode[mcp]'" in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) <= 2  # the message, and the hint if it has its own line


def test_errcode_never_imports_the_sdk_otherwise(tmp_path: Path) -> None:
    code = (
        "import sys; from errcli.cli.fast import main; sys.argv = ['errcode', '1001', '--json']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "assert 'mcp' not in sys.modules, 'mcp imported'\n"
        "import errcli.cli.mcp\nassert 'mcp' not in sys.modules, 'mcp imported by errcli.cli.mcp'\n"
    )
    proc = run_python(tmp_path, ["-c", code])
    assert proc.returncode == 0, proc.stderr.decode()


@pytest.mark.parametrize(
    ("tool", "arguments", "message"),
    [
        ("search", {"text": "资金", "limit": True}, "limit"),
        ("search", {"text": "资金", "limit": 2.5}, "limit"),
        ("explain", {"response": 42}, "response"),
        ("explain", {"response": "{}", "status": 42}, "status"),
        ("lookup", {"query": "1001", "catalogs": "qaexchange"}, "catalogs"),
    ],
)
def test_arguments_are_checked_before_the_catalogs_are_asked(
    tool: str, arguments: dict[str, Any], message: str
) -> None:
    from errcli.cli.mcp import request
    from errcli.errors import UsageError

    with pytest.raises(UsageError, match=message):
        request(tool, arguments)


def test_logs_escape_catalog_text_and_client_arguments(tmp_path: Path) -> None:
    """Log lines carry a skipped catalog's path and the client's text: escaped, so they cannot act on a terminal."""
    folder = tmp_path / "config" / "errcode" / "catalogs"
    folder.mkdir(parents=True)
    (folder / "bad\x1b[2J.yaml").write_text("id: [not valid\n", encoding="utf-8")
    server = Server(tmp_path)
    try:
        handshake(server)
        hostile = "\x1b]52;c;aGk=\x07"
        reply = server.request("tools/call", {"name": "lookup", "arguments": {"query": "1", "catalogs": [hostile]}})
        assert reply["result"]["isError"] is True
    finally:
        server.close()
    assert b"skipped catalog" in server.stderr
    assert b"refused" in server.stderr
    assert b"\x1b" not in server.stderr
