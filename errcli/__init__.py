"""errcode: offline lookup of API error codes (market-data, QAExchange, ZTDX, HTTP)."""

__version__ = "0.1.0"
