"""Keep only the sender's new words: drop quoted replies, forwarded messages and signatures.

* The quoted thread (an "On <date>, <name> wrote:" line, a forwarded-message header, an
  Outlook "-----Original Message-----" or underscore separator, in the languages the
  library knows) is found by `quotequail <https://github.com/closeio/quotequail>`_, which
  splits the text into unmodified pieces, so offsets into the file stay exact. Everything
  from the intro line on is dropped.
* An Outlook-style header block without a separator (``From:`` followed by ``Sent:`` or
  ``Date:`` within a few lines) starts the quoted thread too.
* Lines quoted with ``>`` are dropped wherever they are (inline replies stay).
* The signature is dropped: from a ``-- `` delimiter line (RFC 3676), from a "Sent from my
  ..." / "Get Outlook for ..." line, or the short block of lines (name, title, phone, site)
  that follows a closing line such as "Best," at the end of the message.
"""

from __future__ import annotations

import re

import quotequail

from checkin_lint.document import SIGNATURE, Message

SIGNATURE_DELIMITER = re.compile(r"^--[ \t]?$")
MOBILE_FOOTER = re.compile(r"^(sent from my\b|sent from outlook\b|get outlook for\b|sent via\b)", re.I)
CLOSING_WORDS = (
    "best|best regards|best wishes|all the best|regards|kind regards|warm regards|warmly|cheers|"
    "thanks|thank you|many thanks|thanks again|sincerely|yours|talk soon|speak soon|take care"
)
"""The closing lines of a message (alternatives of a regex); the rewrite uses them too."""
CLOSING = re.compile(rf"^({CLOSING_WORDS})[,.!]?$", re.I)
OUTLOOK_FROM = re.compile(r"^\*?from:\*?\s+\S", re.I)
OUTLOOK_NEXT = re.compile(r"^\*?(sent|date|to|subject):\*?\s", re.I)
MAX_SIGNATURE_LINES = 6
"""A closing line followed by at most this many short lines ends the message: a signature."""
MAX_SIGNATURE_LINE = 60
"""Longer lines after a closing are prose (a P.S.), not a signature."""
_LINE = re.compile(r"[^\n]*(?:\n|$)")
_QUOTE_MARKERS = (":", "<", "---", "____")
"""Every quotequail reply or forward pattern needs one of these ("... wrote:", "Original
Message:", "---- Forwarded ----", an underscore rule, "2026/3/9 Name <a@b>"): text without
any of them is not searched, which keeps short messages (CSV rows, mbox items) fast."""


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, the end including its line break."""
    spans = [(m.start(), m.end()) for m in _LINE.finditer(text)]
    return [s for s in spans if s[1] > s[0]] or [(0, 0)]


def quoted_thread_start(text: str) -> int:
    """Offset where the quoted or forwarded thread starts (``len(text)`` when there is none)."""
    end = len(text)
    if any(marker in text for marker in _QUOTE_MARKERS):
        parts = quotequail.quote(text, limit=text.count("\n") + 2, quote_intro_line=True)
        if len(parts) > 1:
            end -= len(parts[1][1])
    lines = _lines(text[:end])
    for i, (start, stop) in enumerate(lines):
        if OUTLOOK_FROM.match(text[start:stop].strip()) and any(
            OUTLOOK_NEXT.match(text[a:b].strip()) for a, b in lines[i + 1:i + 5]
        ):
            return start
    return min(end, len(text))


def signature_start(text: str) -> int:
    """Offset where the signature starts (``len(text)`` when there is none)."""
    lines = _lines(text)
    for start, stop in lines:
        line = text[start:stop].rstrip("\r\n")
        if SIGNATURE_DELIMITER.match(line) or MOBILE_FOOTER.match(line.strip()):
            return start
    filled = [(a, b) for a, b in lines if text[a:b].strip()]
    for i in range(len(filled) - 1, max(-1, len(filled) - MAX_SIGNATURE_LINES - 2), -1):
        a, b = filled[i]
        if CLOSING.match(text[a:b].strip()):
            tail = filled[i + 1:]
            if all(len(text[x:y].strip()) <= MAX_SIGNATURE_LINE for x, y in tail):
                return tail[0][0] if tail else len(text)
            break
    return len(text)


def new_words(message: Message) -> Message:
    """The message without quoted replies, forwarded messages and signature (the signature's
    text is kept under ``meta["signature"]``, for rewrites)."""
    text = message.text
    thread = quoted_thread_start(text)
    cut = signature_start(text[:thread]) if thread else 0
    edits: list[tuple[int, int, str]] = []
    for start, stop in _lines(text[:cut]):
        if text[start:stop].lstrip().startswith(">"):
            edits.append((start, stop, ""))
    if cut < len(text):
        edits.append((cut, len(text), ""))
    if not edits:
        return message
    kept = message.edited(edits)
    signature = text[cut:thread].strip()
    if signature:
        kept.meta[SIGNATURE] = signature
    return kept
