"""Keep only the sender's new words: drop quoted replies, forwarded messages, signatures and
footers, and record what was dropped so a user can see it (``--show-dropped``, JSON).

* **Quoted replies.** Lines quoted with ``>`` are dropped wherever they are, and so is the
  intro line a mail client writes above them ("On <date>, <name> wrote:", "Am ... schrieb
  ...:", "Le ... a écrit :", "Il ... ha scritto:" ...). Text written below or between the
  quoted lines (bottom and inline posting) is the sender's and stays. Intro lines are found
  by `quotequail <https://github.com/closeio/quotequail>`_ and by the per-language header
  patterns of `mail-parser-reply <https://github.com/alfonsrv/mail-parser-reply>`_ (English,
  German, French, Spanish, Italian, Dutch, Swedish, Danish, Polish, Czech, Portuguese,
  Russian, Japanese, Korean, Chinese); in any other language, a line that ends in a colon,
  holds a date or an address and stands right above ``>`` lines is an intro too.
* **Forwarded or unquoted threads.** When the intro line is not followed by ``>`` lines (a
  forwarded message, an Outlook "-----Original Message-----" or underscore separator, an
  Outlook ``From:``/``Sent:`` header block), everything from it on is someone else's text
  and is dropped.
* **mbox escapes.** In an mbox file a body line starting ``From `` is stored as ``>From ``
  (mboxrd); with ``mbox=True`` such a line is unescaped, not taken for a quote.
* **Signatures and footers.** The signature starts at an RFC 3676 ``-- `` line, a "Sent
  from my ..." line, or a closing line ("Best,", "Mit freundlichen Grüßen", "Cordialement"
  ..., mail-parser-reply's sign-offs in every language it knows, plus
  :data:`CLOSING_WORDS`) that stands on its own line and is followed by a name-like line
  (the closing itself stays: it is part of the message). As in mail-parser-reply (and GitHub's email_reply_parser), a signature runs to
  the end of the message: the title, phone, legal disclaimer and marketing footer under it
  are not the sender's message. A ``P.S.`` after the signature is the sender's again. A
  disclaimer found by mail-parser-reply's patterns ("CONFIDENTIALITY NOTICE: ... e-mail")
  is dropped to the end even without a signature above it.

Every dropped span is recorded in ``message.meta["dropped"]`` as ``(kind, source_start,
source_end)`` with kind ``quote``, ``thread``, ``signature`` or ``footer``; offsets are in
the decoded file.
"""

from __future__ import annotations

import bisect
import re
import re._constants as _sre  # the standard library's regex parser, read-only use
import re._parser as _sre_parser
from functools import lru_cache
from typing import Any

from mailparser_reply.constants import MAIL_LANGUAGES

from checkin_lint.document import DROPPED, SIGNATURE, Message

SIGNATURE_DELIMITER = re.compile(r"^--[ \t]?$")
CLOSING_WORDS = (
    "best|best regards|best wishes|all the best|regards|kind regards|warm regards|warmly|cheers|"
    "thanks|thank you|many thanks|thanks again|sincerely|yours|talk soon|speak soon|take care"
)
"""English closing lines (alternatives of a regex), besides mail-parser-reply's; the rewrite uses them too."""
OUTLOOK_FROM = re.compile(r"^\*?from:\*?\s+\S", re.I)
OUTLOOK_NEXT = re.compile(r"^\*?(sent|date|to|subject):\*?\s", re.I)
POSTSCRIPT = re.compile(r"^p\.?\s?p?\.?\s?s\b[.:]?", re.I)
"""A P.S. after the signature is the sender's words again."""
MAX_NAME_WORDS = 5
"""A line right under a closing is a signature (name, title) when it has at most this many
words and does not read as a sentence; "Thanks!" followed by prose is not a sign-off."""
REPLY_SUBJECT = re.compile(
    r"^\s*(?:\[[^\]\n]{1,40}\]\s*)*"
    r"(?:re|aw|antw|antwort|sv|vs|odp|rif|r|réf|ref|res|ynt|atb|vá|odg|ang|fwd?|wg|tr|rv|enc|doorst|vb|pd|ilt|İlt"
    r"|απ|σχετ|προώθ|回复|回覆|答复|转发|轉寄|返信|転送)"
    r"\s*(?:\[\d+\]|\(\d+\))?\s*[:：]",
    re.I,
)
"""The prefixes mail clients put on a reply or forward's subject, in the languages they
write them in (Re, AW, SV, Odp, Rif, Fwd, WG, TR, RV, Enc ...; after any ``[tag]``)."""

_LINE = re.compile(r"[^\n]*(?:\n|$)")
_QUOTE_MARKERS = (":", "：", "<", "---", "____")
"""Every reply or forward pattern needs one of these ("... wrote:", "Original Message:",
"---- Forwarded ----", an underscore rule, "2026/3/9 Name <a@b>"): text without any of them
is not searched, which keeps short messages (CSV rows, mbox items) fast."""
_MBOX_FROM = re.compile(r">+From ")
_ANY_INTRO = re.compile(r"\d|@")
"""An intro in a language no pattern knows: a line ending in a colon, with a date or an
address in it, right above ``>`` lines."""
_SEPARATOR = re.compile(r"^[ \t]*(?:[-_=*]{2,}.*[-_=*]{2,}|_{10,})[ \t]*\r?\n?$")
_SENTENCE_END = re.compile(r"[?!:;,]$")

Span = tuple[str, int, int]
"""``(kind, start, end)`` of dropped text, in message offsets."""


FOOTERS = (
    r"confidentiality notice\b",
    r"this (?:e-?mail|message)(?: and any (?:files|attachments?)[^.\n]{0,40})? (?:is|are|may be|contains?) (?:strictly )?(?:confidential|privileged)",
    r"if you (?:have )?received this (?:e-?mail|message|communication) in error",
)
"""English footer openings mail-parser-reply's disclaimer list lacks (``CONFIDENTIALITY NOTICE:``
and the usual legal sentences); matched at the start of a line."""
_LIBRARY_INTRO_MAX = 300
"""Reply intro lines longer than this (one line, or two when the client wrapped it) are not
tried against the per-language patterns, which backtrack on long lines."""


def _languages() -> list[dict[str, Any]]:
    """mail-parser-reply's patterns of every language it knows (that has a reply intro)."""
    return [v for v in MAIL_LANGUAGES.values() if v.get("wrote_header")]


@lru_cache(maxsize=1)
def _intro_pattern() -> re.Pattern[str]:
    """Reply intro lines in every language mail-parser-reply knows, compiled once: when a line
    ends with a colon, as each of them does (the largest of these patterns, so a message
    without such a line does not compile it)."""
    return re.compile("|".join(f"(?:{v['wrote_header']})" for v in _languages()), re.M | re.I)


@lru_cache(maxsize=1)
def _library_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """(sent-from lines, closing lines, disclaimers) in every language mail-parser-reply
    knows, compiled once."""
    languages = _languages()
    sent = re.compile("^(?:" + "|".join(f"(?:{v['sent_from']})" for v in languages if v.get("sent_from"))
                      + r"|sent via\b|sent from outlook\b)", re.I)
    closings = [s.rstrip(",.") for v in languages for s in v.get("signatures") or []]
    closing = re.compile(rf"^(?:{'|'.join(f'(?:{c})' for c in closings if c)}|{CLOSING_WORDS})[ \t]*"
                         r"(?:[,.!](?:[ \t]*(?-i:[A-Z][\w.'-]*)(?:[ \t]+(?-i:[A-Z][\w.'-]*)){0,2})?)?[ \t]*$", re.I)
    disclaimers = [f"(?:{d})" for v in languages for d in v.get("disclaimers") or []]
    disclaimer = re.compile(rf"^[ \t>]*(?:(?:{'|'.join(disclaimers)})[^\n]*\b(?:e-?mail|message|mail)\b|{'|'.join(FOOTERS)})",
                            re.I | re.M)
    return sent, closing, disclaimer


def inherited_subject(subject: str) -> bool:
    """True when ``subject`` is a reply's or forward's (``Re: ...``, ``AW: ...``, ``Fwd: ...``):
    the thread's old subject, not words the sender wrote for this message."""
    return bool(REPLY_SUBJECT.match(subject))


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, the end including its line break."""
    spans = [(m.start(), m.end()) for m in _LINE.finditer(text)]
    return [s for s in spans if s[1] > s[0]] or [(0, 0)]


def _is_quoted(line: str, mbox: bool) -> bool:
    stripped = line.lstrip()
    return stripped.startswith(">") and not (mbox and _MBOX_FROM.match(stripped))


def _last_characters(items: list[tuple[Any, Any]]) -> frozenset[str] | None:
    """The characters a match of the parsed pattern ``items`` (:mod:`re._parser`) can end
    with, when its last element is a literal (or a group, repeat or alternation ending in one);
    ``None`` when it could end with anything else."""
    if not items:
        return None
    op, value = items[-1]
    if op is _sre.LITERAL:
        return frozenset(chr(value))
    if op is _sre.SUBPATTERN:
        return _last_characters(list(value[-1]))
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and value[0] >= 1:
        return _last_characters(list(value[2]))
    if op is _sre.BRANCH:
        found = [_last_characters(list(branch)) for branch in value[1]]
        return None if any(f is None for f in found) else frozenset().union(*found)  # type: ignore[arg-type]
    return None


@lru_cache(maxsize=1)
def _quotequail_line_ends() -> frozenset[str] | None:
    """The characters quotequail's reply and forward patterns end with (``:`` of "... wrote:",
    ``-`` of "---- Forwarded message ----", ``_`` of an underscore rule, ``>`` of "2026/3/9
    Name <a@b>"), read from its patterns: each is anchored at the end (``$``) of the line, or
    of two lines joined when the client wrapped it. ``None`` (every line is tried) if some
    pattern could end otherwise or is case-insensitive."""
    from quotequail import _patterns as quotequail_patterns  # its reply and forward patterns, read-only

    ends: set[str] = set()
    for pattern in quotequail_patterns.COMPILED_PATTERNS:
        items = list(_sre_parser.parse(pattern.pattern, pattern.flags))
        last = _last_characters(items[:-1]) if items and items[-1] == (_sre.AT, _sre.AT_END) else None
        if last is None or pattern.flags & re.IGNORECASE:
            return None
        ends |= last
    return frozenset(ends)


def _quotequail_start(text: str, pos: int) -> int | None:
    """Where quotequail finds the first reply intro or forward header at or after ``pos``.

    quotequail tries each line ``n`` against each of its patterns, on line ``n`` alone and
    joined with the next lines (up to its ``MAX_WRAP_LINES``), stripped: a pattern anchored
    at the end can only match a window whose last non-blank line ends (spaces aside) with one
    of :func:`_quotequail_line_ends`. So only the windows around such lines are handed to
    quotequail, in order: the same first match as one call over the whole text, without
    trying every pattern on every line of a message that has none (each window sees exactly
    the lines it would see in the whole text; a window cut short at the end of a slice only
    tries strings the whole window tries too)."""
    rest = text[pos:]
    if not any(marker in rest for marker in _QUOTE_MARKERS):
        return None
    import quotequail  # here: most short messages hold no marker and never need it
    from quotequail import _patterns as quotequail_patterns

    lines = rest.split("\n")
    ends = _quotequail_line_ends()
    wrap = quotequail_patterns.MAX_WRAP_LINES
    flagged = range(len(lines)) if ends is None else [i for i, line in enumerate(lines) if line.rstrip().endswith(tuple(ends))]
    runs: list[list[int]] = []  # [first, last] line where a window may start, merged
    for i in flagged:
        first = max(0, i - wrap + 1)
        if runs and first <= runs[-1][1] + 1:
            runs[-1][1] = i
        else:
            runs.append([first, i])
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    for first, last in runs:
        chunk = "\n".join(lines[first:last + wrap])
        parts = quotequail.quote(chunk, limit=chunk.count("\n") + 2, quote_intro_line=True)
        if len(parts) > 1:
            return pos + starts[first] + len(chunk) - len(parts[1][1])
    return None


def _intro_lines(text: str, lines: list[tuple[int, int]], quoted: list[bool]) -> list[int]:
    """Indices of unquoted lines that start a reply intro (mail-parser-reply's patterns, one
    line or wrapped over two) or an Outlook ``From:``/``Sent:`` header block; one pass."""
    found = []
    for i, (start, stop) in enumerate(lines):
        if quoted[i] or stop - start > _LIBRARY_INTRO_MAX:
            continue
        ends = [stop] if _ends_with_colon(text, start, stop) else []  # every intro pattern ends with a colon
        if i + 1 < len(lines) and lines[i + 1][1] - start <= _LIBRARY_INTRO_MAX and _ends_with_colon(text, *lines[i + 1]):
            ends.append(lines[i + 1][1])
        if any(_intro_pattern().match(text, start, end - (text[end - 1:end] == "\n")) for end in ends) or (
            OUTLOOK_FROM.match(text[start:stop].strip())
            and any(OUTLOOK_NEXT.match(text[a:b].strip()) for a, b in lines[i + 1:i + 5])
        ) or (_ends_with_colon(text, start, stop) and _ANY_INTRO.search(text, start, stop) and i + 1 < len(lines) and quoted[i + 1]):
            found.append(i)
    return found


def _ends_with_colon(text: str, start: int, stop: int) -> bool:
    return text[start:stop].rstrip().endswith((":", "："))


def _intro_end(lines: list[tuple[int, int]], index: int, text: str) -> int:
    """Index of the line after an intro that starts at line ``index`` (an intro may wrap
    over two or three lines; it ends at the first line ending in a colon)."""
    for j in range(index, min(index + 3, len(lines))):
        if text[lines[j][0]:lines[j][1]].rstrip().endswith((":", "：")):
            return j + 1
    return index + 1


def quoted_spans(text: str, *, mbox: bool = False) -> list[Span]:
    """Quoted text of a message: ``>`` lines and the intro lines above them (kind ``quote``)
    and a forwarded or unquoted thread to the end (kind ``thread``), in message offsets.
    Linear: one pass over the lines, and quotequail at most twice."""
    lines = _lines(text)
    quoted = [_is_quoted(text[a:b], mbox) for a, b in lines]
    index_of = {start: i for i, (start, _) in enumerate(lines)}
    candidates = set(_intro_lines(text, lines, quoted))
    first = _quotequail_start(text, 0)
    if first is not None and first in index_of:
        candidates.add(index_of[first])
    spans: list[Span] = []
    end = len(lines)  # lines from here on are a dropped thread
    done = 0
    for index in sorted(candidates):
        if index < done:
            continue
        after = _intro_end(lines, index, text)
        following = next((i for i in range(after, len(lines)) if text[lines[i][0]:lines[i][1]].strip()), None)
        if following is None or not quoted[following]:
            end = index
            break
        spans.append(("quote", lines[index][0], lines[after - 1][1]))
        done = after
    if end == len(lines) and spans:  # a forward below the last quoted block
        later = _quotequail_start(text, spans[-1][2])
        if later is not None and later in index_of and not quoted[index_of[later]]:
            end = index_of[later]
    intros = {s for _, s, _ in spans}
    for i in range(end):
        if quoted[i] and lines[i][0] not in intros:
            spans.append(("quote", *lines[i]))
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: s[1]):
        if merged and merged[-1][2] >= span[1]:
            merged[-1] = ("quote", merged[-1][1], max(merged[-1][2], span[2]))
        else:
            merged.append(span)
    spans = merged
    while 0 < end < len(lines) and _SEPARATOR.match(text[lines[end - 1][0]:lines[end - 1][1]]):
        end -= 1  # the "---- Forwarded message ----" or underscore rule above a header block
    if end < len(lines):
        spans.append(("thread", lines[end][0], len(text)))
    return spans


def _name_like(line: str) -> bool:
    """A name, title, phone or address line, not a sentence."""
    words = line.split()
    if not words or len(words) > MAX_NAME_WORDS or _SENTENCE_END.search(line):
        return False
    lower = sum(1 for w in words if w[0].isalpha() and w[0].islower())
    return lower < 2 and not (line.endswith(".") and len(words) > 2)


def _kept_line(filled: list[tuple[int, int]], starts: list[int], offset: int, first: int) -> int | None:
    """Start of the line of ``filled`` (``starts`` are their starts; from index ``first`` on)
    that holds ``offset``, if any."""
    i = bisect.bisect_right(starts, offset) - 1
    return filled[i][0] if i >= first and offset < filled[i][1] else None


def signature_spans(text: str, kept: list[tuple[int, int]]) -> list[Span]:
    """The signature (to the end, but for a P.S.) and any footer disclaimer in the
    ``kept`` lines of ``text`` (``(start, end)`` of lines not already dropped)."""
    sent_from, closing, disclaimer = _library_patterns()
    filled = [(a, b) for a, b in kept if text[a:b].strip()]
    sig_start: int | None = None
    for i, (a, b) in enumerate(filled):
        line = text[a:b].strip()
        if SIGNATURE_DELIMITER.match(text[a:b].rstrip("\r\n")) or sent_from.match(line):
            sig_start = a
            break
        if i and closing.match(line):
            if i + 1 == len(filled):
                break
            if _name_like(text[filled[i + 1][0]:filled[i + 1][1]].strip()):
                sig_start = filled[i + 1][0]  # the closing line itself is the sender's
                break
    bound = sig_start if sig_start is not None else len(text)
    starts = [a for a, _ in filled]
    found = (_kept_line(filled, starts, m.start(), 1) for m in disclaimer.finditer(text, 0, bound))
    footer = next((line for line in found if line is not None), None)
    if footer is not None:  # the first disclaimer on a kept line that is not the first one
        sig = ("footer", footer, len(text))
    elif sig_start is not None:
        sig = ("signature", sig_start, len(text))
    else:
        return []
    ps = next((a for a, b in filled if a > sig[1] and POSTSCRIPT.match(text[a:b].strip())), None)
    return [(sig[0], sig[1], ps)] if ps is not None else [sig]


def dropped_spans(text: str, *, mbox: bool = False) -> list[Span]:
    """Everything in ``text`` that is not the sender's new words, sorted, non-overlapping."""
    quoted = quoted_spans(text, mbox=mbox)
    kept = [(a, b) for a, b in _lines(text) if not any(s <= a < e for _, s, e in quoted)]
    signature = signature_spans(text, kept)
    if signature:
        kind, start, end = signature[0]
        quoted = [(k, s, min(e, start)) if s < start else (k, s, e) for k, s, e in quoted if s < start or s >= end]
        quoted = [q for q in quoted if q[2] > q[1]]
    return sorted(quoted + signature, key=lambda s: s[1])


def new_words(message: Message, *, mbox: bool = False) -> Message:
    """The message without quoted replies, forwarded messages, signature and footer; what
    was left out is added to ``meta["dropped"]`` (source offsets), and the signature's own
    text to ``meta["signature"]`` (for rewrites, which keep it)."""
    text = message.text
    spans = dropped_spans(text, mbox=mbox)
    edits: list[tuple[int, int, str]] = [(s, e, "") for _, s, e in spans]
    if mbox:
        for start, stop in _lines(text):
            if _MBOX_FROM.match(text[start:stop]) and not any(s <= start < e for _, s, e in spans):
                edits.append((start, start + 1, ""))
    if not edits:
        return message
    result = message.edited(sorted(edits))
    dropped = [(kind, message.source_offset(s), message.source_offset(e)) for kind, s, e in spans]
    if dropped:
        result.meta[DROPPED] = [*message.meta.get(DROPPED, []), *dropped]  # type: ignore[misc]
    signature = "".join(_signature_text(text[s:e]) for kind, s, e in spans if kind == "signature")
    if signature:
        result.meta[SIGNATURE] = signature
    return result


def _signature_text(signature: str) -> str:
    """A signature span without the quoted thread it may run into (the rewrite keeps the
    signature, not the thread)."""
    quoted = quoted_spans(signature)
    return signature[:quoted[0][1] if quoted else len(signature)].strip()


EXCERPT = 80
"""Characters of a dropped part shown in reports (whitespace collapsed)."""


def dropped_parts(message: Message) -> list[dict[str, object]]:
    """What a reader left out of ``message``, for reports: ``kind``, ``line`` and
    ``end_line`` (1-based, inclusive) in the file, and an ``excerpt`` of at most
    :data:`EXCERPT` characters."""
    parts: list[dict[str, object]] = []
    source = message.source
    for kind, start, end in sorted(message.meta.get(DROPPED, []), key=lambda d: d[1]):  # type: ignore[attr-defined]
        text = " ".join(source.text[start:min(end, start + 4 * EXCERPT)].split())
        last = end - 1 if end > start and source.text[end - 1:end] == "\n" else end
        parts.append({"kind": kind, "line": source.line_col(start)[0], "end_line": source.line_col(max(start, last))[0],
                      "excerpt": text if len(text) <= EXCERPT else text[:EXCERPT - 1] + "…"})
    return parts
