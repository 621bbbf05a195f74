"""What a run trusts: cache entries are data that cannot run code and are checked before
use; cache folders and configuration files other users can write are not used; every
command takes ``--no-cache``."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from checkin_lint.cache import ResultCache, read_entry, ruleset_from_data, ruleset_to_data
from checkin_lint.cli import main
from checkin_lint.rules.loader import load_rules

DRAFT = "Hi Dana, just checking in. Any updates?\n"


def test_the_rule_set_round_trips_through_json() -> None:
    ruleset = load_rules([])
    again = ruleset_from_data(json.loads(json.dumps(ruleset_to_data(ruleset))))
    assert again.rules == ruleset.rules and again.families == ruleset.families
    assert again.fingerprint == ruleset.fingerprint and again.supersets == ruleset.supersets
    with pytest.raises(Exception):
        ruleset_from_data({"rules": [{"id": "x"}], "families": {}, "fingerprint": "", "supersets": {}})


def _lint(cache: Path, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["--cache-dir", str(cache), *args])


def test_entries_of_another_shape_or_kind_are_ignored(tmp_path: Path) -> None:
    draft = tmp_path / "d.txt"
    draft.write_text(DRAFT)
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    first = _lint(cache, str(draft))
    results = [p for p in cache.rglob("*.entry")]
    assert results and all(b"checkin-lint-cache" in p.read_bytes()[:40] for p in results)
    for path in results:  # a valid checksum over JSON of another shape
        key = path.read_bytes().split(b"\n", 1)[0].split(b" ")[1]
        body = json.dumps({"messages": [{"report": {}}], "problems": []}).encode()
        path.write_bytes(b"checkin-lint-cache " + key + b" " + hashlib.sha256(body).hexdigest().encode() + b"\n" + body)
    again = _lint(cache, str(draft))
    assert again.exit_code == first.exit_code == 1 and again.output == first.output
    for path in cache.rglob("*.entry"):  # a FIFO where an entry was: never opened for a blocking read
        path.unlink()
        os.mkfifo(path)
        assert read_entry(path, "x") is None
    assert _lint(cache, str(draft)).output == first.output


def test_a_cache_folder_others_can_write_is_not_used(tmp_path: Path) -> None:
    draft = tmp_path / "d.txt"
    draft.write_text(DRAFT)
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    result = _lint(shared, str(draft))
    assert result.exit_code == 1
    assert f"cache folder {shared} is writable by other users: not used" in result.stderr
    assert not list(shared.rglob("*.entry")) and not list(shared.rglob("*.json"))
    cache = ResultCache.open(shared, rules_fingerprint="x", settings={})
    cache.put("ab" * 32, {"messages": [], "problems": []})
    assert cache.get("ab" * 32) is None


@pytest.mark.parametrize("command", [["rules"], ["explain", "tone/just"], ["rewrite", "{draft}"], ["eval", "{labelled}"]])
def test_every_command_takes_no_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]) -> None:
    draft = tmp_path / "d.txt"
    draft.write_text(DRAFT)
    labelled = tmp_path / "l.jsonl"
    labelled.write_text('{"text": "just checking in", "label": "checkin"}\n')
    cache = tmp_path / "cache"
    monkeypatch.setenv("CHECKIN_LINT_CACHE_DIR", str(cache))
    args = [a.format(draft=draft, labelled=labelled) for a in command]
    result = CliRunner().invoke(main, [*args, "--no-cache"])
    assert result.exit_code in (0, 1), result.output
    assert not cache.exists()


def test_a_configuration_planted_by_another_user_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from checkin_lint.config import find_config, untrusted_config

    tmp_path.chmod(0o777)  # a shared folder without the sticky bit
    planted = tmp_path / ".checkin-lint.yaml"
    planted.write_text("select: []\n")
    (tmp_path / "alice").mkdir()
    draft = tmp_path / "alice" / "draft.txt"
    draft.write_text(DRAFT)
    assert untrusted_config(planted) == "its folder can be written by other users"
    assert find_config(draft) is None
    result = CliRunner().invoke(main, ["--no-cache", str(draft)])
    assert result.exit_code == 1
    assert f"notice: ignored configuration {planted}" in result.stderr
    tmp_path.chmod(0o755)
    assert untrusted_config(planted) is None and find_config(draft) == planted
