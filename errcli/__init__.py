"""errcode: offline lookup of API error codes (market-data, QAExchange, ZTDX, HTTP)."""

from errcli._version import __version__

__all__ = ["__version__"]
