"""A real-looking service log for the ``explain --summary`` benchmark (deterministic, seeded).

    python tests/bench/reallog.py OUT [--lines N] [--seed S]

It reads like what a trading client and its gateway write to one aggregated log: every JSON
value sits after a log prefix (timestamp with milliseconds, level, logger, request id and often
``resp=``, ``body=`` or ``<- 400 POST /path``), in four logger styles. The JSON is the three
bundled APIs' own shapes (data/catalogs/*.yaml envelopes and examples):

* market-data  HTTP ``{code, message, data}`` and WebSocket ``{cmd, code, message, data}``;
* qaexchange   HTTP ``{success: false, data, error: {code, message}}``, WebSocket
  ``{type: "error", code, message}`` and DIFF ``{"aid": "rtn_data", "data": [{"notify": …}]}``;
* ztdx         ``{error: "…", code: "UPPER_SNAKE", details}``;

with English and Chinese messages carrying amounts, order, account and position ids, symbols
and uuids (almost no two lines are the same), some Chinese escaped as ``\\uXXXX`` the way
Python's ``json.dumps`` writes it, undocumented codes (4017, 9999, 400, 100000+, unknown snake
codes), successes with quote, candle, trade and account payloads, and plain lines without JSON
(start-up, connections, access lines, Python and Java stack traces), and Python dict reprs
(``order params {'symbol': …}``), which explain reads as the objects they stand for.

Mix, in lines: ~55 % successes and data, ~30 % errors, ~12 % plain, ~3 % WebSocket frames.
The entry point prints the exact counts per kind as one JSON object on stdout.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

START_MS = 1_760_427_000_000 + 123  # 2025-10-14T07:30:00.123Z
Obj = dict[str, Any]
T = TypeVar("T")

MD_SYMBOLS = ["BTCUSDT", "ETHUSDT", "SOLUSDT", "AAPL", "TSLA", "600519.SH", "000001.SZ", "00700.HK", "EURUSD", "XAUUSD"]
QA_INSTRUMENTS = [
    "IF2312",
    "IH2312",
    "IC2401",
    "cu2401",
    "rb2405",
    "au2406",
    "SHFE.cu2402",
    "IX2301",
    "m2405",
    "sc2403",
]
ZT_SYMBOLS = ["BTC-USDT", "ETH-USDT", "SOL-USDT", "ARB-USDT", "DOGE-USDT"]
MD_PATHS = ["/api/v1/ticker", "/api/v1/klines", "/api/v1/trades", "/api/v1/depth", "/api/v1/symbols"]
QA_PATHS = ["/api/order/submit", "/api/order/cancel", "/api/account/info", "/api/position/list", "/api/account/deposit"]
POSTS = {"/api/order/submit", "/api/order/cancel", "/api/account/deposit", "/api/v1/orders", "/api/v1/auth/login"}
POSTS |= {"/api/v1/referral/bind", "/api/v1/withdraw"}
JAVA_CLASSES = {
    "md.client": "c.t.gw.MarketDataClient",
    "qa.http": "c.t.gw.QaExchangeClient",
    "ztdx.api": "c.t.gw.ZtdxClient",
    "trader.metrics": "c.t.gw.Metrics",
    "md.ws": "c.t.gw.MarketDataSocket",
    "qa.ws": "c.t.gw.QaExchangeSocket",
    "qa.ws.session": "c.t.gw.QaExchangeSession",
    "md.ws.feed": "c.t.gw.MarketDataFeed",
}
COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
SPACED = json.JSONEncoder(ensure_ascii=False)
ESCAPED = json.JSONEncoder()
ZT_PATHS = ["/api/v1/orders", "/api/v1/positions", "/api/v1/auth/login", "/api/v1/referral/bind", "/api/v1/withdraw"]


class Gen:
    """One seeded generator: the clock, ids and the line builders share its random stream."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.r = self.rng.random
        self.ms = START_MS
        self._stamp_sec = -1
        self._stamp: tuple[str, str, str] = ("", "", "")

    # -- small values (random.choice and randrange cost 3x more than this) -----------------------

    def pick(self, seq: Sequence[T]) -> T:
        return seq[int(self.r() * len(seq))]

    def ri(self, lo: int, hi: int | None = None) -> int:
        if hi is None:
            lo, hi = 0, lo
        return lo + int(self.r() * (hi - lo))

    def uuid(self) -> str:
        h = f"{self.rng.getrandbits(128):032x}"
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}"

    def hexid(self, n: int = 12) -> str:
        return f"{self.rng.getrandbits(4 * n):0{n}x}"

    def order_id(self) -> str:
        return f"O{self.ri(10**9, 10**10)}"

    def user(self) -> str:
        return self.pick(["user", "acct", "u", "trader"]) + f"{self.ri(1, 99999):05d}"

    def amount(self, lo: float, hi: float) -> str:
        return f"{self.rng.uniform(lo, hi):.2f}"

    def address(self) -> str:
        return "0x" + self.hexid(40)

    def price(self, symbol: str) -> float:
        base = {"BTC": 67000.0, "ETH": 2450.0, "SOL": 150.0, "AAP": 228.0, "TSL": 251.0, "600": 1690.0}
        b = base.get(symbol[:3], 12.5 + (sum(map(ord, symbol)) % 400))
        return round(b * self.rng.uniform(0.98, 1.02), 2)

    # -- the clock and prefixes -----------------------------------------------------------------

    def stamps(self) -> tuple[str, str, str]:
        """The same instant three ways: ISO UTC ``Z``, Python logging ``,ms`` and ``+08:00``."""
        self.ms += int(self.rng.expovariate(1 / 3.0))
        sec, ms = divmod(self.ms, 1000)
        if sec != self._stamp_sec:
            self._stamp_sec = sec
            utc = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(sec))
            local = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(sec + 8 * 3600))
            self._stamp = (utc, utc.replace("T", " "), local)
        utc, plain, local = self._stamp
        return f"{utc}.{ms:03d}Z", f"{plain},{ms:03d}", f"{local}.{ms:03d}+08:00"

    def prefix(self, level: str, logger: str, lead: str) -> str:
        iso, pylog, local = self.stamps()
        rid = self.hexid(8)
        style = self.rng.random()
        if style < 0.35:  # a Rust/Go service: ISO UTC, padded level, target in brackets
            return f"{iso} {level:<5} [{logger}] req_id={rid} {lead}"
        if style < 0.65:  # Python logging
            return f"{pylog} {level} [{logger}] ({rid}) {lead}"
        if style < 0.85:  # docker compose logs of a Java gateway
            thread = self.pick(["main", "pool-2-thread-3", "http-nio-8080-exec-7", "ws-io-1", "scheduler-4"])
            java = JAVA_CLASSES.get(logger, "c.t.gw.Application")
            return f"gateway-1  | {local} [{thread}] {level} {java} - [trace={self.hexid(16)}] {lead}"
        return f"[{iso}] [{level.lower()}] {logger}: rid={rid} {lead}"  # a Node service

    def lead(self, status: int, path: str) -> str:
        """What sits between the prefix and the JSON of an HTTP response."""
        method = "POST" if path in POSTS else "GET"
        r = self.r()
        if r < 0.2:
            return "resp="
        if r < 0.35:
            return "body="
        if r < 0.55:
            return f"<- {status} {method} {path} "
        if r < 0.65:
            return f"<- {status} "
        if r < 0.8:
            return f"{method} {path} -> {status} in {self.ri(2, 900)}ms body="
        if r < 0.9:
            what = "request ok" if status < 400 else "request failed"
            return f'msg="{what}" status={status} resp='
        if r < 0.97:
            return f"response ({self.ri(2, 900)} ms): "
        return ""

    def dumps(self, obj: Obj) -> str:
        r = self.r()
        if r < 0.5:
            return COMPACT.encode(obj)
        if r < 0.8:
            return SPACED.encode(obj)
        return ESCAPED.encode(obj)  # Python's default: Chinese as \\uXXXX

    # -- market-data ----------------------------------------------------------------------------

    def md_error(self) -> tuple[int, Obj]:
        sym = self.pick(MD_SYMBOLS)
        n = self.ri(1001, 5000)
        choices: list[Callable[[], tuple[int, int, str]]] = [
            lambda: (1001, 401, "Invalid or expired token"),
            lambda: (1001, 401, f"Invalid or expired token: ak_{self.hexid(6)}…"),
            lambda: (1002, 401, "Token is required"),
            lambda: (1003, 403, f"IP address not in whitelist: 203.0.{self.ri(256)}.{self.ri(256)}"),
            lambda: (1004, 403, f"Permission denied: plan free cannot access {self.pick(MD_PATHS)}"),
            lambda: (2001, 400, "Invalid parameter: symbol is required"),
            lambda: (2001, 400, f"Invalid parameter: interval '{self.pick(['7m', '2h', '3d', 'x'])}' is not supported"),
            lambda: (2002, 404, f"Symbol not found: {sym}X"),
            lambda: (2002, 404, f"交易对不存在: {sym}"),
            lambda: (2003, 400, f"Invalid time range: start {self.ms + n * 1000} is after end {self.ms}"),
            lambda: (2004, 400, f"Request limit exceeded: limit={n}, max=1000"),
            lambda: (3001, 429, "Rate limit exceeded"),
            lambda: (3001, 429, f"Rate limit exceeded: {self.ri(61, 600)} req/min, retry after {self.ri(1, 60)}s"),
            lambda: (3001, 429, f"请求频率超过限制: 每分钟 {self.ri(61, 600)} 次"),
            lambda: (3002, 429, f"Quota exhausted: {n * 1000}/{n * 1000} requests this month"),
            lambda: (3003, 429, f"Connection limit exceeded: {self.ri(6, 50)} active connections"),
            lambda: (5000, 500, "Internal server error"),
            lambda: (5001, 502, f"Data source unavailable: upstream {self.pick(['binance', 'sse', 'hkex'])} timeout"),
            lambda: (5002, 503, "Service temporarily unavailable"),
            lambda: (5002, 503, "服务暂时不可用,请稍后重试"),
        ]
        code, status, message = self.pick(choices)()
        body: Obj = {"code": code, "message": message}
        r = self.r()
        if r < 0.4:
            body["data"] = None
        elif r < 0.6:
            body["data"] = {"request_id": self.uuid(), "symbol": sym}
        return status, body

    def md_success(self) -> Obj:
        rng = self.rng
        sym = self.pick(MD_SYMBOLS)
        p = self.price(sym)
        kind = self.r()
        data: Any
        if kind < 0.45:
            data = {
                "symbol": sym,
                "last": p,
                "bid": round(p * 0.9999, 2),
                "ask": round(p * 1.0001, 2),
                "volume": round(rng.uniform(1e3, 1e7), 3),
                "change_pct": round(rng.uniform(-5, 5), 2),
                "timestamp": self.ms,
            }
        elif kind < 0.7:
            t = self.ms - self.ms % 60000
            data = [
                [
                    t - 60000 * i,
                    p,
                    round(p * 1.002, 2),
                    round(p * 0.998, 2),
                    round(p * rng.uniform(0.998, 1.002), 2),
                    round(rng.uniform(1, 500), 3),
                ]
                for i in range(self.ri(2, 6))
            ]
        elif kind < 0.9:
            data = [
                {
                    "id": self.ri(10**8, 10**9),
                    "price": round(p * rng.uniform(0.999, 1.001), 2),
                    "qty": round(rng.uniform(0.001, 20), 3),
                    "side": self.pick(["buy", "sell"]),
                    "ts": self.ms - self.ri(0, 5000),
                }
                for _ in range(self.ri(1, 4))
            ]
        else:
            data = {
                "bids": [[round(p * (1 - i / 1e4), 2), round(rng.uniform(0.1, 9), 3)] for i in range(1, 4)],
                "asks": [[round(p * (1 + i / 1e4), 2), round(rng.uniform(0.1, 9), 3)] for i in range(1, 4)],
                "symbol": sym,
            }
        return {"code": 0, "message": "success", "data": data}

    def md_ws(self, error: bool) -> Obj:
        sym = self.pick(MD_SYMBOLS)
        if error:
            code, cmd, message, data = self.pick(
                [
                    (4001, self.pick(["subscibe", "unsub", "ping2"]), "Unknown command", None),
                    (4002, "subscribe", "Invalid message format", None),
                    (
                        4003,
                        "subscribe",
                        "Depth subscriptions temporarily unavailable",
                        {"channel": "depth", "symbol": sym},
                    ),
                    (
                        4004,
                        "subscribe",
                        "Trade subscriptions temporarily unavailable",
                        {"channel": "trade", "symbol": sym},
                    ),
                    (3004, "subscribe", f"Subscription limit exceeded: {self.ri(51, 200)}/50", None),
                    (1001, "auth", "Invalid or expired token", None),
                ]
            )
            frame: Obj = {"cmd": cmd, "code": code, "message": message}
            if data is not None:
                frame["data"] = data
            return frame
        r = self.r()
        if r < 0.4:
            return {
                "cmd": "subscribe",
                "code": 0,
                "message": "success",
                "data": {"channel": "ticker", "symbols": [sym]},
            }
        if r < 0.6:
            return {"cmd": "pong", "code": 0, "message": "success", "data": {"ts": self.ms}}
        return {"cmd": "push", "channel": "ticker", "data": {"symbol": sym, "last": self.price(sym), "ts": self.ms}}

    # -- qaexchange -----------------------------------------------------------------------------

    def qa_message(self) -> tuple[int, str]:
        rng = self.rng
        ins = self.pick(QA_INSTRUMENTS)
        need = rng.uniform(1000, 2_000_000)
        zh: list[Callable[[], tuple[int, str]]] = [
            lambda: (1001, f"资金不足: 需要 {need:.2f}, 可用 {need * rng.uniform(0.1, 0.95):.2f}"),
            lambda: (1002, f"超过持仓限额: 当前持仓占比 {self.ri(51, 99)}%, 限制 50%"),
            lambda: (1003, f"订单金额过大: {rng.uniform(1e7, 9e7):.2f}, 限制 10000000.00"),
            lambda: (1004, f"风险度过高: 当前 {self.ri(96, 140)}%, 限制 95%"),
            lambda: (1005, f"自成交风险: 存在反向挂单 {self.order_id()}"),
            lambda: (1006, f"账户不存在: {self.user()}"),
            lambda: (1007, f"合约不存在: {ins}X"),
            lambda: (1008, f"订单数量非法: {self.pick(['0.5', '0', '-1', '1.5'])} 手, 最小 1 手"),
            lambda: (2002, f"账户已冻结: {self.user()}"),
            lambda: (2003, "入金失败: 金额必须大于0"),
            lambda: (2004, f"出金失败: 可用资金不足 (可用 {rng.uniform(0, 999):.2f})"),
            lambda: (2005, f"持仓不足: 持有 {self.ri(0, 10)} 手, 平仓 {self.ri(10, 50)} 手"),
            lambda: (3001, f"订单不存在: {self.order_id()}"),
            lambda: (3002, f"订单状态不允许撤销: {self.pick(['已成交', '已撤销', '已拒绝'])}"),
            lambda: (3003, "订单提交失败: 撮合引擎繁忙"),
            lambda: (3004, "订单修改失败: 不支持修改价格"),
            lambda: (4001, f"撮合引擎未初始化: {ins}"),
            lambda: (5000, "内部错误: 数据库连接失败"),
            lambda: (5002, "存储错误: MongoDB 写入失败"),
            lambda: (6001, f"结算价未设置: {ins}"),
            lambda: (9004, "请求频率过高: 限制 100 req/s"),
            lambda: (9005, "服务不可用: 系统维护中"),
        ]
        en: list[Callable[[], tuple[int, str]]] = [
            lambda: (1001, f"Insufficient funds: required {need:.2f}, available {need * rng.uniform(0.1, 0.95):.2f}"),
            lambda: (3001, f"Order not found: {self.order_id()}"),
            lambda: (1007, f"Instrument not found: {ins}X"),
            lambda: (2002, f"Account frozen: {self.user()}"),
        ]
        return self.pick(zh)() if self.r() < 0.85 else self.pick(en)()

    def qa_error(self) -> tuple[int, Obj]:
        code, message = self.qa_message()
        status = 500 if code in {5000, 5002} else 429 if code == 9004 else 400
        return status, {"success": False, "data": None, "error": {"code": code, "message": message}}

    def qa_ws_error(self) -> Obj:
        messages: list[Callable[[], tuple[int, str]]] = [
            lambda: (9001, "认证失败: Token 无效"),
            lambda: (9001, f"认证失败: Token 已过期 ({self.user()})"),
            lambda: (9002, "未认证: 请先发送 auth 消息"),
            lambda: (9003, f"消息格式错误: JSON 解析失败 at line 1 column {self.ri(2, 300)}"),
            lambda: (9004, "请求频率过高: 限制 100 req/s"),
        ]
        code, message = self.pick(messages)()
        return {"type": "error", "code": code, "message": message}

    def qa_success(self) -> Obj:
        rng = self.rng
        if self.r() < 0.55:
            data: Obj = {
                "order_id": self.order_id(),
                "instrument_id": self.pick(QA_INSTRUMENTS),
                "direction": self.pick(["BUY", "SELL"]),
                "offset": self.pick(["OPEN", "CLOSE"]),
                "volume": self.ri(1, 50),
                "status": self.pick(["ALIVE", "FINISHED", "SUBMITTED"]),
            }
        else:
            balance = rng.uniform(1e4, 5e6)
            data = {
                "user_id": self.user(),
                "balance": round(balance, 2),
                "available": round(balance * rng.uniform(0.2, 0.9), 2),
                "margin": round(balance * rng.uniform(0.05, 0.5), 2),
                "risk_ratio": round(rng.uniform(0, 0.9), 4),
            }
        return {"success": True, "data": data, "error": None}

    def qa_diff(self) -> Obj:
        rng = self.rng
        parts: list[Obj] = []
        if self.r() < 0.6:
            level, code, content = self.pick(
                [
                    ("INFO", 1000, "下单成功"),
                    ("INFO", 1000, f"撤单成功: {self.order_id()}"),
                    ("WARNING", 1001, self.qa_message()[1]),
                    ("ERROR", 3003, "订单提交失败: 撮合引擎繁忙"),
                ]
            )
            key = f"N{self.ms}{self.ri(100):02d}"
            parts.append({"notify": {key: {"type": "MESSAGE", "level": level, "code": code, "content": content}}})
        ins = self.pick(QA_INSTRUMENTS)
        parts.append({"quotes": {ins: {"last_price": round(rng.uniform(3000, 80000), 1), "volume": self.ri(10**6)}}})
        return {"aid": "rtn_data", "data": parts}

    # -- ztdx -----------------------------------------------------------------------------------

    def zt_error(self) -> tuple[int, Obj]:
        rng = self.rng
        sym = self.pick(ZT_SYMBOLS)
        need = rng.uniform(10, 90000)
        have = need * rng.uniform(0, 0.95)
        choices: list[Callable[[], tuple[int, str, str, Obj | None]]] = [
            lambda: (
                400,
                "INSUFFICIENT_BALANCE",
                f"余额不足,需要 {need:.2f} USDT 作为保证金",
                {"required": f"{need:.2f}", "available": f"{have:.2f}", "token": "USDT"},
            ),
            lambda: (
                400,
                "INSUFFICIENT_BALANCE",
                f"Insufficient balance: need {need:.2f} USDT, have {have:.2f}",
                {"required": f"{need:.2f}", "available": f"{have:.2f}", "token": "USDT"},
            ),
            lambda: (400, "INVALID_SIGNATURE_FORMAT", "签名格式无效: 必须以 0x 开头, 130 个字符", None),
            lambda: (401, "SIGNATURE_INVALID", f"EIP-712 signature verification failed for {self.address()}", None),
            lambda: (401, "TIMESTAMP_EXPIRED", "时间戳已过期", {"timestamp": self.ms // 1000 - self.ri(301, 9999)}),
            lambda: (401, "NONCE_INVALID", f"Nonce 无效或已使用: {self.hexid(16)}", None),
            lambda: (401, "TOKEN_EXPIRED", "Token 已过期,请重新登录", None),
            lambda: (401, "TOKEN_INVALID", "Invalid token", None),
            lambda: (400, "INVALID_SYMBOL", f"不支持的交易对: {sym.replace('-USDT', '-USDC')}", None),
            lambda: (400, "INVALID_LEVERAGE", f"杠杆倍数超出范围: {self.ri(101, 500)}, 允许 1-100", {"max": 100}),
            lambda: (400, "INVALID_AMOUNT", f"无效的数量: {self.pick(['0', '-0.01', '1e-9'])}", None),
            lambda: (400, "PRICE_REQUIRED", "限价单必须指定价格", None),
            lambda: (404, "ORDER_NOT_FOUND", f"订单不存在: {self.uuid()}", None),
            lambda: (404, "ORDER_NOT_FOUND", "Order not found", {"orderId": self.uuid()}),
            lambda: (400, "ORDER_NOT_CANCELLABLE", f"订单状态不允许取消: {self.pick(['filled', 'cancelled'])}", None),
            lambda: (404, "POSITION_NOT_FOUND", f"仓位不存在: {self.uuid()}", None),
            lambda: (400, "INSUFFICIENT_COLLATERAL", f"剩余保证金不足: {have:.2f} USDT", None),
            lambda: (
                400,
                "LIQUIDATION_RISK",
                f"操作后健康度过低: {rng.uniform(1.0, 1.1):.3f}",
                {"healthFactor": "1.02"},
            ),
            lambda: (429, "RATE_LIMIT_EXCEEDED", "请求过于频繁,请稍后再试", {"retryAfter": self.ri(1, 60)}),
            lambda: (503, "SERVICE_UNAVAILABLE", "服务暂时不可用", None),
            lambda: (500, "DATABASE_ERROR", "数据库错误", None),
            lambda: (500, "MATCHING_ERROR", f"撮合引擎错误: {sym}", None),
            lambda: (400, "BELOW_MINIMUM", f"低于最低领取金额: {rng.uniform(0, 9.99):.2f} USDT, 最低 10 USDT", None),
        ]
        status, code, error, details = self.pick(choices)()
        body: Obj = {"error": error, "code": code}
        if details is not None:
            body["details"] = details
        return status, body

    def zt_success(self) -> Obj:
        rng = self.rng
        sym = self.pick(ZT_SYMBOLS)
        r = self.r()
        if r < 0.5:
            return {
                "success": True,
                "data": {
                    "orderId": self.uuid(),
                    "symbol": sym,
                    "side": self.pick(["long", "short"]),
                    "size": f"{rng.uniform(0.001, 5):.4f}",
                    "price": f"{self.price(sym[:3]):.2f}",
                    "leverage": self.ri(1, 50),
                    "status": self.pick(["open", "filled", "partially_filled"]),
                },
            }
        if r < 0.8:
            return {
                "positions": [
                    {
                        "id": self.uuid(),
                        "symbol": sym,
                        "size": f"{rng.uniform(0.01, 3):.3f}",
                        "pnl": self.amount(-500, 900),
                    }
                ],
                "total": 1,
            }
        return {"nonce": self.hexid(32), "expiresAt": self.ms // 1000 + 300}

    def app_event(self) -> Obj:
        """The client's own structured events: JSON that is no API response."""
        rng = self.rng
        return {
            "event": self.pick(["order_submitted", "order_ack", "quote_latency", "position_sync"]),
            "order_id": self.order_id(),
            "latency_ms": round(rng.expovariate(1 / 15), 2),
            "venue": self.pick(["qaexchange", "ztdx", "md"]),
        }

    # -- undocumented ---------------------------------------------------------------------------

    def undocumented(self) -> tuple[int, Obj]:
        r = self.r()
        if r < 0.2:
            return 403, {"code": 4017, "message": f"Channel not permitted for plan: {self.pick(MD_SYMBOLS)}@depth"}
        if r < 0.35:
            return 500, {"code": 9999, "message": "unknown error", "data": {"trace_id": self.hexid(16)}}
        if r < 0.5:
            return 400, {"code": 400, "message": f"Bad Request: missing field `{self.pick(['price', 'qty', 'side'])}`"}
        if r < 0.75:
            code = self.ri(100000, 999999)
            return 500, {"code": code, "message": f"upstream error {code}: {self.uuid()}"}
        if r < 0.9:
            return 400, {
                "success": False,
                "data": None,
                "error": {"code": 7001, "message": f"保证金模式不支持: {self.user()}"},
            }
        return 400, {"error": "KYC verification required", "code": self.pick(["KYC_REQUIRED", "ORDER_EXPIRED"])}

    # -- plain lines ----------------------------------------------------------------------------

    def plain(self) -> tuple[str, list[str]]:
        """Lines without JSON (``plain``), or a Python client's dict repr (``python_dict``: a record, no error)."""
        rng = self.rng
        r = self.r()
        if r < 0.15:
            return "plain", self.traceback()
        sym = self.pick(MD_SYMBOLS)
        texts: list[Callable[[], str]] = [
            lambda: f"connected to wss://md.example.com/ws?api_key=*** in {self.ri(20, 400)}ms",
            lambda: f"connected to wss://qa.example.com:7988/ws (session {self.hexid(10)})",
            lambda: f"reconnecting in {rng.uniform(0.5, 8):.1f}s (attempt {self.ri(1, 9)})",
            lambda: f"heartbeat ok rtt={self.ri(1, 90)}ms",
            lambda: f"subscribed to ticker {sym}, depth {sym}",
            lambda: f"order {self.order_id()} filled {self.ri(1, 20)}@{rng.uniform(3000, 5000):.1f}",
            lambda: f"GET {self.pick(MD_PATHS)}?symbol={sym} 200 {self.ri(2, 300)}ms",
            lambda: f"loaded {self.ri(10, 900)} instruments from cache in {self.ri(1, 90)}ms",
            lambda: f"retrying request {self.hexid(8)} (attempt {self.ri(2, 5)}/5) after {self.ri(100, 3000)}ms",
            lambda: f"Starting trader-gateway v2.{self.ri(9)}.{self.ri(20)} (pid {self.ri(100, 65535)})",
            lambda: f"rate limiter: {self.ri(0, 100)} tokens left, refill in {self.ri(1, 1000)}ms",
        ]
        kind = "plain"
        if self.r() < 1 / (len(texts) + 1):  # a Python dict repr: read as the JSON object it stands for
            kind = "python_dict"
            text = f"order params {{'symbol': '{sym}', 'qty': {self.ri(1, 9)}, 'post_only': False}}"
        else:
            text = self.pick(texts)()
        level = self.pick(["INFO", "INFO", "INFO", "DEBUG", "WARN"])
        return kind, [self.prefix(level, self.pick(["trader.main", "md.ws", "qa.ws", "gateway.pool"]), "") + text]

    def traceback(self) -> list[str]:
        head = self.prefix("ERROR", "trader.http", f"unhandled error in request {self.hexid(8)}")
        if self.r() < 0.6:
            return [
                head,
                "Traceback (most recent call last):",
                f'  File "/app/trader/client.py", line {self.ri(40, 900)}, in submit_order',
                "    resp.raise_for_status()",
                (
                    "requests.exceptions.HTTPError: 400 Client Error: Bad Request for url: "
                    f"https://api.example.com{self.pick(QA_PATHS)}?rid={self.hexid(8)}"
                ),
            ]
        return [
            head,
            f"java.net.SocketTimeoutException: Read timed out after {self.ri(1000, 30000)} ms",
            f"\tat c.t.gw.OrderClient.submit(OrderClient.java:{self.ri(40, 400)})",
            "\tat c.t.gw.OrderService.lambda$place$3(OrderService.java:118)",
            "\t... 14 more",
        ]

    # -- whole lines ----------------------------------------------------------------------------

    def error_line(self) -> tuple[str, str]:
        r = self.r()
        level = self.pick(["ERROR", "ERROR", "WARN"])
        if r < 0.10:
            status, body = self.undocumented()
            kind, logger, path = "error_undocumented", self.pick(["md.client", "qa.http", "ztdx.api"]), "/api/v1/orders"
        elif r < 0.35:
            status, body = self.md_error()
            kind, logger, path = "error_market_data", "md.client", self.pick(MD_PATHS)
        elif r < 0.55:
            status, body = self.qa_error()
            kind, logger, path = "error_qaexchange", "qa.http", self.pick(QA_PATHS)
        elif r < 0.65:  # WebSocket errors have no status line
            qa = self.r() < 0.5
            body = self.qa_ws_error() if qa else self.md_ws(error=True)
            ws = self.pick(["ws recv: ", "<- ws ", "frame=", ""])
            logger = self.pick(["qa.ws", "qa.ws.session"] if qa else ["md.ws", "md.ws.feed"])
            return "error_ws", self.prefix(level, logger, ws) + self.dumps(body)
        else:
            status, body = self.zt_error()
            kind, logger, path = "error_ztdx", "ztdx.api", self.pick(ZT_PATHS)
        return kind, self.prefix(level, logger, self.lead(status, path)) + self.dumps(body)

    def success_line(self) -> tuple[str, str]:
        r = self.r()
        make: Callable[[], Obj]
        if r < 0.4:
            make, logger, path = self.md_success, "md.client", self.pick(MD_PATHS)
        elif r < 0.65:
            make, logger, path = self.qa_success, "qa.http", self.pick(QA_PATHS)
        elif r < 0.9:
            make, logger, path = self.zt_success, "ztdx.api", self.pick(ZT_PATHS)
        else:
            return "app_event", self.prefix("INFO", "trader.metrics", "event ") + self.dumps(self.app_event())
        level = self.pick(["INFO", "INFO", "DEBUG"])
        return "success", self.prefix(level, logger, self.lead(200, path)) + self.dumps(make())

    def ws_line(self) -> tuple[str, str]:
        if self.r() < 0.5:
            return "ws_diff", self.prefix("DEBUG", "qa.ws", self.pick(["recv ", "ws recv: ", ""])) + self.dumps(
                self.qa_diff()
            )
        return "ws_cmd", self.prefix("DEBUG", "md.ws", self.pick(["recv ", "<- ws "])) + self.dumps(
            self.md_ws(error=False)
        )


def write_log(path: Path, lines: int = 1_000_000, seed: int = 20251014) -> Counter[str]:
    """Write ``lines`` lines to ``path`` (UTF-8, ``\\n``); the count of lines per kind."""
    gen = Gen(seed)
    counts: Counter[str] = Counter()
    written = 0
    with path.open("w", encoding="utf-8", newline="\n") as out:
        buf: list[str] = []
        while written < lines:
            r = gen.r()
            if r < 0.077:  # ~1.65 lines per plain event (tracebacks are 5): ~12 % of lines
                kind, block = gen.plain()
                block = block[: lines - written]
                counts[kind] += len(block)
                buf += block
                written += len(block)
                continue
            r = gen.r()
            if r < 0.625:
                kind, line = gen.success_line()
            elif r < 0.966:
                kind, line = gen.error_line()
            else:
                kind, line = gen.ws_line()
            counts[kind] += 1
            buf.append(line)
            written += 1
            if len(buf) >= 4096:
                out.write("\n".join(buf) + "\n")
                buf.clear()
        if buf:
            out.write("\n".join(buf) + "\n")
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="the log file to write")
    parser.add_argument("--lines", type=int, default=1_000_000, help="lines to write (default 1 000 000)")
    parser.add_argument("--seed", type=int, default=20251014, help="random seed (default 20251014)")
    args = parser.parse_args()
    counts = write_log(args.out, args.lines, args.seed)
    print(json.dumps({"lines": sum(counts.values()), **dict(sorted(counts.items()))}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
