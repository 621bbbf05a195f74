"""HTML emails: only the visible text is linted, located in the HTML file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

PAGE = """\
<html><head><title>just checking in</title>
<style>.x { content: "touching base"; }</style></head>
<body>
<div style="display:none">Just checking in (preheader)</div>
<p>Hi Dana,</p>
<p>I&rsquo;m   just
   <b>checking in</b> about the pilot.</p>
<script>var note = "circling back";</script>
<div class="gmail_quote">On Mon, Dana wrote:
<blockquote>Any updates? Circling back.</blockquote></div>
</body></html>
"""


def test_visible_text_is_linted_at_its_position(check: Any, tmp_path: Path) -> None:
    path = tmp_path / "mail.html"
    path.write_text(PAGE, encoding="utf-8")
    run = check(path)
    assert run.findings("mail.html", "checkin") == [("checkin/checking-in", 7, 7, "checking in")]


def test_scripts_styles_hidden_text_and_quotes_are_not_linted(check: Any, tmp_path: Path) -> None:
    path = tmp_path / "mail.htm"
    path.write_text(PAGE, encoding="utf-8")
    lines = {line for _, line, _, _ in check(path).findings("mail.htm")}
    assert lines <= {6, 7}
