"""Where catalogs are found: bundled with errcode, the user folder, ``ERRCODE_PATH``, ``--catalog-path``."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from errcli.errors import CatalogError, UsageError

CATALOG_SUFFIXES = (".yaml", ".yml")


def bundled_data(name: str) -> Path | None:
    """A folder of errcode's data (``catalogs``, ``tables``): inside the installed package, or the source checkout."""
    package = Path(__file__).resolve().parents[1]
    for candidate in (package / "data" / name, package.parent / "data" / name):
        if candidate.is_dir():
            return candidate
    return None


def bundled_dir() -> Path:
    """The bundled catalogs: inside the installed package, or the source checkout."""
    found = bundled_data("catalogs")
    if found is not None:
        return found
    package = Path(__file__).resolve().parents[1]
    raise CatalogError(str(package / "data" / "catalogs"), None, "bundled catalogs are missing; reinstall errcode")


def user_paths(extra: Iterable[str] = (), environ: dict[str, str] | None = None) -> list[Path]:
    """User catalog files and folders, in priority order (later overrides earlier)."""
    env = os.environ if environ is None else environ
    paths: list[Path] = []
    default = default_user_dir(env)
    if default is not None:
        try:
            found = default.is_dir()
        except OSError:  # it cannot be looked at (a folder above it cannot be read): loading it says why
            found = True
        if found:
            paths.append(default)
    paths.extend(Path(p) for p in env.get("ERRCODE_PATH", "").split(os.pathsep) if p)
    paths.extend(Path(p) for p in extra if p)
    return paths


def default_user_dir(environ: Mapping[str, str] | None = None) -> Path | None:
    """The user catalog folder: ``$XDG_CONFIG_HOME/errcode/catalogs``, else under ``~/.config``."""
    env = os.environ if environ is None else environ
    config_home = env.get("XDG_CONFIG_HOME") or (str(Path(env["HOME"]) / ".config") if env.get("HOME") else "")
    return Path(config_home) / "errcode" / "catalogs" if config_home else None


def watched(environ: dict[str, str] | None = None) -> list[str]:
    """Every path a plain run's catalogs come from, folders with the files in them, and the user folder
    even when it is not there: when none of them changed, neither did the catalogs."""
    paths = [bundled_dir()]
    default = default_user_dir(environ)
    if default is not None:
        paths.append(default)
    paths += user_paths((), environ)
    found: list[str] = []
    for path in paths:
        found.append(str(path))
        if is_dir(path):
            found += (str(p) for p in catalog_files(path))
    return list(dict.fromkeys(found))


def exists(path: Path) -> bool:
    """Whether ``path`` is there; one that cannot be looked at (in a folder that cannot be read)
    counts as there, and loading it says why."""
    try:
        path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError:
        return True
    return True


def is_dir(path: Path) -> bool:
    """Whether ``path`` is a folder; False when it cannot be looked at."""
    try:
        return path.is_dir()
    except OSError:
        return False


def catalog_files(path: Path) -> list[Path]:
    """The catalog files ``path`` stands for: itself, or a folder's regular .yaml/.yml files.

    In a folder, what is not a regular file (a FIFO, a link to a device) is skipped; a path named
    on its own is kept, and loading it says what is wrong with it.
    """
    if is_dir(path):
        try:
            return sorted(p for p in path.iterdir() if p.suffix in CATALOG_SUFFIXES and p.is_file())
        except OSError:  # an unreadable folder: loading it says why
            return [path]
    return [path]


def require_paths(paths: Iterable[str]) -> None:
    """Every catalog path given on the command line exists."""
    for path in paths:
        if not exists(Path(path)):
            raise UsageError(
                f"{path}: no such file or folder",
                hint="check the path given to --catalog-path: a catalog file (.yaml) or a folder of them",
            )
