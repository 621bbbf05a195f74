"""Call scripts: lint what the caller says.

A call script is a Markdown or text file of speaker lines::

    **Rep:** Hi Dana, it's Sam from Acme. I'm calling about the benchmark we ran for you.
    **Prospect:** Go on.
    Rep: Teams your size cut onboarding time by 30%; can I walk you through it?
    (pause: if no answer, leave the voicemail below)

A line opens a turn when it starts with a speaker label: a name from the sender list
(``rep``, ``you``, ``caller``, ``sdr``, ``ae``, ... configurable as ``script-speakers``), a
listener (``prospect``, ``customer``, ``gatekeeper`` ...), or any label in capitals
(``DANA:``), optionally in bold or after a bullet. Only the sender's turns are linted, the
labels cut off; lines without a label continue the current turn. Text before the first
label and stage directions (a line wholly in parentheses or in
italics) are not linted. A script without any speaker label is one monologue (a voicemail)
and is linted whole (put instructions to the caller in a block quote or a comment).
Markdown scripts are split into messages by ``##`` section like any
Markdown file, and a fenced block holding a script (``markdown-fences``) is a message of
its own; every message has the ``call`` channel.
"""

from __future__ import annotations

import re
from typing import Iterable

from checkin_lint.document import Message, Source
from checkin_lint.inputs import Document, ReadOptions
from checkin_lint.inputs.markdown import parse_markdown, skipped_notice
from checkin_lint.inputs.textmap import cut_source_spans
from checkin_lint.directives import find_directives

LISTENERS = ("prospect", "customer", "client", "them", "they", "lead", "buyer", "contact", "gatekeeper",
             "receptionist", "assistant", "recipient", "answer", "response", "objection")
"""Speaker labels of the other side of the call."""

_LABEL = re.compile(
    r"^[ \t]*(?:[-*+][ \t]+)?(?:\*\*|__)?(?P<name>[A-Za-z][A-Za-z0-9 .'/&()-]{0,30}?)[ \t]*(?:\*\*|__)?:(?:\*\*|__)?[ \t]*",
    re.M,
)
_DIRECTION = re.compile(r"^[ \t]*(?:\(.*\)|\*[^*].*\*|_[^_].*_)[ \t]*\r?$", re.M)
_LINE = re.compile(r"[^\n]*\n?")


def _speaker(name: str, senders: set[str]) -> str | None:
    """``sender``, ``listener`` or ``None`` (not a speaker label) for a label's name."""
    key = re.sub(r"\s*\(.*?\)\s*", " ", name).strip().lower()
    if key in senders:
        return "sender"
    if key in LISTENERS or (name.isupper() and len(name) > 1):
        return "listener"
    return None


def sender_lines(message: Message, speakers: Iterable[str]) -> Message:
    """The message reduced to the sender's turns, without speaker labels and directions."""
    senders = {s.lower() for s in speakers}
    text = message.text
    lines = [(m.start(), m.end()) for m in _LINE.finditer(text) if m.end() > m.start()]
    labelled = []
    for start, end in lines:
        m = _LABEL.match(text, start, end)
        role = _speaker(m.group("name"), senders) if m else None
        labelled.append((start, end, role, m.end() if m and role else start))
    if not any(role for _, _, role, _ in labelled):
        return message
    edits: list[tuple[int, int, str]] = []
    turn: str | None = None
    for start, end, role, body in labelled:
        if role:
            turn = role
        if turn != "sender" or _DIRECTION.match(text, start, end):
            edits.append((start, end, ""))
        elif body > start:
            edits.append((start, body, ""))
    return message.edited(edits)


def read(source: Source, options: ReadOptions) -> Document:
    """Read a call script (Markdown or text) into one message per section."""
    whole = Message.whole(source, channel="call")
    notices: list[str] = []
    if source.path.lower().endswith(".md"):
        parsed = parse_markdown(whole, options.fences)
        messages = [s.builder.message(label=s.label, channel="call") for s in parsed.sections]
        messages.sort(key=lambda m: m.source_offset(len(m.text) - len(m.text.lstrip())))
        directives = parsed.directives
        notices = skipped_notice(parsed)
    else:
        directives = find_directives(whole, "line")
        messages = [cut_source_spans(whole, [(d.start, d.end) for d in directives])]
    scripts = [sender_lines(m, options.speakers) for m in messages]
    return Document(source, "script", [m for m in scripts if m.text.strip()], directives, notices)
