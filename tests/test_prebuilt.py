"""The wheel ships the built-in rules prebuilt (``hatch_build.py``): a first run after
installing loads them from one file instead of validating every rule file, and only while the
rule files beside it are exactly those it was built from."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from checkin_lint.rules import loader
from checkin_lint.rules.loader import PREBUILT, load_rules, write_prebuilt


@pytest.fixture
def packaged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the built-in rules with a prebuilt file, standing in for the installed ``_rules``."""
    source = loader.builtin_rules_dir()
    write_prebuilt(tmp_path / "prebuilt.pickle")
    rules = tmp_path / "_rules"
    shutil.copytree(source, rules)
    shutil.move(tmp_path / "prebuilt.pickle", rules / PREBUILT)
    monkeypatch.setattr(loader, "builtin_rules_dir", lambda: rules)
    return rules


def test_the_prebuilt_rules_are_the_rules_and_point_at_the_installed_files(packaged: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "_load_rules", lambda *a: pytest.fail("validated the rule files"))
    prebuilt = load_rules()
    monkeypatch.undo()
    expected = loader._load_rules(loader.builtin_rules_dir(), [], True)
    assert [r.id for r in prebuilt.rules] == [r.id for r in expected.rules]
    assert prebuilt.fingerprint == expected.fingerprint  # same result-cache keys either way
    assert prebuilt.supersets == expected.supersets
    assert prebuilt.families == expected.families
    for rule in prebuilt.rules:
        assert Path(rule.path).is_file() and Path(rule.path).is_relative_to(packaged)


def test_a_changed_rule_file_makes_the_rules_load_from_the_files(packaged: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    rule = packaged / "checkin" / "checking-in.yml"
    rule.write_text(rule.read_text(encoding="utf-8").replace("weight:", "# edited\nweight:", 1), encoding="utf-8")
    assert loader.read_prebuilt(packaged) is None
    called = []
    real = loader._load_rules
    monkeypatch.setattr(loader, "_load_rules", lambda *a: called.append(a) or real(*a))
    assert load_rules().rules
    assert called


def test_a_damaged_prebuilt_file_is_ignored(packaged: Path) -> None:
    (packaged / PREBUILT).write_bytes(b"not a pickle")
    assert loader.read_prebuilt(packaged) is None
    assert len(load_rules().rules) > 0


def test_extra_rule_directories_load_everything_from_the_files(packaged: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    own = tmp_path / "own"
    own.mkdir()
    monkeypatch.setattr(loader, "read_prebuilt", lambda base: pytest.fail("used the prebuilt rules with --rules"))
    assert load_rules([own]).rules
