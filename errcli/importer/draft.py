"""The draft out: the file format, its YAML (read back by the catalog loader) and the file written."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import msgspec

from errcli.errors import CatalogError, ErrcodeError, UsageError
from errcli.importer.catalog_draft import DraftCatalog
from errcli.store.files import write_bytes_atomic


def file_format(catalog: DraftCatalog) -> dict[str, Any]:
    """The draft as the catalog file holds it: plain mappings and lists, the fields it gives in order."""
    data: dict[str, Any] = msgspec.to_builtins(catalog)
    return data


def checked_yaml(draft: dict[str, Any], name: str) -> str:
    """The draft as YAML, read back by the catalog loader: what ``errcode validate`` will say."""
    from errcli.catalog import parse_catalog

    text = dump_draft(draft)
    try:
        parse_catalog(text, "draft")
    except CatalogError as exc:  # a bug here, not the user's mistake: say so rather than write a broken file
        raise ErrcodeError(
            f"the draft made from {name} does not validate: {exc}",
            hint="please report this with the document; `--debug` shows where it failed",
        ) from None
    return text


def dump_draft(draft: dict[str, Any]) -> str:
    """The draft as YAML: texts as one-line ``{zh: …}`` mappings, examples and snippets as literal blocks."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def text_or_block(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    def mapping(dumper: yaml.SafeDumper, value: dict[str, Any]) -> yaml.MappingNode:
        flow = set(value) <= {"zh", "en"} and all(isinstance(v, str) and "\n" not in v for v in value.values())
        return dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=flow)

    def sequence(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.SequenceNode:
        flow = all(isinstance(v, (int, str)) and "\n" not in str(v) for v in value) and len(str(value)) < 80
        return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)

    Dumper.add_representer(str, text_or_block)
    Dumper.add_representer(dict, mapping)
    Dumper.add_representer(list, sequence)
    head = "# Draft catalog written by `errcode import`: check every entry against the document,\n"
    head += "# then `errcode validate` it and copy it to ~/.config/errcode/catalogs/.\n"
    body: str = yaml.dump(draft, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=120)
    return head + body


def check_output(path: Path | None, force: bool) -> None:
    """Refuse early (before any work) to overwrite a file without ``--force``, or anything that is not one."""
    if path is None or str(path) == "-":
        return
    if path.is_dir():
        raise UsageError(f"{path} is a folder", hint="give a file name for -o")
    _check_target(path)
    if path.exists() and not force:
        raise _exists(path)


def write_draft(path: Path, text: str, force: bool) -> None:
    """Write the draft; an existing file is replaced only with ``force`` (atomically), and never a device,
    FIFO, socket or kernel file, nor a link to one."""
    _check_target(path)
    if path.exists() and not force:
        raise _exists(path)
    try:
        write_bytes_atomic(path, text.encode("utf-8"))
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


_KERNEL_DIRS = ("/proc", "/sys", "/dev")  # their "files" are the kernel's: a draft never replaces one


def _check_target(path: Path) -> None:
    """An existing ``-o`` must be a regular file (a symlink must lead to one, outside /proc, /sys, /dev)."""
    try:
        link = path.lstat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    if stat.S_ISREG(link.st_mode) or stat.S_ISLNK(link.st_mode):
        try:
            target = path.resolve(strict=True)
            regular = stat.S_ISREG(target.stat().st_mode)
        except (OSError, RuntimeError):
            regular = False  # a dangling link, or a loop
        if regular and not any(str(target) == d or str(target).startswith(d + "/") for d in _KERNEL_DIRS):
            return
    raise UsageError(
        f"{path} is not a regular file",
        hint="-o writes a new catalog file: give a file name (not a device, FIFO or link to one)",
    )


def _exists(path: Path) -> UsageError:
    return UsageError(f"{path} already exists", hint="use --force to overwrite it, or choose another -o file")


def check_id(catalog_id: str) -> None:
    """Refuse an ``--id`` the catalog loader would refuse."""
    from errcli.catalog import CATALOG_ID

    if not CATALOG_ID.match(catalog_id):
        raise UsageError(
            f"--id {catalog_id!r} is not a catalog id",
            hint="use lower-case letters, digits, - and _ (e.g. myapi)",
        )
