"""Wheel build step: ship the built-in rules already validated and translated, and the
prefilter's compiled Hyperscan database for them.

Loading the rules validates every rule file (each regex compiled once) and translates every
regex into its prefilter form, which takes longer than starting spaCy; the prefilter then
needs a matcher over those forms (the RE2 set takes about 0.1 s to build, the Hyperscan
database several seconds). Both are cached after the first runs, but a first run after
``pip install`` (a CI machine, a pre-commit environment) has no cache: so the wheel carries

* the loaded rule set as ``checkin_lint/_rules/.prebuilt-ruleset.pickle`` (see
  :func:`checkin_lint.rules.loader.write_prebuilt`), used only while the rule files beside
  it are byte for byte those it was built from;
* the Hyperscan database of their regexes as ``checkin_lint/_rules/.prebuilt-prefilter.hsdb``
  (see :func:`checkin_lint.engine.prefilter.write_database`), used only by the same
  Hyperscan version on the same kind of machine and CPU, with the same regexes.

If a step fails the wheel is built without its file (runs then do that work themselves, as
before) and the build says so.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

TARGET = "checkin_lint/_rules/.prebuilt-ruleset.pickle"
DATABASE_TARGET = "checkin_lint/_rules/.prebuilt-prefilter.hsdb"


class CustomBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    """Adds the prebuilt rule set and prefilter database to regular (not editable) wheels."""

    _tmp: str | None = None

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        self._tmp = tempfile.mkdtemp(prefix="checkin-lint-build-")
        out = Path(self._tmp) / "prebuilt-ruleset.pickle"
        database = Path(self._tmp) / "prebuilt-prefilter.hsdb"
        sys.path.insert(0, str(Path(self.root) / "src"))
        try:
            from checkin_lint.rules.loader import write_prebuilt

            ruleset = write_prebuilt(out)  # from the checkout's rules/ folder
        except Exception as exc:  # noqa: BLE001 - the wheel works without it, only slower to start
            self.app.display_warning(f"checkin-lint: built-in rules not prebuilt ({exc}); first runs will load them")
            return
        else:
            build_data["force_include"][str(out)] = TARGET
            try:
                from checkin_lint.engine.prefilter import write_database

                written = write_database([expr for _, expr in ruleset.regexes], ruleset.supersets, database)
            except Exception as exc:  # noqa: BLE001 - as above: first runs use the RE2 set
                self.app.display_warning(f"checkin-lint: prefilter database not built ({exc}); first runs will use RE2")
            else:
                if written:
                    build_data["force_include"][str(database)] = DATABASE_TARGET
                else:
                    self.app.display_warning("checkin-lint: no Hyperscan for this build; first runs will use RE2")
        finally:
            sys.path.remove(str(Path(self.root) / "src"))

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)
