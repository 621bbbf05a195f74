"""The pre-commit hooks and the GitHub Action select the files checkin-lint reads, and only
those: every suffix of every input format, never project documentation or CI files.

The real pre-commit run is in ``test_precommit.py``; these checks are fast and cover every
suffix, so a format added to the readers without the hooks fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from checkin_lint.inputs import EXTENSIONS

ROOT = Path(__file__).resolve().parents[1]
HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
OUTREACH = ["templates/intro.md", "emails/bump.eml", "archive/2024.mbox", "playbooks/renewal.yaml", "seq.yml",
            "sequence.json", "crm/export.csv", "crm/export.tsv", "calls/opener.call.md", "vm.script.txt", "DRAFT.TXT",
            "mail/offer.html", "mail/offer.htm", "notes.text", "guide.markdown", "docs/templates/intro.md"]
NOT_OUTREACH = ["README.md", "docs/README.md", "CHANGELOG.md", "CONTRIBUTING.md", "LICENSE.txt", "SECURITY.md",
                "CODE_OF_CONDUCT.md", ".github/workflows/ci.yml", ".github/pull_request_template.md",
                ".github/ISSUE_TEMPLATE/bug.md", "requirements.txt", "requirements-dev.txt", "setup.py", "logo.png"]


def hook_selects(hook: dict[str, object], path: str) -> bool:
    """What pre-commit does with ``files`` and ``exclude`` (both Python regexes, searched)."""
    return bool(re.search(str(hook["files"]), path)) and not re.search(str(hook.get("exclude", "^$")), path)


@pytest.mark.parametrize("hook", HOOKS, ids=[h["id"] for h in HOOKS])
def test_every_suffix_a_reader_knows_is_passed_to_the_hook(hook: dict[str, object]) -> None:
    assert "types" not in hook and "types_or" not in hook  # pre-commit's types do not know .eml or .mbox
    for suffix in EXTENSIONS:
        for name in (f"x{suffix}", f"folder/X{suffix.upper()}"):
            assert hook_selects(hook, name), (hook["id"], name)
    for path in OUTREACH:
        assert hook_selects(hook, path), (hook["id"], path)


@pytest.mark.parametrize("hook", HOOKS, ids=[h["id"] for h in HOOKS])
def test_documentation_and_ci_files_are_not_passed_to_the_hook(hook: dict[str, object]) -> None:
    for path in NOT_OUTREACH:
        assert not hook_selects(hook, path), (hook["id"], path)


def test_both_hooks_select_the_same_files() -> None:
    first, second = HOOKS
    assert (first["files"], first["exclude"]) == (second["files"], second["exclude"])
