"""Suggested rewrites that lead with value, built from the message's sentences and findings.

A rewrite works on the message as it was written: merge fields stay byte for byte in their
own syntax (``{{first_name}}``, ``*|FNAME|*``, ``[Company Name]`` ...), and so does every
sentence it keeps. The subject (when the message has one) and the greeting come first, the
sign-off and the signature the linter left out come last. In between:

* a sentence holding only filler (check-in, nudge, apology; no value signal) is dropped,
  unless it holds something specific (a merge field, a phone number, a link, an e-mail
  address, a date or time, an amount, a name): then only the filler words go, when they can
  go without breaking the sentence, and otherwise it is kept as it is;
* filler words inside a sentence that carries value are trimmed the same way;
* when the message carries value, the first sentence that carries it leads (after the
  greeting and a self-introduction such as "this is Omar from Acme");
* when it carries none, the value-first skeleton (:data:`SKELETON_OPENING` slots after the
  greeting, :data:`SKELETON_CLOSING` slots before the sign-off, as the families' ``slot``
  text) frames whatever specific the message had;
* a kept sentence never dangles: a connective that tied it to a dropped or moved sentence
  ("But", "Also", "That said,") is removed, and a leading "It"/"This"/"That" that pointed at
  a dropped sentence is replaced by that sentence's topic ("the proposal"); without a topic
  the pointing sentence is dropped too, or, when it carries value, the sentence it points
  at is kept.

A rewrite is a suggestion: nothing here writes files (see :mod:`checkin_lint.rewrite.files`).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Callable, Iterable, Literal

from checkin_lint.document import SIGNATURE, Message
from checkin_lint.findings import Finding
from checkin_lint.fix import trim_sentence
from checkin_lint.quotes import CLOSING_WORDS
from checkin_lint.rules.model import Family
from checkin_lint.templates import field_edits, field_spans, template_of

Strategy = Literal["unchanged", "drop-filler", "lead-with-value", "value-first-skeleton"]
"""What a rewrite did: nothing (the text is identical), dropped or trimmed filler around
value that already led, moved the value to the front, or proposed a value-first skeleton."""

SKELETON_OPENING = ("insight", "personalization")
"""Slots that open a skeleton: the new thing, then why it matters to them."""
SKELETON_CLOSING = ("question", "commitment")
"""Slots that close a skeleton, before the sign-off: one specific question, a dated next step."""
MIN_KEPT_WORDS = 3
"""A sentence kept for something specific is trimmed only if this many words are left."""

_GREETING_WORD = re.compile(
    r"(?:hi|hello|hey|hiya|howdy|dear|greetings|good\s+(?:morning|afternoon|evening|day)|morning|afternoon|evening)\b", re.I
)
_GREETING_END = re.compile(r"[,!:;.?\u2013\u2014]|\s-\s|\n")
_NAME_GREETING = re.compile(r"[A-Z][\w'.-]*(?:[ \t]+[A-Z][\w'.-]*){0,2}[ \t]*[,!\u2013\u2014-][ \t]*(?=\r?\n|$)")
_SIGNOFF = re.compile(
    rf"^(?:(?:{CLOSING_WORDS}|looking forward|all best|have\s+a\s+(?:great|good|nice|wonderful|lovely)\s+\w+)\b[^\n]{{0,30}}"
    r"|--\s*|\u2014\s*[^\n]{0,40}|sent from\b[^\n]*)$",
    re.I,
)
_SIGNATURE_LINE = re.compile(r"^(?:[^\s.?!]|\S.{0,48}[^.?!:,;\s])$")
_INTRO = re.compile(
    r"^(?i:this\s+is|it's|it\u2019s|it\s+is|my\s+name\s+is|i'm|i\u2019m|i\s+am)\s+(?:[A-Z]|\{|\[|<<|\*\||%)[^.?!]{0,40}?"
    r"(?i:\s(?:from|with|at|over\s+at|here)\b|[.,!]|$)"
)
_CONNECTIVE = re.compile(
    r"^(?:(?:but|and|so|also|plus|anyway|anyhow|meanwhile|additionally|since\s+then|after\s+that)\b,?|"
    r"(?:however|still|besides|otherwise|in\s+addition|that\s+said|with\s+that\s+said|having\s+said\s+that|"
    r"that\s+being\s+said|either\s+way|in\s+the\s+meantime|on\s+that\s+note|speaking\s+of\s+which|as\s+such),)[ \t]*",
    re.I,
)
_POINTER = re.compile(
    r"^(it|this|that|these|those|they)(?=(?:'s|\u2019s|'re|\u2019re)\b|\s+(?:is|was|are|were|has|had|have|will|would|should|"
    r"can|could|may|might|includes?|covers?|shows?|contains?|lists?|explains?|means|goes|outlines?|walks|breaks|"
    r"compares?|summari[sz]es|highlights?|answers?)\b)",
    re.I,
)
_TOPIC = re.compile(
    r"\b(?:on|about|regarding|re:?|with|for|to)\s+((?:the|my|our|your|this|that|these|those)\s+[^.,;:!?\n]{1,40}?)\s*[.!?]*\s*$",
    re.I,
)
_NOT_A_TOPIC = re.compile(r"\b(?:e-?mail|message|note|voicemail|inbox|call|previous|last|earlier)\b", re.I)
_SPECIFIC = re.compile(
    r"""https?://|\bwww\.|\b[\w.-]+\.(?:com|io|co|org|net|ai|app|dev)\b(?:/\S*)?   # a link
    | \b[\w.+-]+@[\w-]+\.[\w.]+                                                   # an e-mail address
    | (?<![\w.])\+?\(?\d[\d ().-]{5,}\d                                            # a phone number
    | \b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?\b
    | \b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b
    | \b\d{1,4}[/.-]\d{1,2}(?:[/.-]\d{2,4})?\b                                     # 3/14, 2026-03-14
    | \b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b
    | \b\d{1,2}(?::\d{2})?\s?(?:am|pm)\b | \b\d{1,2}:\d{2}\b                          # a time
    | [$\u20ac\u00a3]\s?\d                                                          # an amount
    """,
    re.I | re.X,
)
_CLAUSE = re.compile(r"(?:i|we|you|they|he|she|our|your|my|their|here|there)\b", re.I)
"""What a trimmed sentence kept only for a specific must start with: a subject, so it is still
a clause ("We shipped the sync on Monday.") and not a stub ("Back at 555-0100."); a
self-introduction (:data:`_INTRO`, "it's Andrea at Summit Payroll.") is whole too."""
_SPINTAX = re.compile(r"^\{([^{}|]*)\|[^{}]*\}")
_SUBJECT = re.compile(r"(?:subject|re|fwd?)[ \t]*:", re.I)
_LIST_MARKER = re.compile(r"(?:\d{1,3}[.)]|[-*\u2022])")
_AFTER_SENTENCE = re.compile(r"[.!?][ \t]+$")
_CLOSING_LINE = re.compile(rf"(?<=\n)[ \t]*(?:{CLOSING_WORDS})[,.!]?[ \t]*$", re.I | re.M)
_PARAGRAPH = re.compile(r"\n[ \t]*\r?\n\s*(?=\S)")
_PLAIN_WORD = re.compile(r"[a-z]+(?:['\u2019][a-z]+)?(?=[\s,;!?\u2013\u2014]|$)")
_DETERMINER = re.compile(r"(?:the|this|that|these|those|our|my|your|a|an)\b", re.I)
_WORD = re.compile(r"[\w'\u2019]+")
_LEADING = " \t\"'([\u201c\u2018*\u2022>-"


@dataclass(frozen=True)
class Rewrite:
    """A suggested rewrite of one message and how it was made.

    ``text`` is the whole message as the rep would send it (subject, greeting, body, sign-off
    and signature); ``original`` is the message as written, in the same shape, so the two
    can be diffed. ``span`` is the part of the template message's text (the message with its
    merge fields, :func:`~checkin_lint.templates.template_of`) that ``replacement`` rewrites:
    everything but the subject and the signature, which a rewrite never changes.
    """

    text: str
    strategy: Strategy
    dropped: tuple[str, ...] = ()
    original: str = ""
    span: tuple[int, int] = (0, 0)
    replacement: str = ""


@dataclass
class _Unit:
    """One sentence of the template text: where its words are and what happens to them."""

    start: int
    end: int
    index: int
    value: bool = False
    antis: list[tuple[int, int]] = field(default_factory=list)
    text: str = ""
    kept: bool = True
    clean: bool = True
    empty: bool = False
    trimmed_start: bool = False


class _FieldMap:
    """Offsets of the linted text (merge fields stripped) -> offsets of the template text."""

    def __init__(self, template: str, stripped: str) -> None:
        self.marks: list[tuple[int, int, int, int]] = []  # (stripped start, template start, template end, replacement length)
        if template == stripped:
            return
        shift = 0
        for start, end, replacement in field_edits(template)[0]:
            self.marks.append((start + shift, start, end, len(replacement)))
            shift += len(replacement) - (end - start)
        self.starts = [m[0] for m in self.marks]

    def __call__(self, offset: int) -> int:
        """The template offset of ``offset``; a field removed right there is put after it, so a
        sentence starting at a field holds the field."""
        if not self.marks:
            return offset
        i = bisect.bisect_left(self.starts, offset)
        if i < len(self.marks) and self.marks[i][0] == offset:
            return self.marks[i][1]
        if i == 0:
            return offset
        s, _, t_end, length = self.marks[i - 1]
        if offset < s + length:
            return t_end
        return t_end + offset - s - length


class _SourceMap:
    """Offsets of one variant of a template -> offsets of the whole template, through the
    source offsets both map to; a cut right at an offset is put after it, as with fields."""

    def __init__(self, whole: Message, part: Message) -> None:
        self.part = part
        self.part_starts = [p.start for p in part.pieces]
        self.whole = sorted(whole.pieces, key=lambda p: (p.source_start, p.start))
        self.whole_starts = [p.source_start for p in self.whole]

    def __call__(self, offset: int) -> int:
        i = max(0, bisect.bisect_right(self.part_starts, offset) - 1)
        piece = self.part.pieces[i]
        if offset == piece.start and i > 0:
            before = self.part.pieces[i - 1]
            source = before.source_start + before.end - before.start
        else:
            source = piece.source_start + min(max(offset - piece.start, 0), piece.end - piece.start)
        j = max(0, bisect.bisect_right(self.whole_starts, source) - 1)
        target = self.whole[j]
        return target.start + min(max(source - target.source_start, 0), target.end - target.start)


def suggest_rewrite(
    message: Message,
    sentences: Iterable[tuple[int, int]],
    findings: Iterable[Finding],
    families: dict[str, Family],
    *,
    has_value: bool,
) -> Rewrite:
    """Build a value-first rewrite of ``message`` (the linted message, merge fields stripped)
    from its sentence bounds and findings, in offsets of ``message.text``."""
    written = template_of(message)
    template = written.text
    signature = str(message.meta.get(SIGNATURE) or "")
    newline = "\r\n" if "\r\n" in template else "\n"
    lead = len(template) - len(template.lstrip())
    tail_end = len(template.rstrip())
    gap = template[tail_end:] if "\n" in template[tail_end:] else newline  # between the text and its signature
    original = _with_signature(template[lead:tail_end], signature, gap)
    findings = list(findings)
    if not any(f.kind == "anti-pattern" for f in findings) and has_value:
        return Rewrite(original, "unchanged", (), original, (lead, tail_end), template[lead:tail_end])
    variant = template_of(message, whole=False)
    fields_of = _FieldMap(variant.text, message.text)
    to_template: Callable[[int], int] = fields_of
    if variant is not written:
        whole_map = _SourceMap(written, variant)
        to_template = lambda offset: whole_map(fields_of(offset))  # noqa: E731
    units = _units(template, [to_template(s) for s, e in sentences if message.text[s:e].strip()][1:])
    if not units:
        return Rewrite(original, "unchanged", (), original, (lead, tail_end), template[lead:tail_end])
    starts = [u.start for u in units]

    def unit_at(offset: int) -> _Unit:
        return units[max(0, bisect.bisect_right(starts, offset) - 1)]

    subject = str(message.meta.get("subject") or "")
    n_subject = 0
    if subject and template[lead:].startswith(subject):
        n_subject = sum(1 for u in units if u.start < lead + len(subject))
    if n_subject < len(units) and _SUBJECT.match(template, units[n_subject].start):
        line_end = template.find("\n", units[n_subject].start)
        line_end = len(template) if line_end < 0 else line_end
        n_subject += sum(1 for u in units[n_subject:] if u.start < line_end)
    units = _split_greeting(template, units, n_subject)
    starts = [u.start for u in units]
    for f in findings:
        start, end = to_template(f.start), to_template(f.end)
        if f.kind == "signal":
            first_word = _WORD.search(f.text)  # a match may start at the previous sentence's full stop
            unit_at(to_template(f.start + first_word.start()) if first_word else start).value = True
        else:
            unit = unit_at(start)
            unit.antis.append((start, max(start, end)))
            unit.empty = unit.empty or (f.family in families and families[f.family].empty)
    for slot in message.slots:
        if slot.family:
            unit_at(to_template(slot.start)).value = True
    fields = field_spans(template)

    greeting = n_subject if n_subject < len(units) and _is_greeting(template, units[n_subject]) else None
    first_body = n_subject + (greeting is not None)
    signoff = _signoff(template, units, first_body)
    body = units[first_body:signoff]

    dropped: list[_Unit] = []
    for unit in body:
        unit.text = template[unit.start:unit.end]
        if not unit.antis:
            continue
        trimmed = _trim(template, unit)
        words = sum(1 for w in trimmed.split() if _WORD.search(w)) if trimmed else 0
        opening = trimmed.lstrip(_LEADING) if trimmed else ""
        clause = words >= MIN_KEPT_WORDS and bool(_CLAUSE.match(opening) or _INTRO.match(opening))  # a self-introduction is whole
        if unit.value and words >= MIN_KEPT_WORDS:
            pass  # value stays, its filler words go
        elif unit.value or _protected(template, unit, fields):
            if not clause:
                unit.clean = False  # kept as written rather than shrunk to a stub or broken
                continue
        elif not unit.empty and trimmed is None and not _opens_with(template, unit):
            unit.clean = False  # only weakening words, woven into the sentence: kept as written
            continue
        elif unit.empty or words < MIN_KEPT_WORDS:
            unit.kept = False
            dropped.append(unit)
            continue
        unit.trimmed_start = trimmed[:8] != unit.text[:8]  # type: ignore[index]
        unit.text = trimmed  # type: ignore[assignment]

    kept = [u for u in body if u.kept]
    intros = []
    for unit in kept:
        if not _INTRO.match(unit.text.lstrip(_LEADING)) or unit.value:
            break
        intros.append(unit)
    rest = kept[len(intros):]
    strategy: Strategy = "drop-filler"
    slots_open: list[str] = []
    slots_close: list[str] = []
    if has_value:
        value = next((i for i, u in enumerate(rest) if u.clean), 0)  # past filler kept for its specifics,
        value = value if value < len(rest) and rest[value].value and greeting is not None else 0  # never past an opening
        first = value
        while first and _POINTER.match(rest[first].text) and rest[first - 1].index == rest[first].index - 1:
            first -= 1  # "It includes ..." leads together with the sentence it points at
        if first:
            rest = rest[first:value + 1] + rest[:first] + rest[value + 1:]
            strategy = "lead-with-value"
    else:
        strategy = "value-first-skeleton"
        slots_open = [families[n].slot for n in SKELETON_OPENING if n in families and families[n].slot]
        slots_close = [families[n].slot for n in SKELETON_CLOSING if n in families and families[n].slot]
    order = _mend(template, intros + rest, body, dropped)
    n_intros = sum(1 for u in order[:len(intros)] if u in intros)
    opening = order[n_intros:n_intros + 1]
    if has_value and opening and opening[0].value and body and opening[0] is not body[len(intros)]:
        strategy = "lead-with-value"  # the value now opens the message: moved up, or the filler above it dropped

    items: list[tuple[str, int | None]] = []  # (text, unit index or None for a slot)
    if greeting is not None:
        items.append((template[units[greeting].start:units[greeting].end], greeting))
    items.extend((u.text, u.index) for u in order[:n_intros])
    items.extend((text, None) for text in slots_open)
    items.extend((u.text, u.index) for u in order[n_intros:])
    items.extend((text, None) for text in slots_close)
    if signoff < len(units):
        items.append((template[units[signoff].start:tail_end], signoff))
    kept_index = {u.index for u in order} | {greeting, signoff}
    pieces: list[str] = []
    for k, (text, index) in enumerate(items):
        pieces.append(text)
        if k + 1 < len(items):
            nxt = items[k + 1][1]
            neighbours = index is not None and nxt is not None and nxt > index and \
                not any(i in kept_index for i in range(index + 1, nxt)) and (index != greeting or nxt == index + 1)
            if neighbours:
                pieces.append(_gap(template, units, index, nxt, newline))  # type: ignore[arg-type]
            elif index == greeting and nxt is not None and text.endswith(("-", "\u2013", "\u2014")):
                pieces.append(" ")
            else:
                pieces.append(newline * 2)
                items[k + 1] = (_capitalise(items[k + 1][0]), nxt)  # it now opens a paragraph
    head = template[lead:units[n_subject].start] if n_subject < len(units) else template[lead:tail_end]
    replacement = "".join(pieces).rstrip() or template[lead + len(head):tail_end]
    full = _with_signature(head + replacement, signature, gap)
    if full == original:
        strategy = "unchanged"
    names = tuple(" ".join(template[u.start:u.end].split()) for u in sorted(dropped, key=lambda u: u.index))
    return Rewrite(full, strategy, names, original, (lead + len(head), tail_end), replacement)


def _with_signature(text: str, signature: str, gap: str) -> str:
    return f"{text}{gap}{signature}" if signature else text


def _units(template: str, starts: list[int]) -> list[_Unit]:
    """Sentences of the template text, each from its first to its last non-space character
    (``starts``: where each sentence but the first starts)."""
    paragraphs = [m.end() for m in _PARAGRAPH.finditer(template)]
    paragraphs += [m.start() for m in _CLOSING_LINE.finditer(template)]
    fields = [a for a, _ in field_spans(template) if _AFTER_SENTENCE.search(template, max(0, a - 8), a)]
    bounds = sorted(set([0] + [s for s in starts + paragraphs + fields if 0 < s < len(template)])) + [len(template)]
    units: list[_Unit] = []
    for a, b in zip(bounds, bounds[1:]):
        chunk = template[a:b]
        if not chunk.strip():
            continue
        start = a + len(chunk) - len(chunk.lstrip())
        end = a + len(chunk.rstrip())
        if units and _LIST_MARKER.fullmatch(template[units[-1].start:units[-1].end]):
            units[-1].end = end  # "1." belongs to the item it numbers
            continue
        units.append(_Unit(start, end, len(units)))
    return units


def _is_greeting(template: str, unit: _Unit) -> bool:
    text = template[unit.start:unit.end]
    return _greeting_length(text) == len(text)


def _greeting_length(text: str) -> int:
    """Characters of ``text`` that are its greeting ("Hi {{first_name}},", "{{first_name}} -",
    "Dana,"), or 0. Punctuation inside a merge field does not end a greeting."""
    head = text[:300]
    spans = field_spans(head)
    masked = "".join(head[i] if not any(a <= i < b for a, b in spans) else "x" for i in range(len(head)))
    word = _GREETING_WORD.match(masked)
    if word or (spans and spans[0][0] == 0):
        after = word.end() if word else spans[0][1]
        end = _GREETING_END.search(masked, after)
        if end is None:
            return len(text) if len(text) - after <= 60 and "\n" not in text else 0
        if end.start() - after > 60 or (not word and (len(masked[after:end.start()].split()) > 3 or end.group() in ".?")):
            return 0
        return end.end() if end.group() != "\n" else end.start()
    m = _NAME_GREETING.match(text)
    return m.end() if m else 0


def _split_greeting(template: str, units: list[_Unit], at: int) -> list[_Unit]:
    """Split "Hi Sam, just checking in." into the greeting and the rest of the sentence."""
    if at >= len(units):
        return units
    unit = units[at]
    text = template[unit.start:unit.end]
    length = _greeting_length(text)
    if not length or length >= len(text) or not text[length:].strip():
        return units
    rest = unit.start + length + len(text[length:]) - len(text[length:].lstrip())
    split = [_Unit(unit.start, unit.start + len(text[:length].rstrip()), 0), _Unit(rest, unit.end, 0)]
    out = units[:at] + split + units[at + 1:]
    for i, u in enumerate(out):
        u.index = i
    return out


def _signoff(template: str, units: list[_Unit], first_body: int) -> int:
    """Index of the sign-off sentence ("Best,", "Thanks!", "-- "), ``len(units)`` when none."""
    for i in range(len(units) - 1, first_body - 1, -1):
        first_line = template[units[i].start:units[i].end].split("\n", 1)[0].strip()
        first_line = _SPINTAX.sub(r"\1", first_line)  # {Best|Cheers}, reads as Best,
        if _SIGNOFF.match(first_line) and len(first_line) <= 40:
            return i
    paragraphs = [m.end() for m in _PARAGRAPH.finditer(template)]
    last = next((i for i, u in enumerate(units) if paragraphs and u.start >= paragraphs[-1]), len(units))
    if first_body < last < len(units):  # no closing line: a last block of short lines opening with a name
        lines = [line.strip() for line in template[units[last].start:units[-1].end].splitlines()]
        name = lines[0]
        starts_with_name = bool(field_spans(name)[:1] and field_spans(name)[0] == (0, len(name))) or bool(
            re.fullmatch(r"[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*){0,2}", name))
        if starts_with_name and all(_SIGNATURE_LINE.match(line) for line in lines if line):
            return last
    return len(units)


def _protected(template: str, unit: _Unit, fields: list[tuple[int, int]]) -> bool:
    """True when the sentence holds something specific a rewrite must not lose."""
    i = bisect.bisect_left(fields, (unit.start, -1))
    if i < len(fields) and fields[i][0] < unit.end:
        return True
    text = template[unit.start:unit.end]
    if _SPECIFIC.search(text):
        return True
    words = list(_WORD.finditer(text))
    for prev, word in zip(words, words[1:]):
        gap = text[prev.end():word.start()]
        if word.group()[0].isupper() and word.group() not in ("I", "I'm", "I\u2019m", "I'll", "I've", "I'd") \
                and not any(p in gap for p in ".!?:\n"):
            return True  # a name (or a product, a place) in the middle of the sentence
    return False


def _trim(template: str, unit: _Unit) -> str | None:
    """The sentence without its filler words, or ``None`` when they cannot go cleanly: words
    may go from the start only when a subject (or "The report: ...") is left to start it,
    from the end only back to a comma or dash, and from the middle only one at a time."""
    edits = trim_sentence(template, unit.start, unit.end, unit.antis)
    if edits is None:
        return None
    deletions = sorted((a, b) for a, b, replacement in edits if not replacement)
    prefix = unit.start
    for a, b in deletions:
        if template[prefix:a].strip(_LEADING):
            if not template[b:unit.end].strip(" \t.!?"):
                if template[a:b].lstrip()[:1] not in ",;:-\u2013\u2014":
                    return None  # "happy to share it on a brief call." must not end "happy to share it on."
            elif len(template[a:b].split()) > 1:
                return None
        else:
            prefix = b
    if prefix > unit.start:
        rest = template[prefix:unit.end].lstrip(_LEADING)
        if not (_CLAUSE.match(rest) or (_DETERMINER.match(rest) and ":" in rest)):
            return None  # "No rush on the call - ..." must not become "The call - ..."
    out: list[str] = []
    cursor = unit.start
    for a, b, replacement in sorted(edits, key=lambda e: (e[0], e[0] - e[1])):  # a deletion wins over a re-capitalisation
        a, b = max(a, unit.start), min(b, unit.end)
        if a < cursor:
            continue
        out.append(template[cursor:a])
        out.append(replacement)
        cursor = b
    out.append(template[cursor:unit.end])
    trimmed = "".join(out).strip()
    return _capitalise(trimmed) if prefix > unit.start else trimmed  # "Hey Phil, it's Andrea ..." keeps its case


def _opens_with(template: str, unit: _Unit) -> bool:
    """True when a filler phrase opens the sentence ("No worries if ...", "I know you're busy")."""
    return any(not template[unit.start:a].strip(_LEADING) for a, _ in unit.antis)


def _capitalise(text: str) -> str:
    """``text`` with its first word capitalised (never a merge field, a link or an address)."""
    i = len(text) - len(text.lstrip(_LEADING))
    if not _PLAIN_WORD.match(text, i) or any(a <= i < b for a, b in field_spans(text[:200])):
        return text
    return text[:i] + text[i].upper() + text[i + 1:]


def _topic(template: str, unit: _Unit) -> str:
    """What a dropped sentence was about ("the proposal"), or ``""``."""
    m = _TOPIC.search(template[unit.start:unit.end])
    if not m or _NOT_A_TOPIC.search(m.group(1)):
        return ""
    return m.group(1).strip()


def _mend(template: str, order: list[_Unit], body: list[_Unit], dropped: list[_Unit]) -> list[_Unit]:
    """Fix sentences left dangling by a dropped or moved neighbour (see the module docstring)."""
    out: list[_Unit] = []
    position = {u.index: k for k, u in enumerate(body)}
    for k, unit in enumerate(order):
        predecessor = body[position[unit.index] - 1] if position[unit.index] else None
        displaced = unit.trimmed_start or (predecessor is not None and (
            not predecessor.kept or (k == 0 and predecessor.kept) or (k > 0 and order[k - 1] is not predecessor)))
        if not displaced:
            out.append(unit)
            continue
        text = unit.text
        m = _CONNECTIVE.match(text)
        if m and m.end() < len(text):
            text = _capitalise(text[m.end():])
        pointer = _POINTER.match(text)
        if pointer and predecessor is not None and not predecessor.kept:
            topic = _topic(template, predecessor)
            if topic:
                replacement = topic[0].upper() + topic[1:]
                rest = text[pointer.end():]
                if rest[:2] in ("'s", "\u2019s"):
                    rest = " is" + rest[2:]
                elif rest[:3] in ("'re", "\u2019re"):
                    rest = " are" + rest[3:]
                text = replacement + rest
            elif not unit.value:
                unit.kept = False
                dropped.append(unit)
                continue
            else:
                predecessor.kept = True
                predecessor.text = template[predecessor.start:predecessor.end]
                dropped.remove(predecessor)
                out.append(predecessor)
        unit.text = text
        out.append(unit)
    return out


def _gap(template: str, units: list[_Unit], i: int, j: int, newline: str) -> str:
    """The separator to put between unit ``i`` and unit ``j`` (``i < j``) when the units in
    between are dropped: the text's own when they are neighbours, else the widest one."""
    if j == i + 1:
        return template[units[i].end:units[j].start]
    gaps = [template[units[k].end:units[k + 1].start] for k in range(i, j)]
    if any(g.count("\n") >= 2 for g in gaps):
        return newline * 2
    if any("\n" in g for g in gaps):
        return newline
    return " "
