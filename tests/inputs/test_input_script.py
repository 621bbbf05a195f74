"""Call scripts: the caller's lines are linted, the other side's and the directions are not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

SCRIPT = """\
# Renewal call

## Opener

**Rep:** Hi Dana, it's Sam from Acme. I'm calling about the onboarding benchmark.
**Prospect:** We're busy, any updates would have to wait.
**Rep:** Totally fair. Teams like yours cut onboarding time by 30%;
and I can send the two-page summary today.
*(if they push back, offer the summary by email)*
PROSPECT: Just checking in with my team first.

## Voicemail

Hi Dana, Sam from Acme, just touching base, call me back.
"""


def test_only_the_callers_lines_are_linted(check: Any, tmp_path: Path) -> None:
    path = tmp_path / "renewal.call.md"
    path.write_text(SCRIPT, encoding="utf-8")
    run = check(path)
    assert [(m["label"], m["channel"]) for m in run.messages("renewal.call.md")] == [("Opener", "call"), ("Voicemail", "call")]
    assert run.findings("renewal.call.md", "checkin") == [("checkin/touching-base", 14, 30, "touching base")]
    assert run.findings("renewal.call.md", "nudge") == []


def test_text_script_with_hash_directive(check: Any, tmp_path: Path) -> None:
    path = tmp_path / "voicemail.script.txt"
    path.write_text("# checkin-lint: disable-next-line=checkin -- quoting their words back\n"
                    "You: You said you are just checking in with finance.\nThem: yes\n", encoding="utf-8")
    run = check(path)
    assert run.findings("voicemail.script.txt", "checkin") == []
    assert run.findings("voicemail.script.txt", "suppression") == []
