"""Shared fixtures: one linter for the whole session (building the pipeline takes a second)."""

from __future__ import annotations

from typing import Iterator

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


@pytest.fixture(autouse=True)
def _whole_rule_set_per_test(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test that feeds the shared linter adversarial input may make a rule regex hit its
    time limit, which disables that regex for the rest of the linter's life (by design, for a
    run). Each test that used the shared linter hands it back with every regex enabled, so
    later tests never see a rule set shrunk by an earlier one."""
    yield
    if "linter" in request.fixturenames:
        request.getfixturevalue("linter").compiled.reset_time_limits()
