"""``--add-noqa``: a directive for every finding, in each format's comment syntax, so that
the same files then lint clean; nothing else in a file changes, and a second run adds nothing."""

from __future__ import annotations

import difflib
import json
import re
from pathlib import Path

from click.testing import CliRunner

from checkin_lint.add_noqa import default_reason
from checkin_lint.cli import main

REASON = "legacy template library"

FILES = {
    "draft.txt": "Hi Sam,\n\nJust checking in on the proposal.\nAny updates?\n\nBest,\nAl\n",
    "crlf.txt": "Hi Sam,\r\n\r\nI wanted to touch base about the pilot.\r\n",
    "library.md": (
        "# Follow-ups\n\n## First touch\n\nHi {{first_name}},\nJust checking in on the proposal.\n"
        "Any updates?\n\n## Second touch\n\n- Circling back on my last email.\n\n"
        "```text\nHi,\nJust wanted to bump this to the top of your inbox.\n```\n"
    ),
    "page.html": "<html><body>\n<p>Hi Sam,</p>\n<p>Just checking in on the proposal.</p>\n\n<p>Any updates?</p>\n</body></html>\n",
    "opener.call.txt": "Rep: Hi Dana, just checking in.\nCustomer: Fine.\nRep: Any updates?\n",
    "opener.call.md": "## Opener\n\n**Rep:** Hi Dana, it's Sam. Just checking in to see how things are going.\n**Customer:** Fine.\n",
    "sequence.yaml": (
        "sequence: Renewal\nsteps:\n"
        "  - name: Report\n    day: 0\n    channel: email\n"
        "    body: Teams like yours cut onboarding time by 30%; the report is attached.\n"
        "  - name: Bump\n    day: 1\n    channel: email\n"
        "    body: |\n      Hi {{first_name}},\n\n      Just bumping this to the top of your inbox. Any thoughts?\n"
        "  - name: Nudge\n    day: 5\n    channel: email\n    body: Any updates on the report?\n"
    ),
}
"""One input per format that takes directives, each with findings on several lines."""


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [*args, "--no-cache"])
    return result.exit_code, result.stdout, result.stderr


def _only_insertions(before: str, after: str) -> bool:
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    return all(tag in ("equal", "insert") for tag, *_ in matcher.get_opcodes())


def _anti_patterns(report: dict) -> list[tuple[str, str, int]]:  # type: ignore[type-arg]
    return [(Path(f["path"]).name, x["rule_id"], x["line"]) for f in report["files"] for m in f["messages"]
            for x in m["findings"] if x["kind"] == "anti-pattern"]


def test_every_format_lints_clean_after_add_noqa_and_a_second_run_adds_nothing(tmp_path: Path) -> None:
    for name, text in FILES.items():
        (tmp_path / name).write_bytes(text.encode("utf-8"))
    code, out, _ = _run("--format", "json", str(tmp_path))
    before = _anti_patterns(json.loads(out))
    assert {name for name, _, _ in before} == set(FILES)  # every file has findings to suppress
    lines = {(name, line) for name, _, line in before}

    code, out, err = _run(f"--add-noqa={REASON}", str(tmp_path))
    assert code == 0, err
    files_changed = len(FILES)
    added = int(re.search(r"added (\d+) directives to (\d+) files", err).group(1))  # type: ignore[union-attr]
    assert f"to {files_changed} files" in err
    assert len({name for name, _ in lines}) == files_changed and 0 < added <= len(lines)

    for name, text in FILES.items():
        new = (tmp_path / name).read_bytes().decode("utf-8")
        assert new != text and _only_insertions(text, new), name  # nothing but the directives went in
        assert f"-- {REASON}" in new
    crlf = (tmp_path / "crlf.txt").read_bytes()
    assert b"\r\n# checkin-lint: disable-next-line=" in crlf and b"\n" not in crlf.replace(b"\r\n", b"")  # its own line endings

    code, out, _ = _run("--format", "json", str(tmp_path))
    assert _anti_patterns(json.loads(out)) == []  # suppressed, and no directive reported as unused
    assert code == 0

    snapshot = {name: (tmp_path / name).read_bytes() for name in FILES}
    code, _, err = _run("--add-noqa", str(tmp_path))  # bare: the default reason; the path is a path
    assert code == 0 and "added 0 directives to 0 files" in err
    assert {name: (tmp_path / name).read_bytes() for name in FILES} == snapshot


def test_markdown_keeps_paragraphs_whole_and_wraps_fenced_templates(tmp_path: Path) -> None:
    path = tmp_path / "library.md"
    path.write_text(FILES["library.md"], encoding="utf-8")
    assert _run("--add-noqa=r", str(path))[0] == 0
    text = path.read_text(encoding="utf-8")
    assert "Hi {{first_name}},<!-- checkin-lint: disable-next-line=checkin/checking-in,tone/just -- r -->\n" in text
    assert "<!-- checkin-lint: disable=nudge/bump,tone/just -- r -->\n```text\n" in text
    assert "```\n<!-- checkin-lint: enable=nudge/bump,tone/just -->\n" in text


def test_yaml_directives_sit_above_the_key_never_inside_a_block(tmp_path: Path) -> None:
    import yaml

    path = tmp_path / "sequence.yaml"
    path.write_text(FILES["sequence.yaml"], encoding="utf-8")
    assert _run("--add-noqa=r", str(path))[0] == 0
    text = path.read_text(encoding="utf-8")
    assert "    # checkin-lint: disable-next-line=playbook/cadence -- r\n    day: 1\n" in text
    # a '#' line inside `body: |` would be part of the message any YAML reader sends
    assert "    # checkin-lint: disable-next-line=nudge/any-thoughts,nudge/bump,playbook/novelty,tone/just -- r\n    body: |\n" in text
    bodies = [step["body"] for step in yaml.safe_load(text)["steps"]]
    assert bodies == [step["body"] for step in yaml.safe_load(FILES["sequence.yaml"])["steps"]]
    assert "    # checkin-lint: disable-next-line=nudge/any-update,playbook/novelty -- r\n    body: Any updates" in text


def test_formats_without_comments_are_skipped_with_a_notice(tmp_path: Path) -> None:
    inputs = {
        "seq.csv": "body\nJust checking in on the proposal.\n",
        "seq.json": json.dumps({"sequence": "S", "steps": [{"day": 0, "channel": "email", "body": "Just checking in."}]}),
        "reply.eml": "From: a@example.com\nTo: b@example.com\nSubject: Pilot\n\nJust checking in on the pilot.\n",
    }
    for name, text in inputs.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    code, _, err = _run("--add-noqa", str(tmp_path))
    assert code == 0
    for name in inputs:
        assert re.search(rf"notice: .*{re.escape(name)}: skipped by --add-noqa: ", err), (name, err)
        assert (tmp_path / name).read_text(encoding="utf-8") == inputs[name]
    assert "added 0 directives to 0 files" in err


def test_default_reason_and_bad_reasons(tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text("Just checking in.\n", encoding="utf-8")
    code, _, err = _run("--add-noqa", str(draft))
    assert code == 0 and "added 1 directive to 1 file" in err
    assert draft.read_text(encoding="utf-8").startswith(
        f"# checkin-lint: disable-next-line=checkin/checking-in,tone/just -- {default_reason()}\n")
    assert re.fullmatch(r"added by --add-noqa on \d{4}-\d{2}-\d{2}", default_reason())
    code, _, err = _run("--add-noqa=ends here -->", str(draft))
    assert code == 2 and "--add-noqa" in err and "'-->'" in err
    code, _, err = _run("--add-noqa", "--fix", str(draft))
    assert code == 2 and "cannot be combined with --fix" in err


def test_a_file_the_directives_would_change_is_left_alone(tmp_path: Path) -> None:
    # A multi-line quoted YAML string: a '#' line inside it is text, not a comment.
    path = tmp_path / "seq.yaml"
    text = 'sequence: S\nsteps:\n  - day: 0\n    channel: email\n    body: "Hi Sam,\n\n      Just checking in on the pilot."\n'
    path.write_text(text, encoding="utf-8")
    code, _, err = _run("--add-noqa", str(path))
    assert code == 0 and "skipped by --add-noqa" in err and "added 0 directives to 0 files" in err
    assert path.read_text(encoding="utf-8") == text


def test_a_directive_on_the_first_line_of_a_yaml_block_is_not_linted(tmp_path: Path) -> None:
    path = tmp_path / "seq.yaml"
    path.write_text("sequence: S\nsteps:\n  - day: 0\n    channel: email\n    body: |\n"
                    "      # checkin-lint: disable-next-line=nudge -- touching base about the DPA\n"
                    "      Any updates?\n", encoding="utf-8")
    code, out, _ = _run("--format", "json", str(path))
    report = json.loads(out)
    assert report["files"][0]["messages"] and _anti_patterns(report) == []  # the directive's words are not the step's text
    assert code == 0
