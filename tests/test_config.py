"""Configuration: found by walking up from the linted files, validated completely, and
overridden by command-line options."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from helpers import anti_rule, write_rule
from hypothesis import given, settings
from hypothesis import strategies as st

from checkin_lint.cli import main
from checkin_lint.config import DEFAULT_EXCLUDE, Config, _plainly_included, _spec

EMPTY = "Hi Dana,\n\nJust checking in.\n"
WEAK = "Hi Dana,\n\nJust checking in with the benchmark: teams like yours cut onboarding time by 30%.\n"


def _lint(*args: object) -> tuple[int, dict, str]:  # type: ignore[type-arg]
    result = CliRunner().invoke(main, ["lint", "--no-cache", "--format", "json", *map(str, args)])
    return result.exit_code, (json.loads(result.stdout) if result.stdout.strip() else {}), result.stderr


def _rules(report: dict) -> set[str]:  # type: ignore[type-arg]
    return {f["rule_id"] for file in report["files"] for m in file["messages"] for f in m["findings"]}


def test_pyproject_table_is_found_from_a_subfolder(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.checkin-lint]\nignore = ["tone"]\nfail-on = "warn"\n',
                                             encoding="utf-8")
    draft = tmp_path / "templates" / "q3" / "draft.txt"
    draft.parent.mkdir(parents=True)
    draft.write_text(WEAK, encoding="utf-8")
    code, report, _ = _lint(draft)
    assert "tone/just" not in _rules(report)
    assert report["files"][0]["messages"][0]["verdict"] == "warn"
    assert code == 1  # fail-on = warn


def test_yaml_file_wins_over_pyproject_and_cli_options_win_over_both(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.checkin-lint]\nignore = ["checkin"]\n', encoding="utf-8")
    (tmp_path / ".checkin-lint.yaml").write_text("ignore: [tone]\nfail-on: warn\n", encoding="utf-8")
    draft = tmp_path / "draft.txt"
    draft.write_text(WEAK, encoding="utf-8")
    code, report, _ = _lint(draft)
    assert _rules(report) >= {"checkin/checking-in"} and "tone/just" not in _rules(report)
    code, report, _ = _lint(draft, "--fail-on", "reject", "--select", "insight")
    assert _rules(report) and all(rule.startswith("insight/") for rule in _rules(report))
    assert code == 0


def test_explicit_config_file(tmp_path: Path) -> None:
    config = tmp_path / "team.yaml"
    config.write_text("select: [checkin]\n", encoding="utf-8")
    draft = tmp_path / "draft.txt"
    draft.write_text(EMPTY, encoding="utf-8")
    _, report, _ = _lint(draft, "--config", config)
    assert _rules(report) == {"checkin/checking-in"}


def test_unknown_keys_and_bad_values_name_the_file_and_key(tmp_path: Path) -> None:
    (tmp_path / ".checkin-lint.yaml").write_text(
        "selekt: [checkin]\nmin-score: 130\nseverity:\n  tone: loud\ncadence:\n  min-gap-days: -1\n", encoding="utf-8")
    draft = tmp_path / "draft.txt"
    draft.write_text(EMPTY, encoding="utf-8")
    code, _, stderr = _lint(draft)
    config = tmp_path / ".checkin-lint.yaml"
    assert code == 2
    assert stderr.splitlines() == [
        f"error: {config}:1:1: selekt: unknown key; did you mean 'select'?",
        f"error: {config}:2:1: min-score: must be a whole number from 0 to 100",
        f"error: {config}:4:3: severity.tone: must be one of error, warning, info, not 'loud'",
        f"error: {config}:6:3: cadence.min-gap-days: must be a whole number 0 or more",
    ]


def test_folders_are_expanded_honouring_exclude_and_per_file_ignores(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.checkin-lint]\nexclude = ["archive/"]\n\n[tool.checkin-lint.per-file-ignores]\n"legacy/*.md" = ["checkin"]\n',
        encoding="utf-8")
    for name in ("new/a.md", "legacy/b.md", "archive/c.md", ".hidden/d.md", "new/notes.rst"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(EMPTY, encoding="utf-8")
    code, report, _ = _lint(tmp_path)
    by_file = {Path(f["path"]).relative_to(tmp_path).as_posix(): {x["rule_id"] for m in f["messages"] for x in m["findings"]}
               for f in report["files"]}
    assert set(by_file) == {"new/a.md", "legacy/b.md"}
    assert "checkin/checking-in" in by_file["new/a.md"] and "checkin/checking-in" not in by_file["legacy/b.md"]
    assert code == 1


def test_severity_formats_csv_and_extra_rule_directories(tmp_path: Path) -> None:
    write_rule(tmp_path / "team-rules", "team/per-my-last", anti_rule(["per my last email"], family="nudge"))
    (tmp_path / ".checkin-lint.yaml").write_text(
        "rules: [team-rules]\nseverity:\n  checkin: info\nformats:\n  'calls/*.md': script\ncsv:\n  column: Body\n",
        encoding="utf-8")
    csv_file = tmp_path / "crm.csv"
    csv_file.write_text('Id,Body\n1,"Per my last email, just checking in."\n', encoding="utf-8")
    script = tmp_path / "calls" / "opener.md"
    script.parent.mkdir()
    script.write_text("Prospect: just checking in with my boss.\nRep: The pilot cut churn by 12%.\n", encoding="utf-8")
    _, report, _ = _lint(csv_file, script)
    crm, call = report["files"]
    findings = {f["rule_id"]: f["severity"] for m in crm["messages"] for f in m["findings"]}
    assert findings["team/per-my-last"] == "warning" and findings["checkin/checking-in"] == "info"
    assert call["messages"][0]["channel"] == "call" and call["messages"][0]["findings"][0]["family"] == "insight"


def test_a_selector_that_names_no_rule_is_an_error_with_a_did_you_mean(tmp_path: Path) -> None:
    """A typo in a rule selector must never switch the check off and let a check-in pass."""
    draft = tmp_path / "draft.txt"
    draft.write_text(EMPTY, encoding="utf-8")
    code, report, stderr = _lint(draft, "--select", "chekin")
    assert code == 2 and not report
    assert stderr.splitlines() == ["error: --select: unknown rule or prefix 'chekin'; did you mean 'checkin'?"]
    code, _, stderr = _lint(draft, "--ignore", "tone/jsut", "--ignore", "chekin/touching-base")
    assert code == 2
    assert "error: --ignore: unknown rule or prefix 'tone/jsut'; did you mean 'tone/just'" in stderr
    assert "error: --ignore: unknown rule or prefix 'chekin/touching-base'; did you mean 'checkin/touching-base'" in stderr

    config = tmp_path / ".checkin-lint.yaml"
    config.write_text("select: [nudge]\nextend-select: [playbok]\nper-file-ignores:\n  '*.txt': [nudg]\n"
                      "severity:\n  tonne: info\n", encoding="utf-8")
    code, _, stderr = _lint(draft)
    assert code == 2
    assert stderr.splitlines() == [
        f"error: {config}:2:1: extend-select: unknown rule or prefix 'playbok'; did you mean 'playbook'?",
        f"error: {config}:4:3: per-file-ignores: unknown rule or prefix 'nudg'; did you mean 'nudge'?",
        f"error: {config}:6:3: severity: unknown rule or prefix 'tonne'; did you mean 'tone'?",
    ]


def test_selectors_may_name_built_in_checks_team_rules_and_everything(tmp_path: Path) -> None:
    write_rule(tmp_path / "team-rules", "team/per-my-last", anti_rule(["per my last email"], family="nudge"))
    (tmp_path / ".checkin-lint.yaml").write_text(
        "rules: [team-rules]\nignore: [playbook/novelty, suppression, team/per-my-last]\n", encoding="utf-8")
    draft = tmp_path / "draft.txt"
    draft.write_text(EMPTY, encoding="utf-8")
    code, report, stderr = _lint(draft, "--select", "ALL")
    assert stderr == "" and code == 1
    assert "checkin/checking-in" in _rules(report)
    code, _, stderr = _lint(draft, "--select", "nobody")
    assert code == 2 and "run 'checkin-lint rules' to list them" in stderr


def test_rules_and_explain_honour_the_configuration(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    write_rule(tmp_path / "team-rules", "team/per-my-last", anti_rule(["per my last email"], family="nudge"))
    (tmp_path / ".checkin-lint.yaml").write_text("rules: [team-rules]\nselect: [team, playbook]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    listed = CliRunner().invoke(main, ["rules", "--format", "json"])
    assert listed.exit_code == 0, listed.output
    ids = [row["id"] for row in json.loads(listed.stdout)]
    assert ids == ["team/per-my-last", "playbook/cadence", "playbook/novelty", "playbook/channel"]
    explained = CliRunner().invoke(main, ["explain", "team/per-my-last"])
    assert explained.exit_code == 0 and "Test anti-pattern" in explained.output
    check = CliRunner().invoke(main, ["explain", "suppression/unused"])
    assert check.exit_code == 0 and "built-in check" in check.output and "Remove the directive" in check.output
    typo = CliRunner().invoke(main, ["rules", "--select", "teem"])
    assert typo.exit_code == 2 and "did you mean 'team'?" in typo.stderr


def _by_file(report: dict, root: Path) -> dict[str, set[str]]:  # type: ignore[type-arg]
    return {Path(f["path"]).resolve().relative_to(root.resolve()).as_posix(): {x["rule_id"] for m in f["messages"] for x in m["findings"]}
            for f in report["files"]}


def test_each_file_uses_the_closest_configuration_and_extend_builds_on_another(tmp_path: Path) -> None:
    (tmp_path / ".checkin-lint.yaml").write_text("ignore: [tone]\nexclude: ['archive/']\n", encoding="utf-8")
    team = tmp_path / "team"
    (team / "sub").mkdir(parents=True)
    (team / ".checkin-lint.yaml").write_text("extend: ../.checkin-lint.yaml\nselect: [nudge, tone]\n", encoding="utf-8")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "pyproject.toml").write_text('[tool.checkin-lint]\nignore = ["nudge"]\n', encoding="utf-8")
    text = "Hi Dana,\n\nJust checking in. Any updates?\n"
    for name in ("top.txt", "team/a.txt", "team/sub/b.txt", "other/c.txt", "team/archive/old.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    code, report, stderr = _lint(tmp_path)
    assert stderr == "" and code == 1
    found = _by_file(report, tmp_path)
    assert found["top.txt"] == {"checkin/checking-in", "nudge/any-update"}
    # team: select from team's file, ignore [tone] from the file it extends, exclude too
    assert found["team/a.txt"] == found["team/sub/b.txt"] == {"nudge/any-update"}
    assert "team/archive/old.txt" not in found
    assert found["other/c.txt"] == {"checkin/checking-in", "tone/just"}  # its own pyproject.toml only
    # files named one by one find the same configurations
    _, one_by_one, _ = _lint(tmp_path / "team" / "sub" / "b.txt", tmp_path / "other" / "c.txt")
    assert _by_file(one_by_one, tmp_path) == {k: found[k] for k in ("team/sub/b.txt", "other/c.txt")}


def test_extend_problems_and_two_configurations_in_one_folder(tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(EMPTY, encoding="utf-8")
    (tmp_path / ".checkin-lint.yaml").write_text("extend: base.yaml\n", encoding="utf-8")
    code, _, stderr = _lint(draft)
    assert code == 2 and f"{tmp_path / '.checkin-lint.yaml'}:1:1: extend: no such file 'base.yaml'" in stderr
    (tmp_path / "base.yaml").write_text("extend: .checkin-lint.yaml\n", encoding="utf-8")
    code, _, stderr = _lint(draft)
    assert code == 2 and "extends this file again (a cycle)" in stderr

    (tmp_path / "base.yaml").unlink()
    (tmp_path / ".checkin-lint.yaml").write_text("ignore: [tone]\n", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.checkin-lint]\nignore = ["checkin"]\n', encoding="utf-8")
    code, report, stderr = _lint(draft)
    assert stderr.strip() == (f"warning: {tmp_path}: using .checkin-lint.yaml; pyproject.toml in the same folder is not read "
                              "(keep one configuration per folder)")
    assert _rules(report) == {"checkin/checking-in"}


def test_show_settings_says_where_each_value_came_from(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text("min-score: 70\nignore: [tone]\n", encoding="utf-8")
    (tmp_path / ".checkin-lint.yaml").write_text("extend: base.yaml\nselect: [checkin]\n", encoding="utf-8")
    draft = tmp_path / "draft.txt"
    draft.write_text(EMPTY, encoding="utf-8")
    result = CliRunner().invoke(main, ["lint", "--show-settings", "--fail-on", "warn", str(draft)])
    assert result.exit_code == 0, result.output
    lines = {line.split(" = ")[0]: line for line in result.stdout.splitlines()[1:]}
    assert lines["select"].startswith('select = ["checkin"]') and lines["select"].endswith(f"# {tmp_path / '.checkin-lint.yaml'}:2:1")
    assert lines["min-score"].endswith(f"# {tmp_path / 'base.yaml'}:1:1")
    assert lines["ignore"].startswith('ignore = ["tone"]')
    assert lines["fail-on"].startswith('fail-on = "warn"') and lines["fail-on"].endswith("# --fail-on")
    assert lines["model"].endswith("# default")
    assert lines["scoring"].startswith("scoring = null")
    assert "Summary" not in result.stdout


def test_show_settings_refuses_a_selector_that_names_no_rule(tmp_path: Path) -> None:
    (tmp_path / ".checkin-lint.yaml").write_text("select: [chekin]\n", encoding="utf-8")
    draft = tmp_path / "draft.txt"
    draft.write_text(EMPTY, encoding="utf-8")
    result = CliRunner().invoke(main, ["lint", "--show-settings", str(draft)])
    assert result.exit_code == 2
    assert "did you mean 'checkin'" in result.stderr


def test_show_settings_gives_the_minimum_score_in_effect(tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(EMPTY, encoding="utf-8")
    result = CliRunner().invoke(main, ["lint", "--show-settings", str(draft)])
    line = next(line for line in result.stdout.splitlines() if line.startswith("min-score = "))
    assert line.startswith("min-score = 60 ") and line.endswith("# default: pass-from of the scoring table")


def test_exclude_applies_to_files_named_on_the_command_line_unless_told_otherwise(tmp_path: Path) -> None:
    (tmp_path / ".checkin-lint.yaml").write_text("exclude: ['legacy/']\n", encoding="utf-8")
    old = tmp_path / "legacy" / "old.txt"
    old.parent.mkdir()
    old.write_text(EMPTY, encoding="utf-8")
    new = tmp_path / "new.txt"
    new.write_text(EMPTY, encoding="utf-8")
    code, report, _ = _lint(old, new)
    assert [Path(f["path"]).name for f in report["files"]] == ["new.txt"]
    assert any("excluded by the exclude globs" in n and str(old) in n for n in report["notices"])
    _, report, _ = _lint("--no-force-exclude", old, new)
    assert [Path(f["path"]).name for f in report["files"]] == ["old.txt", "new.txt"]
    _, report, _ = _lint("--extend-exclude", "new.*", old, new)
    assert report["files"] == []


def test_rewrite_uses_the_closest_configuration_of_each_file(tmp_path: Path) -> None:
    (tmp_path / "quiet").mkdir()
    (tmp_path / "quiet" / ".checkin-lint.yaml").write_text("ignore: [checkin, nudge, tone]\n", encoding="utf-8")
    for name in ("loud.txt", "quiet/soft.txt"):
        (tmp_path / name).write_text(EMPTY, encoding="utf-8")
    result = CliRunner().invoke(main, ["rewrite", str(tmp_path / "loud.txt"), str(tmp_path / "quiet" / "soft.txt")])
    assert result.exit_code == 0, result.output
    heads = [line for line in result.stdout.splitlines() if line.startswith("==> ")]
    assert "loud.txt" in heads[0] and "(reject," in heads[0]
    assert "soft.txt" in heads[1] and "(reject," not in heads[1]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", "draft.txt", ".", ".git", ".env.md", "..", "node_modules", "venv", "__pycache__",
                                 "my venv", "venv.md", "x\\y", "", "*", "[a]", "é"]), min_size=1, max_size=4))
def test_a_file_argument_skips_pathspec_only_when_no_default_exclude_can_match(parts: list[str]) -> None:
    # The shortcut that spares a run pathspec's import must never keep a default exclude from
    # applying: whenever it says "plainly included", pathspec agrees.
    rel = "/".join(parts)
    if _plainly_included(rel):
        assert not _spec(DEFAULT_EXCLUDE).match_file(rel)


def test_hidden_files_and_dependency_folders_named_on_the_command_line_are_still_excluded(tmp_path: Path) -> None:
    config = Config(root=str(tmp_path))
    for rel in (".hidden.txt", "notes/.draft.txt", "node_modules/pkg/readme.md", "a/venv/b.txt", "__pycache__/x.txt"):
        assert config.excluded_argument(str(tmp_path / rel)), rel
    for rel in ("draft.txt", "venv.md", "notes/my venv/draft.txt"):
        assert not config.excluded_argument(str(tmp_path / rel)), rel
