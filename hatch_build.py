"""Wheel build step: ship the built-in rules already validated and translated.

Loading the rules validates every rule file (each regex compiled once) and translates every
regex into its prefilter form, which takes longer than starting spaCy. The result is cached
after the first run, but a first run after ``pip install`` (a CI machine, a pre-commit
environment) has no cache: so the wheel carries the loaded rule set as
``checkin_lint/_rules/.prebuilt-ruleset.pickle`` (see
:func:`checkin_lint.rules.loader.write_prebuilt`), used only while the rule files beside it
are byte for byte those it was built from. If the step fails the wheel is built without it
(every run then loads the rules itself, as before) and the build says so.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

TARGET = "checkin_lint/_rules/.prebuilt-ruleset.pickle"


class CustomBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    """Adds the prebuilt rule set to regular (not editable) wheels."""

    _tmp: str | None = None

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        self._tmp = tempfile.mkdtemp(prefix="checkin-lint-build-")
        out = Path(self._tmp) / "prebuilt-ruleset.pickle"
        sys.path.insert(0, str(Path(self.root) / "src"))
        try:
            from checkin_lint.rules.loader import write_prebuilt

            write_prebuilt(out)  # from the checkout's rules/ folder
        except Exception as exc:  # noqa: BLE001 - the wheel works without it, only slower to start
            self.app.display_warning(f"checkin-lint: built-in rules not prebuilt ({exc}); first runs will load them")
            return
        finally:
            sys.path.remove(str(Path(self.root) / "src"))
        build_data["force_include"][str(out)] = TARGET

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)
