"""Hostile and broken input, generated: the linter never crashes and never points outside
what it was given.

For every input reader registered in :data:`checkin_lint.inputs.READERS` (looked up when the
tests are collected, so a new format is covered the day it is registered), hypothesis feeds
documents of that format built from arbitrary Unicode: control characters, zero-width and
bidi controls, right-to-left scripts, emoji sequences, combining marks, CRLF/CR/LF mixes,
merge fields, quoted replies; and, for each format, raw text that is not that format at all.
The properties:

* reading either succeeds or raises :class:`~checkin_lint.errors.InputError`; linting the
  bytes never raises;
* every message's offset map stays inside the message and inside the source;
* every finding's span lies inside its message and inside the source, its text is the
  message text at that span, and its line and column agree with its source offsets
  (computed here from scratch, not with ``Source.line_col``).

Big inputs that hypothesis would not generate (a merge-field-only template of 50,000
fields, a line longer than spaCy's default text limit, MIME nested 120 levels deep) are
plain tests further down. The engine pieces rewritten for linear time (overlap resolution,
offset-map edits) are checked against naive reference implementations.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import quopri
import re
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checkin_lint.document import Message, Piece, Source
from checkin_lint.engine.matching import RawMatch, resolve_overlaps
from checkin_lint.errors import InputError
from checkin_lint.inputs import READERS, read_document
from checkin_lint.linter import Linter
from checkin_lint.rules.model import Patterns, Rule
from checkin_lint.runner import lint_bytes

PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Pieces a hostile or merely unlucky document is made of.
TRICKY = [
    "\r\n", "\r", "\n", "\n\n", "\t", "\x0b", "\x0c", "\x85", "\u2028", "\u2029", "\x1b[31m", "\x07", "\x7f",
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad",                       # zero-width, soft hyphen
    "\u202e", "\u202d", "\u2066", "\u2067", "\u2069", "\u200f",                       # bidi controls
    "שלום, רק בודק", "مرحبا، أردت المتابعة", "नमस्ते", "こんにちは、確認です",          # RTL and other scripts
    "👩\u200d👩\u200d👧", "🇫🇷", "👍🏽", "🧑\u200d💻", "e\u0301", "Z\u0335\u0321\u0322a", "ﬁ", "İ",
    "just checking in", "Just checking in.", "Any updates?", "circling back", "touching base",
    "Sorry to bother you", "I haven't heard back", "Give me a call back.",
    "Churn fell 12% last quarter.", "https://example.com/report?id=7", "Does Tuesday at 10am work?",
    "You mentioned the rollout.", "I'll send the quote by Friday.", "Hi Sam,", "Best,\nAna", "-- \nAna",
    "{{first_name}}", "{{ case_study_link }}", "{{{ x }}}", "{% if x %}", "{% endif %}", "{# note #}",
    "[Company Name]", "{company}", "*|FNAME|*", "%FIRSTNAME%", "{Hi|Hello|Hey}", "{{", "}}", "[", "]",
    "> quoted reply", "On Mon, Ana wrote:", "<b>", "&amp;", "\\", '"', "'", "`", "```", "---", "#", "- ",
]
hostile_text = st.lists(
    st.one_of(st.text(st.characters(exclude_categories=["Cs"]), max_size=12), st.sampled_from(TRICKY)),
    max_size=30,
).map("".join)
one_line = hostile_text.map(lambda s: re.sub(r"[\r\n\x0b\x0c\x85\u2028\u2029]", " ", s))


def newlines(text: str, style: str) -> str:
    """Rewrite every line break in ``text`` as ``style`` (``mixed`` cycles CRLF, CR, LF)."""
    if style != "mixed":
        return re.sub(r"\r\n|\r|\n", style, text)
    styles = iter(["\r\n", "\r", "\n"] * len(text))
    return re.sub(r"\r\n|\r|\n", lambda _: next(styles), text)


line_style = st.sampled_from(["\n", "\r\n", "\r", "mixed"])


@st.composite
def markdown_doc(draw: Any) -> str:
    blocks = draw(st.lists(st.tuples(st.sampled_from(["# {}", "{}", "- {}", "> {}", "```\n{}\n```", "<div>{}</div>",
                                                      "[{}](https://example.com)", "| a | {} |\n|---|---|", "    {}"]),
                                     hostile_text), max_size=8))
    return "\n\n".join(shape.format(text) for shape, text in blocks)


HTML_BITS = ["<p>", "</p>", "<br>", "<br/>", "<div>", "</div>", "<blockquote>", "</blockquote>", "<script>", "</script>",
             "<style>", "</style>", "<!-- ", " -->", "&amp;", "&nbsp;", "&#x1F600;", "&#0;", "&#xD800;", "&#99999999;",
             "&bogus;", "<a href='https://example.com'>", "</a>", "<![CDATA[", "]]>", "<!DOCTYPE html>", "<", ">",
             '<div class="gmail_quote">', "<img src=x onerror=alert(1)>", "<table><tr><td>", "</td></tr></table>"]
html_doc = st.lists(st.one_of(hostile_text, st.sampled_from(HTML_BITS)), max_size=25).map("".join)


def mime_leaf(text: str, subtype: str, encoding: str, charset: str) -> str:
    body: str
    if encoding == "base64":
        body = base64.encodebytes(text.encode("utf-8", "surrogatepass")).decode("ascii")
    elif encoding == "quoted-printable":
        body = quopri.encodestring(text.encode("utf-8", "surrogatepass")).decode("ascii")
    else:  # 7bit, 8bit, or a lie: "base64" declared on text that is not base64
        body = text
    return f"Content-Type: text/{subtype}; charset={charset}\nContent-Transfer-Encoding: {encoding}\n\n{body}"


def mime_multipart(parts: list[str], subtype: str, boundary: int) -> str:
    mark = f"=_b{boundary}"
    inner = "".join(f"--{mark}\n{part}\n" for part in parts)
    return f'Content-Type: multipart/{subtype}; boundary="{mark}"\n\n{inner}--{mark}--\n'


mime_part = st.recursive(
    st.builds(mime_leaf, hostile_text, st.sampled_from(["plain", "html"]),
              st.sampled_from(["7bit", "8bit", "quoted-printable", "base64", "x-unknown"]),
              st.sampled_from(["utf-8", "us-ascii", "latin-1", "x-no-such-charset", '""'])),
    lambda children: st.builds(mime_multipart, st.lists(children, min_size=1, max_size=3),
                               st.sampled_from(["mixed", "alternative", "related", "report"]), st.integers(0, 10**6)),
    max_leaves=10,
)


@st.composite
def eml_doc(draw: Any) -> str:
    subject = draw(one_line)
    headers = f"From: Ana <ana@example.com>\nTo: sam@example.com\nSubject: {subject}\nMIME-Version: 1.0\n"
    return newlines(headers + draw(mime_part), draw(line_style))


@st.composite
def mbox_doc(draw: Any) -> str:
    mails = draw(st.lists(eml_doc(), min_size=1, max_size=3))
    return "".join(f"From ana@example.com Thu Jan  1 00:00:00 2026\n{m}\n" for m in mails)


@st.composite
def playbook_doc(draw: Any) -> str:
    steps = []
    for i, (channel, text) in enumerate(draw(st.lists(st.tuples(st.sampled_from(["email", "call", "linkedin", "sms", "meeting"]),
                                                                hostile_text), min_size=1, max_size=4))):
        step: dict[str, Any] = {"channel": channel, ("script" if channel in ("call", "meeting") else "body"): text}
        if i:
            step["wait"] = draw(st.integers(0, 60))
        steps.append(step)
    data = {"sequence": draw(one_line) or "s", "steps": steps}
    if draw(st.booleans()):
        return json.dumps(data, ensure_ascii=draw(st.booleans()), indent=draw(st.sampled_from([None, 2])))
    return yaml.safe_dump(data, allow_unicode=draw(st.booleans()), default_style=draw(st.sampled_from([None, "|", '"', "'"])),
                          width=draw(st.sampled_from([20, 80, 10**6])))


@st.composite
def csv_doc(draw: Any) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=draw(st.sampled_from([",", ";", "\t"])),
                        lineterminator=draw(st.sampled_from(["\r\n", "\n"])))
    writer.writerow(["id", "subject", "body"])
    for i, (subject, body) in enumerate(draw(st.lists(st.tuples(hostile_text, hostile_text), max_size=5))):
        writer.writerow([str(i), subject, body])
    return out.getvalue()


@st.composite
def script_doc(draw: Any) -> str:
    lines = draw(st.lists(st.tuples(st.sampled_from(["Rep", "Prospect", "You", "VM", "Them", ""]), one_line), max_size=8))
    return "\n".join(f"{who}: {said}" if who else said for who, said in lines)


SHAPED: dict[str, Any] = {
    "text": hostile_text,
    "markdown": markdown_doc(),
    "html": html_doc,
    "eml": eml_doc(),
    "mbox": mbox_doc(),
    "playbook": playbook_doc(),
    "csv": csv_doc(),
    "script": script_doc(),
}
"""Documents shaped like each format. A format without an entry gets raw hostile text only."""


def document(fmt: str) -> Any:
    """Bytes of a document for ``fmt``: well-formed for the format, or not that format at all."""
    shaped = SHAPED.get(fmt, hostile_text)
    text = st.tuples(st.one_of(shaped, hostile_text), line_style).map(lambda t: newlines(*t) if fmt not in ("eml", "mbox") else t[0])
    return st.tuples(text, st.sampled_from(["", "\ufeff"])).map(lambda t: (t[1] + t[0]).encode("utf-8", "surrogatepass"))


_BREAK = re.compile(r"\r\n|\r|\n")


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of ``offset``, counted from scratch."""
    line, start = 1, 0
    for m in _BREAK.finditer(text):
        if m.end() > offset:
            break
        line, start = line + 1, m.end()
    return line, offset - start + 1


def check_message(message: Message) -> None:
    text, source = message.text, message.source.text
    previous = 0
    for piece in message.pieces:
        assert previous <= piece.start <= piece.end <= len(text), (piece, len(text))
        assert 0 <= piece.source_start <= len(source), (piece, len(source))
        previous = piece.start
    for offset in range(len(text) + 1):
        assert 0 <= message.source_offset(offset) <= len(source), (offset, message.pieces, len(source))
    for slot in message.slots:
        assert 0 <= slot.start <= slot.end <= len(text)


def check_finding(finding: dict[str, Any], message_text: str | None, source: str) -> None:
    f = finding
    assert 0 <= f["source_start"] <= f["source_end"] <= len(source), f
    assert (f["line"], f["column"]) == line_col(source, f["source_start"]), f
    assert (f["end_line"], f["end_column"]) == line_col(source, f["source_end"]), f
    if message_text is not None:
        assert 0 <= f["start"] <= f["end"] <= len(message_text), f
        assert message_text[f["start"]:f["end"]] == f["text"], f


def check_input(linter: Linter, fmt: str, raw: bytes) -> None:
    """Read, lint and check one input; the only exception reading may raise is InputError."""
    path = f"hostile.{fmt}"
    try:
        document = read_document(path, raw, input_format=fmt)
    except InputError as exc:
        assert exc.problems and all(str(p).startswith(path) for p in exc.problems)
        document = None
    if document is not None:
        source = document.source.text
        for message in document.messages:
            assert message.source.text == source
            check_message(message)
        for report in linter.lint_messages(document.messages):
            check_message(report.message)
            assert 1 <= report.line <= source.count("\n") + source.count("\r") + 1
            for finding in report.findings:
                check_finding(finding.to_dict(), report.message.text, source)
    # The whole per-file path (directives, playbook checks, fixes, records) never raises either.
    result = lint_bytes(linter, path, raw, input_format=fmt)
    if document is None:
        assert result.problems and not result.messages
    else:
        for record in result.messages:
            for finding in record.to_dict()["findings"]:
                check_finding(finding, None, document.source.text)


@pytest.mark.parametrize("fmt", sorted(READERS))
@PROPERTY
@given(data=st.data())
def test_every_reader_survives_hostile_input(linter: Linter, fmt: str, data: Any) -> None:
    check_input(linter, fmt, data.draw(document(fmt), label="raw"))


@PROPERTY
@given(text=hostile_text)
def test_engine_spans_stay_inside_any_text(linter: Linter, text: str) -> None:
    report = linter.lint_text(text)
    check_message(report.message)
    for finding in report.findings:
        check_finding(finding.to_dict(), report.message.text, text)
        # A plain string maps one-to-one, except where merge-field markup was removed.
        if not report.message.slots and "{" not in text and "[" not in text and "%" not in text:
            assert text[finding.source_start:finding.source_end] == finding.text


@PROPERTY
@given(raw=st.binary(max_size=400))
def test_arbitrary_bytes_are_read_or_refused_cleanly(linter: Linter, raw: bytes) -> None:
    for fmt in sorted(READERS):
        check_input(linter, fmt, raw)


# --- big inputs -------------------------------------------------------------------------


def test_a_template_of_nothing_but_merge_fields(linter: Linter) -> None:
    text = "{{first_name}} [Company Name] {{case_study_link}}\n" * 17_000   # 51,000 fields, ~860 KB
    result = lint_bytes(linter, "template.txt", text.encode())
    assert not result.problems
    (record,) = result.messages
    for finding in record.to_dict()["findings"]:
        check_finding(finding, None, text)
    report = linter.lint_text(text)
    assert len(report.message.slots) == 51_000
    assert report.message.text.strip() == ""


def test_a_line_longer_than_spacys_default_limit(linter: Linter) -> None:
    text = "Churn fell 12% at a peer of yours, " * 30_000 + "just checking in."   # 1.05 million characters, one line
    result = lint_bytes(linter, "long.txt", text.encode())
    assert not result.problems
    (record,) = result.messages
    (checkin,) = [f for f in record.to_dict()["findings"] if f["text"] == "checking in"]
    assert (checkin["line"], checkin["column"]) == (1, len(text) - len("checking in.") + 1)


def test_mime_nested_far_deeper_than_any_mail_client(linter: Linter) -> None:
    part = mime_leaf("Just checking in, any updates?", "plain", "7bit", "utf-8")
    for depth in range(120):
        part = mime_multipart([part], "mixed", depth)
    raw = f"From: a@example.com\nSubject: hi\nMIME-Version: 1.0\n{part}".encode()
    check_input(linter, "eml", raw)


def test_many_overlapping_findings_in_one_message(linter: Linter) -> None:
    text = "Just checking in, circling back, touching base. Any updates? " * 1_000
    report = linter.lint_text(text)
    assert report.verdict == "reject"
    for finding in report.findings:
        check_finding(finding.to_dict(), text, text)


# --- engine pieces against naive references ----------------------------------------------


def _rule(rule_id: str, kind: str, weight: int, family: str = "f") -> Rule:
    return Rule(id=rule_id, path="", name=rule_id, kind=kind, family=family, severity="info", weight=weight,  # type: ignore[arg-type]
                message="", suggestion="", patterns=Patterns())


RULES = [_rule(f"r{i}", kind, weight, family) for i, (kind, weight, family) in enumerate(
    [("anti-pattern", 10, "f"), ("anti-pattern", 30, "f"), ("anti-pattern", 30, "f"), ("signal", 20, "f"),
     ("signal", 5, "f"), ("signal", 40, "p")])]


def naive_resolve(matches: list[RawMatch], supporting: frozenset[str] = frozenset()) -> list[RawMatch]:
    kept = []
    for kind in ("anti-pattern", "signal"):
        taken: list[tuple[int, int]] = []
        for m in sorted((m for m in matches if m.rule.kind == kind),
                        key=lambda m: (m.rule.family in supporting, -m.rule.weight, -(m.end - m.start), m.rule.id, m.start)):
            if all(m.end <= s or m.start >= e for s, e in taken):
                taken.append((m.start, m.end))
                kept.append(m)
    return sorted(kept, key=lambda m: (m.start, m.end, m.rule.id))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(RULES), st.integers(0, 60), st.integers(1, 15)), max_size=40))
def test_overlap_resolution_matches_the_naive_definition(spans: list[tuple[Rule, int, int]]) -> None:
    matches = [RawMatch(rule, start, start + length) for rule, start, length in spans]
    assert resolve_overlaps(matches) == naive_resolve(matches)
    assert resolve_overlaps(matches, {"p"}) == naive_resolve(matches, frozenset({"p"}))


def test_a_supporting_signal_never_wins_an_overlap_with_a_value_signal() -> None:
    """Personalization (40 points here) shares characters with a lighter insight: the insight
    is kept, because only it carries value on its own."""
    value, supporting = RULES[4], RULES[5]
    matches = [RawMatch(supporting, 10, 30), RawMatch(value, 0, 20)]
    assert resolve_overlaps(matches) == [RawMatch(supporting, 10, 30)]
    assert resolve_overlaps(matches, {"p"}) == [RawMatch(value, 0, 20)]


@st.composite
def pieced_message(draw: Any) -> Message:
    """A message of several pieces mapping into a longer source, like a reader builds."""
    chunks = draw(st.lists(st.text(min_size=1, max_size=8), min_size=1, max_size=8))
    gaps = draw(st.lists(st.text(max_size=5), min_size=len(chunks), max_size=len(chunks)))
    source_text, pieces, out = "", [], 0
    for chunk, gap in zip(chunks, gaps):
        source_text += gap
        pieces.append(Piece(out, out + len(chunk), len(source_text)))
        source_text += chunk
        out += len(chunk)
    return Message("".join(chunks), Source("s.txt", source_text), pieces)


@settings(max_examples=300, deadline=None)
@given(message=pieced_message(), data=st.data())
def test_edits_keep_every_kept_character_mapped_to_its_source(message: Message, data: Any) -> None:
    n = len(message.text)
    cuts = sorted(data.draw(st.lists(st.integers(0, n), max_size=8, unique=True)))
    edits = [(a, b, data.draw(st.sampled_from(["", " ", "xy"]))) for a, b in zip(cuts[::2], cuts[1::2])]
    origin = [message.source_offset(i) for i in range(n)]   # where each original character came from
    kept = [i for i in range(n) if not any(a <= i < b for a, b, _ in edits)]
    edited = message.edited(edits)
    check_message(edited)
    # Walk the edited text: kept characters appear in order and still map to their origin.
    expected_text = "".join(
        message.text[prev:a] + r for (prev, (a, _, r)) in zip([0] + [b for _, b, _ in edits], edits)
    ) + message.text[edits[-1][1] if edits else 0:]
    assert edited.text == expected_text
    j = 0
    position = 0
    for (a, b, r) in edits + [(n, n, "")]:
        while j < len(kept) and kept[j] < a:
            assert edited.source_offset(position) == origin[kept[j]]
            assert edited.text[position] == message.text[kept[j]]
            position += 1
            j += 1
        position += len(r)
