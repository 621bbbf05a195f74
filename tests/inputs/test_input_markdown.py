"""Markdown templates: prose is linted where it stands; code, front matter, link targets,
comments and quotes are not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

TEMPLATE = """\
---
subject: just checking in
owner: sam
---
# Follow-up after the demo

Hi {{first_name}}, I'm touching base about [the pilot](https://example.com/just-checking-in).

Run `just checking in` to see the banner. ![any updates?](https://example.com/any-updates.png)

<!-- reviewer note: just checking in -->

```python
Just checking in, any updates?
```

    indented code: circling back

> Just checking in from the customer's side.

[ref]: https://example.com/circling-back
"""


def test_prose_is_linted_at_its_position(check: Any, tmp_path: Path) -> None:
    path = tmp_path / "follow-up.md"
    path.write_text(TEMPLATE, encoding="utf-8")
    run = check(path)
    assert run.findings("follow-up.md", "checkin") == [("checkin/touching-base", 7, 24, "touching base")]
    (message,) = run.messages("follow-up.md")
    assert message["label"] == "Follow-up after the demo"


def test_front_matter_code_links_comments_and_quotes_are_skipped(check: Any, tmp_path: Path) -> None:
    path = tmp_path / "follow-up.md"
    path.write_text(TEMPLATE, encoding="utf-8")
    lines = {line for _, line, _, _ in check(path).findings("follow-up.md")}
    assert lines <= {7}


def test_two_level_two_headings_make_a_template_library(check: Any, tmp_path: Path) -> None:
    path = tmp_path / "library.md"
    path.write_text(
        "# Renewal templates\n\n## Step 1\n\nTeams like yours cut onboarding by 30%.\n\n"
        "## Step 2\n\n* Circling back on my last note.\n",
        encoding="utf-8",
    )
    run = check(path)
    assert [m["label"] for m in run.messages("library.md")] == ["Step 1", "Step 2"]
    assert run.findings("library.md", "checkin") == [("checkin/circling-back", 9, 3, "Circling back")]


def test_html_block_in_markdown_contributes_visible_text(check: Any, tmp_path: Path) -> None:
    path = tmp_path / "mixed.md"
    path.write_text("Intro line.\n\n<div align=\"center\">\n  Just <b>checking in</b>\n</div>\n", encoding="utf-8")
    assert ("checkin/checking-in", 4, 11, "checking in") in check(path).findings("mixed.md")


def test_merge_fields_in_markdown_count_as_value_slots(check: Any, tmp_path: Path) -> None:
    path = tmp_path / "slots.md"
    path.write_text("Hi {{ first_name }},\n\n[SPECIFIC_INSIGHT]\n\nHere is {{case_study_link}}.\n", encoding="utf-8")
    (message,) = check(path).messages("slots.md")
    families = {c["family"] for c in message["contributions"] if c["source"] == "signal"}
    assert {"insight", "link"} <= families
    assert message["findings"] == []
