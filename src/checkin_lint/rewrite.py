"""Suggested rewrites that lead with value.

When the message already carries value further down, the rewrite leads with it and drops
the filler sentences (check-in, nudge, apology) and minimising words. When it carries none,
it keeps what is specific and proposes a value-first skeleton with clearly marked slots for
the missing signals. A rewrite is a suggestion: nothing here writes files.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Iterable, Literal

from checkin_lint.findings import Finding
from checkin_lint.quotes import CLOSING_WORDS
from checkin_lint.rules.model import Family

Strategy = Literal["unchanged", "lead-with-value", "value-first-skeleton"]

SKELETON_FAMILIES = ("insight", "link", "question", "commitment")
"""The slots a value-first skeleton proposes, in order, when the message carries no value."""

_GREETING = re.compile(r"^\s*(hi|hello|hey|dear|good (morning|afternoon|evening)|greetings|hiya|morning)\b", re.I)
_SIGNOFF = re.compile(rf"^\s*(?:(?:{CLOSING_WORDS})\b|--|—|sent from\b)", re.I)
_CONNECTOR = re.compile(r"^[\s,;:.!?\-\u2013\u2014]*(?:(?:with|on|about|to|because|as|and|that|re|regarding)\b)?[\s,;:\-\u2013\u2014]*", re.I)


@dataclass(frozen=True)
class Rewrite:
    """A suggested rewrite of one message and how it was made."""

    text: str
    strategy: Strategy
    dropped: tuple[str, ...] = ()


def _sentence_of(offset: int, bounds: list[tuple[int, int]], starts: list[int]) -> int:
    """The sentence holding ``offset`` (``starts`` are the bounds' starts), else the last one.
    A binary search: a long message with many findings must not cost findings x sentences."""
    i = bisect.bisect_right(starts, offset) - 1
    return i if i >= 0 and offset < bounds[i][1] else len(bounds) - 1


def _clean(sentence: str, spans: list[tuple[int, int]]) -> str:
    """Remove the given spans (relative to the sentence) and tidy what is left."""
    out = sentence
    for start, end in sorted(spans, reverse=True):
        before, after = out[:start], out[end:]
        if not before.strip():
            after = _CONNECTOR.sub("", after, count=1)
        out = before.rstrip() + (" " if before.strip() and after[:1].isalnum() else "") + after.lstrip()
    out = re.sub(r"\s{2,}", " ", out).strip(" ,;:-\u2013\u2014")
    if out and out[0].islower():
        out = out[0].upper() + out[1:]
    return out


def suggest_rewrite(
    text: str,
    sentences: Iterable[tuple[int, int]],
    findings: Iterable[Finding],
    families: dict[str, Family],
    *,
    has_value: bool,
) -> Rewrite:
    """Build a value-first rewrite of ``text`` from its sentence bounds and findings."""
    bounds = [(s, e) for s, e in sentences if text[s:e].strip()]
    starts = [s for s, _ in bounds]
    findings = list(findings)
    antis = [f for f in findings if f.kind == "anti-pattern"]
    if not antis and has_value:
        return Rewrite(text.strip(), "unchanged")
    signal_sentences = {_sentence_of(f.start, bounds, starts) for f in findings if f.kind == "signal"}
    removals: dict[int, list[tuple[int, int]]] = {}
    filler: set[int] = set()
    for f in antis:
        i = _sentence_of(f.start, bounds, starts)
        if i in signal_sentences:
            removals.setdefault(i, []).append((f.start - bounds[i][0], f.end - bounds[i][0]))
        else:
            filler.add(i)
    greeting = [i for i in range(min(1, len(bounds))) if _GREETING.match(text[bounds[i][0]:bounds[i][1]])]
    signoff: list[int] = []
    for i in range(len(bounds) - 1, -1, -1):
        chunk = text[bounds[i][0]:bounds[i][1]]
        if _SIGNOFF.match(chunk):
            signoff = list(range(i, len(bounds)))
            break
    framing = set(greeting) | set(signoff)
    body = [i for i in range(len(bounds)) if i not in framing]
    dropped = tuple(" ".join(text[bounds[i][0]:bounds[i][1]].split()) for i in body if i in filler)

    def render(i: int) -> str:
        chunk = text[bounds[i][0]:bounds[i][1]]
        return _clean(chunk, removals[i]) if i in removals else chunk.strip()

    head = [render(i) for i in greeting]
    tail = [render(i) for i in signoff]
    if has_value:
        lead = [render(i) for i in body if i in signal_sentences]
        rest = [render(i) for i in body if i not in signal_sentences and i not in filler]
        parts = head + [p for p in lead + rest if p] + tail
        return Rewrite("\n\n".join(_join(parts, head, tail)), "lead-with-value", dropped)
    slots = [families[name].slot for name in SKELETON_FAMILIES if name in families]
    kept = [render(i) for i in body if i not in filler]
    parts = head + slots + [p for p in kept if p] + tail
    return Rewrite("\n\n".join(_join(parts, head, tail)), "value-first-skeleton", dropped)


def _join(parts: list[str], head: list[str], tail: list[str]) -> list[str]:
    """Keep the greeting on its own line and the sign-off lines together."""
    body = parts[len(head):len(parts) - len(tail) or None]
    out = [" ".join(head)] if head else []
    out.extend(body)
    if tail:
        out.append("\n".join(tail))
    return out
