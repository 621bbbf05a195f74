"""Plain text and stdin: the sender's words only, located in the file."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def test_plain_text_draft_points_at_line_and_column(lint: Any, tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text("Hi Dana,\n\nI'm just checking in.\n", encoding="utf-8")
    run = lint(draft)
    assert run.exit_code == 1
    assert ("checkin/checking-in", 3, 10, "checking in") in run.findings("draft.txt")


def test_quoted_reply_and_signature_are_not_linted(lint: Any, tmp_path: Path) -> None:
    draft = tmp_path / "reply.txt"
    draft.write_text(
        "Hi Dana,\n\nTeams like yours cut onboarding time by 30% after the pilot.\n\n"
        "Best,\nSam Lee\nVP Sales | www.acme.example | touching base since 2009\n\n"
        "On Mon, Mar 9, 2026 at 4:01 PM Dana Smith <dana@example.com> wrote:\n"
        "> Just checking in: any updates?\n"
        "> Circling back on this.\n",
        encoding="utf-8",
    )
    run = lint(draft)
    assert [f for f in run.findings("reply.txt") if f[1] >= 6] == []
    assert run.exit_code == 0, run.report


def test_inline_quote_lines_and_mobile_footer_are_skipped(lint: Any, tmp_path: Path) -> None:
    draft = tmp_path / "inline.txt"
    draft.write_text(
        "> Any updates on the pilot?\nYes: churn fell 12% in the pilot group.\n\nSent from my phone, touching base\n",
        encoding="utf-8",
    )
    assert lint(draft).findings("inline.txt", "nudge") + lint(draft).findings("inline.txt", "checkin") == []


def test_forwarded_message_is_not_linted(lint: Any, tmp_path: Path) -> None:
    draft = tmp_path / "fwd.txt"
    draft.write_text(
        "Dana, the attached benchmark shows onboarding 30% faster for teams like yours.\n\n"
        "---------- Forwarded message ---------\nFrom: Lee <lee@example.com>\nSubject: hi\n\n"
        "Just checking in, any updates?\n",
        encoding="utf-8",
    )
    assert lint(draft).findings("fwd.txt", "checkin") == []


def test_stdin_is_plain_text(lint: Any) -> None:
    run = lint("-", input="Just touching base.\n")
    assert run.findings("<stdin>", "checkin") == [("checkin/touching-base", 1, 6, "touching base")]


def test_merge_fields_are_not_the_senders_words(lint: Any, tmp_path: Path) -> None:
    draft = tmp_path / "template.txt"
    draft.write_text("Hi {{first_name}}, {Hi|Hello} [Company Name]: here is {{case_study_link}}.\n", encoding="utf-8")
    run = lint(draft)
    message = run.messages("template.txt")[0]
    assert message["findings"] == []
    assert any(c["family"] == "link" and "case_study_link" in c["reason"] for c in message["contributions"])
