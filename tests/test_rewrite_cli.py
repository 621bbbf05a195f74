"""``checkin-lint rewrite`` as a user runs it: printed rewrites for every input format,
``--diff`` against the message, and ``--write`` only when asked, only where a message is one
span of its file, atomically and byte-exact elsewhere."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from checkin_lint.cli import main

TEMPLATE = ("Hi {{first_name}},\n\nJust checking in. Teams like {{company}} cut onboarding time by 30% with our "
            "import tool; the benchmark is here: {{case_study_link}}\n")
REWRITTEN = ("Hi {{first_name}},\n\nTeams like {{company}} cut onboarding time by 30% with our import tool; the "
             "benchmark is here: {{case_study_link}}\n")
THREAD = ("Hi Dana,\n\nJust circling back on this. We published the 2026 benchmark: teams like Acme cut churn 18%.\n\n"
          "Best,\nOmar Haddad\n555-010-0199\n\nOn Mon, Mar 2, 2026 at 9:14 AM Dana Lee <dana@example.com> wrote:\n"
          "> Just checking in on your side too.\n")
PLAYBOOK = ("# renewal sequence\nsequence: Renewal\nsteps:\n  - name: Nudge\n    day: 0\n    channel: email\n"
            "    subject: Renewal numbers\n    body: |\n      Hi {{first_name}},\n\n      Just checking in. Teams like "
            "{{company}} cut costs by 30%.\n\n      Best,\n      {{sender}}\n  - name: Thanks\n    day: 3\n"
            "    channel: email\n    body: \"Thanks for the call, {{first_name}}. The pilot plan is attached.\"\n")


def invoke(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["rewrite", *args], input=input)


def test_printed_rewrite_keeps_merge_fields_and_says_what_it_did(tmp_path: Path) -> None:
    draft = tmp_path / "template.txt"
    draft.write_text(TEMPLATE, encoding="utf-8")
    result = invoke(str(draft))
    assert result.exit_code == 0
    assert f"==> {draft}:1: message 1 (warn, score" in result.output
    assert "lead-with-value)" in result.output
    assert REWRITTEN in result.output
    assert "  dropped: Just checking in." in result.output
    assert draft.read_text(encoding="utf-8") == TEMPLATE  # printing never writes


def test_csv_rows_and_json_output_carry_the_rewrite(tmp_path: Path) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text('id,body\nr1,"Hi {{first_name}}, just checking in. Any updates?"\n', encoding="utf-8")
    result = invoke(str(rows))
    assert "rows.csv:2: row 2 (reject, score 0; value-first-skeleton)" in result.output
    assert "Hi {{first_name}},\n\n[INSIGHT:" in result.output
    lint = CliRunner().invoke(main, ["lint", "--format", "json", "--no-cache", str(rows)])
    rewrite = json.loads(lint.output)["files"][0]["messages"][0]["rewrite"]
    assert rewrite["strategy"] == "value-first-skeleton"
    assert rewrite["text"].startswith("Hi {{first_name}},\n\n[INSIGHT:")


def test_diff_of_a_writable_file_is_one_patch_that_git_applies(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import shutil
    import subprocess

    import pytest

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "renewal.yaml").write_text(PLAYBOOK, encoding="utf-8")
    (tmp_path / "template.txt").write_text(TEMPLATE, encoding="utf-8")
    result = invoke("--diff", "renewal.yaml", "template.txt")
    assert result.exit_code == 1
    assert "--- a/renewal.yaml\n+++ b/renewal.yaml\n" in result.output
    (tmp_path / "fix.patch").write_text(result.output, encoding="utf-8")
    subprocess.run(["git", "apply", "fix.patch"], cwd=tmp_path, check=True, capture_output=True)
    patched = {name: (tmp_path / name).read_text(encoding="utf-8") for name in ("renewal.yaml", "template.txt")}
    (tmp_path / "renewal.yaml").write_text(PLAYBOOK, encoding="utf-8")
    (tmp_path / "template.txt").write_text(TEMPLATE, encoding="utf-8")
    assert invoke("--write", "renewal.yaml", "template.txt").exit_code == 0
    assert patched == {name: (tmp_path / name).read_text(encoding="utf-8") for name in patched}  # what --write writes
    assert invoke("--diff", "renewal.yaml", "template.txt").exit_code == 0


def test_diff_shows_each_changed_message_where_the_file_cannot_be_written(tmp_path: Path) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text('id,body\nr1,"' + TEMPLATE.replace('"', '""') + '"\n', encoding="utf-8")
    result = invoke("--diff", str(rows))
    assert result.exit_code == 1
    assert f"--- a/{rows} (row 2)\n+++ b/{rows} (row 2)\n" in result.output


def test_diff_shows_each_changed_file_and_exits_1(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)  # a relative path gets git's a/ and b/ prefixes
    draft = Path("template.txt")
    draft.write_text(TEMPLATE, encoding="utf-8")
    clean = Path("clean.txt")
    clean.write_text(REWRITTEN, encoding="utf-8")
    result = invoke("--diff", str(draft), str(clean))
    assert result.exit_code == 1
    assert f"--- a/{draft}\n+++ b/{draft}\n" in result.output
    assert "-Just checking in. Teams like {{company}}" in result.output
    assert "+Teams like {{company}}" in result.output
    assert str(clean) not in result.output
    assert invoke("--diff", str(clean)).exit_code == 0
    assert draft.read_text(encoding="utf-8") == TEMPLATE


def test_write_rewrites_a_text_file_and_leaves_signature_and_thread(tmp_path: Path) -> None:
    draft = tmp_path / "reply.txt"
    draft.write_bytes(THREAD.replace("\n", "\r\n").encode("utf-8"))
    result = invoke("--write", str(draft))
    assert result.exit_code == 0, result.output
    assert f"rewrote 1 message in {draft}" in result.output
    expected = THREAD.replace("Just circling back on this. ", "").replace("\n", "\r\n").encode("utf-8")
    assert draft.read_bytes() == expected
    again = invoke("--write", str(draft))
    assert again.exit_code == 0 and "rewrote" not in again.output
    assert draft.read_bytes() == expected


def test_write_rewrites_a_yaml_block_and_a_json_string(tmp_path: Path) -> None:
    playbook = tmp_path / "renewal.yaml"
    playbook.write_text(PLAYBOOK, encoding="utf-8")
    assert invoke("--write", str(playbook)).exit_code == 0
    assert playbook.read_text(encoding="utf-8") == PLAYBOOK.replace("Just checking in. ", "")
    steps = {"sequence": "S", "steps": [{"name": "a", "day": 0, "channel": "email",
                                         "body": "Hi {{first_name}},\n\nJust checking in. Any updates?\n\nBest,\nAna"}]}
    json_file = tmp_path / "s.json"
    json_file.write_text(json.dumps(steps), encoding="utf-8")
    assert invoke("--write", str(json_file)).exit_code == 0
    body = json.loads(json_file.read_text(encoding="utf-8"))["steps"][0]["body"]
    assert body.startswith("Hi {{first_name}},\n\n[INSIGHT:") and body.endswith("\n\nBest,\nAna")


def test_write_refuses_what_is_not_one_span_and_goes_on(tmp_path: Path) -> None:
    rows = tmp_path / "rows.csv"
    rows_text = 'body\n"Hi {{first_name}}, just checking in. Any updates?"\n'
    rows.write_text(rows_text, encoding="utf-8")
    quoted = tmp_path / "quoted.yaml"
    quoted_text = ("sequence: S\nsteps:\n  - name: a\n    day: 0\n    channel: email\n    body: |\n      Teams cut costs "
                   "by 30%.\n  - name: b\n    day: 3\n    channel: email\n    body: \"Hi Sam, just following up. Any updates?\"\n")
    quoted.write_text(quoted_text, encoding="utf-8")
    draft = tmp_path / "template.txt"
    draft.write_text(TEMPLATE, encoding="utf-8")
    result = invoke("--write", str(rows), str(quoted), str(draft))
    assert result.exit_code == 2
    assert f"error: {rows}: not rewritten: csv files cannot be rewritten in place" in result.output
    assert f"error: {quoted}: not rewritten: step 2: b is not a YAML block" in result.output
    assert rows.read_text(encoding="utf-8") == rows_text
    assert quoted.read_text(encoding="utf-8") == quoted_text
    assert draft.read_text(encoding="utf-8") == REWRITTEN  # the other file is still rewritten


def test_write_refuses_standard_input() -> None:
    result = invoke("--write", "-", input=TEMPLATE)
    assert result.exit_code == 2
    assert "error: <stdin>: not rewritten: standard input cannot be written" in result.output
