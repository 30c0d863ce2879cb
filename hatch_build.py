"""The wheel's one compiled module: ``errcli/explain/_scan.c``, the ``explain --summary`` lookup.

Built with the C compiler Python was built with (``CC``, else ``cc``). Where none works the
wheel is built without it, pure Python, and ``--summary`` takes the interpreter's lookup
(the same counts, slower); a warning says so.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sysconfig
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

SOURCE = Path("errcli", "explain", "_scan.c")
FLAGS = ["-O2", "-shared", "-fPIC", "-fno-strict-aliasing"]


class CompiledLookup(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        name = "_scan" + (sysconfig.get_config_var("EXT_SUFFIX") or ".so")
        if version == "editable":  # next to the source, where the editable install imports it from
            out = Path(self.root, "errcli", "explain", name)
        else:
            self._tmp = tempfile.mkdtemp(prefix="errcode-build-")
            out = Path(self._tmp, name)
        compiler = shlex.split(os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc")
        include = sysconfig.get_paths()["include"]
        command = [*compiler, *FLAGS, f"-I{include}", str(Path(self.root, SOURCE)), "-o", str(out)]
        try:
            subprocess.run(command, check=True, capture_output=True, text=True)  # noqa: S603
        except (OSError, subprocess.CalledProcessError) as exc:
            detail = getattr(exc, "stderr", "") or str(exc)
            self.app.display_warning(
                f"errcode: {SOURCE} was not compiled ({detail.strip()[:300]}); "
                "explain --summary will use the slower pure-Python lookup"
            )
            return
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        if version != "editable":
            build_data["force_include"][str(out)] = f"errcli/explain/{name}"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:  # noqa: ARG002
        tmp = getattr(self, "_tmp", None)
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
