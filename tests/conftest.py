"""Shared fixtures: one linter for the whole session (building the pipeline takes a second)."""

from __future__ import annotations

import pytest

from checkin_lint.linter import Linter
from checkin_lint.rules.loader import RuleSet, load_rules


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every test's result cache out of the user's cache directory."""
    monkeypatch.setenv("CHECKIN_LINT_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))


@pytest.fixture(scope="session")
def ruleset() -> RuleSet:
    """The built-in rules."""
    return load_rules()


@pytest.fixture(scope="session")
def linter(ruleset: RuleSet) -> Linter:
    """A linter with the built-in rules on the blank pipeline."""
    return Linter(ruleset)
