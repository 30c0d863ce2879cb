"""Defaults read from the environment, importable by every entry point without cost."""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (costs start-up time)

if TYPE_CHECKING:
    from errcli.model import Lang


def default_lang(environ: dict[str, str] | None = None) -> Lang:
    """ERRCODE_LANG, then the locale (LC_ALL, LANG): ``zh*`` means Chinese, anything else English."""
    env = os.environ if environ is None else environ
    for name in ("ERRCODE_LANG", "LC_ALL", "LANG"):
        value = env.get(name, "").strip().lower()
        if value:
            return "zh" if value.startswith("zh") else "en"
    return "en"
