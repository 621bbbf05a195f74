"""A first run after installing (the wheel's prebuilt rules, no cache of any kind) that lints
one short draft imports only what that draft needs, and stores no rule-set cache entry.

The run is a child process, so that ``sys.modules`` holds only what the run imported; it
stands in for an installed wheel by pointing the built-in rules directory at a copy of the
rules with the prebuilt file written beside them (``hatch_build.py`` writes it the same way).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from checkin_lint.rules import builtin_rules_dir
from checkin_lint.rules.loader import PREBUILT, write_prebuilt

CHILD = """
import json, sys
from pathlib import Path
import checkin_lint.rules as rules
import checkin_lint.rules.loader as loader
packaged = Path(sys.argv[1])
rules.builtin_rules_dir = loader.builtin_rules_dir = lambda: packaged
from checkin_lint.cli import main
try:
    main(["draft.txt"])
except SystemExit as exc:
    code = exc.code
Path(sys.argv[2]).write_text(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""

NOT_NEEDED = {
    "yaml": "the rules come prebuilt: no rule file is parsed",
    "checkin_lint.rules.schema": "the prebuilt rules were validated when the wheel was built",
    "checkin_lint.rules.yamlsource": "no rule file is parsed",
    "pathspec": "a file named on the command line with no exclude globs is not matched against them",
    "tomllib": "no pyproject.toml above the draft",
    "quotequail": "the draft holds no reply intro or forward marker",
    "concurrent.futures.process": "one process lints a single draft",
}


def test_one_short_draft_imports_only_what_it_needs(tmp_path: Path) -> None:
    packaged = tmp_path / "_rules"
    shutil.copytree(builtin_rules_dir(), packaged)
    write_prebuilt(packaged / PREBUILT)
    work = tmp_path / "work"
    work.mkdir()
    (work / "draft.txt").write_text("Hi Dana,\n\nJust checking in to see if you had a chance to look at my last "
                                    "email.\n\nThanks,\nSam\n", encoding="utf-8")
    cache = tmp_path / "cache"
    result = tmp_path / "result.json"
    run = subprocess.run([sys.executable, "-c", CHILD, str(packaged), str(result)], cwd=work, capture_output=True,
                         text=True, env={"CHECKIN_LINT_CACHE_DIR": str(cache), "PATH": "/usr/bin:/bin"}, timeout=300)
    assert result.is_file(), run.stderr
    found = json.loads(result.read_text())
    assert found["code"] == 1 and "REJECT" in run.stdout  # the draft was linted: an empty check-in
    assert "spacy" in found["modules"] and "checkin_lint.linter" in found["modules"]  # the check sees the run's imports
    loaded = {name: why for name, why in NOT_NEEDED.items() if name in found["modules"]}
    assert loaded == {}
    assert not list(cache.rglob("rules/*.json"))  # no rule-set cache entry: the prebuilt file serves
    assert list(cache.rglob("*")), "the result cache is still written"
