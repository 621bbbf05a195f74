"""The result cache: a re-run over unchanged files answers from the cache without loading
spaCy, gives the same output, and never trusts an entry that is damaged."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest
from click.testing import Result
from fixture_rules import cli_with_fixture_rules, write_fixture_rules

from checkin_lint.cache import ResultCache
from checkin_lint.report import FORMATS

DRAFTS = {
    "empty.txt": "Hi Dana,\n\nChecking in on the proposal. Any updates?\n",
    "value.txt": "Teams like yours cut onboarding by 30% after the pilot.\n",
    "mixed.txt": "I just wanted to share that churn fell 12%. Sorry to bother you.\n",
}


@pytest.fixture
def lint(tmp_path: Path) -> Callable[..., Result]:
    return cli_with_fixture_rules(tmp_path)


@pytest.fixture
def drafts(tmp_path: Path) -> list[str]:
    folder = tmp_path / "drafts"
    folder.mkdir()
    for name, text in DRAFTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return [str(folder / name) for name in DRAFTS]


def entries(cache_dir: Path) -> list[Path]:
    return sorted(cache_dir.rglob("*.entry"))


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_a_cached_run_prints_exactly_what_a_fresh_run_prints(name: str, lint, drafts: list[str], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    fresh = lint("--no-cache", "--format", name, *drafts)
    first = lint("--format", name, *drafts)
    assert len(entries(tmp_path / "cache")) == len(drafts)
    cached = lint("--format", name, *drafts)
    assert fresh.stdout == first.stdout == cached.stdout
    assert fresh.exit_code == cached.exit_code == 1


def test_a_fully_cached_run_never_imports_spacy(drafts: list[str], tmp_path: Path) -> None:
    rules = write_fixture_rules(tmp_path / "rules")
    args = ["--rules", str(rules), "--select", "fixtest", "--cache-dir", str(tmp_path / "cache"), *drafts]
    probe = (
        "import runpy, sys\n"
        f"sys.argv = ['checkin-lint', *{args!r}]\n"
        "try:\n    runpy.run_module('checkin_lint', run_name='__main__')\n"
        "except SystemExit as exc:\n    code = exc.code\n"
        "print(f'exit={code} spacy={\"spacy\" in sys.modules}', file=sys.stderr)\n"
    )
    cold = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert "exit=1 spacy=True" in cold.stderr, cold.stderr
    warm = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert "exit=1 spacy=False" in warm.stderr, warm.stderr
    assert warm.stdout == cold.stdout


def test_a_changed_file_is_linted_again(lint, drafts: list[str], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    lint(*drafts)
    Path(drafts[1]).write_text("Checking in. Any updates?\n", encoding="utf-8")
    result = lint("--format", "concise", *drafts)
    assert f"{drafts[1]}:1:1: fixtest/opener" in result.stdout
    assert len(entries(tmp_path / "cache")) == len(drafts) + 1


def test_settings_and_rules_are_part_of_the_key(lint, drafts: list[str], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    lint(drafts[1])
    assert lint("--min-score", "95", "--fail-on", "warn", drafts[1]).exit_code == 1
    assert lint("--ignore", "fixtest/figure", "--format", "concise", drafts[1]).stdout.startswith(f"{drafts[1]}:1: message 1: WARN")
    assert len(entries(tmp_path / "cache")) == 3


def test_a_corrupted_entry_is_ignored_and_replaced(lint, drafts: list[str], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    expected = lint("--format", "json", drafts[0]).stdout
    [entry] = entries(tmp_path / "cache")
    blob = entry.read_bytes()
    assert b"reject" in blob
    entry.write_bytes(blob.replace(b"reject", b"pass\0\0"))  # same length, wrong content
    assert lint("--format", "json", drafts[0]).stdout == expected
    header, _, body = entry.read_bytes().partition(b"\n")
    assert hashlib.sha256(body).hexdigest().encode() == header.split(b" ")[2]  # rewritten from a fresh lint


def test_a_half_written_entry_is_ignored(lint, drafts: list[str], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    expected = lint("--format", "json", drafts[0]).stdout
    [entry] = entries(tmp_path / "cache")
    entry.write_bytes(entry.read_bytes()[:40])
    assert lint("--format", "json", drafts[0]).stdout == expected


def test_an_entry_stored_under_another_key_is_not_trusted(tmp_path: Path) -> None:
    cache = ResultCache.open(tmp_path, rules_fingerprint="r", settings={})
    first, second = cache.key(b"one", "text"), cache.key(b"two", "text")
    cache.put(first, {"messages": [], "problems": []})
    os.makedirs(os.path.dirname(cache._path(second)), exist_ok=True)
    os.replace(cache._path(first), cache._path(second))
    assert cache.get(second) is None


def test_no_cache_writes_nothing(lint, drafts: list[str], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    lint("--no-cache", *drafts)
    assert not (tmp_path / "cache").exists()


def test_a_cache_that_cannot_be_written_only_costs_speed(lint, drafts: list[str], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "v1").write_text("not a directory", encoding="utf-8")
    result = lint("--format", "json", *drafts)
    assert result.exit_code == 1
    assert json.loads(result.stdout)["summary"]["messages"] == 3


def test_the_cache_directory_comes_from_the_environment(drafts: list[str], tmp_path: Path) -> None:
    rules = write_fixture_rules(tmp_path / "rules")
    env = {**os.environ, "CHECKIN_LINT_CACHE_DIR": str(tmp_path / "env-cache")}
    subprocess.run([sys.executable, "-m", "checkin_lint", "--rules", str(rules), "--select", "fixtest", drafts[0]],
                   capture_output=True, env=env)
    assert len(entries(tmp_path / "env-cache")) == 1


def test_the_rule_set_is_cached_until_a_rule_file_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from checkin_lint.cli import main

    monkeypatch.setenv("CHECKIN_LINT_CACHE_DIR", str(tmp_path / "cache"))
    rules = write_fixture_rules(tmp_path / "rules")
    first = CliRunner().invoke(main, ["rules", "--rules", str(rules), "--select", "fixtest"])
    [entry] = sorted((tmp_path / "cache").rglob("rules/*.json"))  # JSON: data that cannot run code
    assert CliRunner().invoke(main, ["rules", "--rules", str(rules), "--select", "fixtest"]).output == first.output
    opener = rules / "fixtest" / "opener.yml"
    opener.write_text(opener.read_text(encoding="utf-8").replace("name: Check-in opener", "name: Visit opener"),
                      encoding="utf-8")
    changed = CliRunner().invoke(main, ["rules", "--rules", str(rules), "--select", "fixtest"])
    assert "Visit opener" in changed.output and "Check-in opener" not in changed.output
    entry.write_bytes(entry.read_bytes()[:-10] + b"0123456789")  # damaged: rebuilt, not trusted
    opener.write_text(opener.read_text(encoding="utf-8").replace("Visit opener", "Check-in opener"), encoding="utf-8")
    assert CliRunner().invoke(main, ["rules", "--rules", str(rules), "--select", "fixtest"]).output == first.output
