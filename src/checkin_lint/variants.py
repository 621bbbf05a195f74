"""Template variants: the different messages one template sends.

A template with branches or spintax is not one message. Each recipient gets one branch of
every conditional and one alternative of every spin block, so an empty check-in in one
branch is sent to someone even when the other branch carries value. :func:`variants` turns
a message into the messages its recipients can receive; the linter lints each and reports
the worst.

Recognised choices:

* Liquid, Jinja, Nunjucks and Django tags: ``{% if %}`` / ``{% elsif %}`` / ``{% elif %}`` /
  ``{% else if %}`` / ``{% else %}`` / ``{% endif %}``, ``{% unless %}`` ... ``{% endunless %}``,
  ``{% case %}`` / ``{% when %}`` / ``{% else %}`` / ``{% endcase %}``;
* Handlebars: ``{{#if x}}`` / ``{{else if y}}`` / ``{{else}}`` / ``{{/if}}``, and
  ``{{#unless}}``;
* Mailchimp: ``*|IF:X|*`` / ``*|IFNOT:X|*`` / ``*|ELSEIF:Y|*`` / ``*|ELSE:|*`` / ``*|END:IF|*``;
* spintax: ``{{RANDOM | Hi | Hello}}`` (any case, as Instantly and similar tools write it;
  an alternative may hold merge fields) and classic ``{Hi|Hello}``, nested or not.

A conditional without an ``else`` has an empty branch too: the recipients for whom the
condition is false get the message without it. Tags that do not pair up are left alone
(the merge-field stripper removes them as markup).

How many variants: every combination while there are at most :data:`MAX_VARIANTS`; beyond
that (a spintax template with a spin block in each sentence), variant ``i`` takes the
``i``-th alternative of every choice (wrapping around), so each alternative is linted at
least once and the count stays at most :data:`MAX_VARIANTS`. Time stays linear in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import product

from checkin_lint.document import Message

MAX_VARIANTS = 32
"""Most variants linted per message (each costs one lint of the message)."""
MAX_DEPTH = 16
"""Choices nested deeper than this are not expanded (no real template nests that far)."""
MAX_SPIN = 2000
"""Longest spin block looked at (characters); a longer or unclosed one is left alone."""

_TAG = re.compile(
    r"""
      \{%-?\s*(?P<liquid>if|unless|case|elsif|elif|else\s+if|else|when|endif|endunless|endcase)\b[^%\n]{0,200}?-?%\}
    | \{\{~?\s*(?:\#(?P<hbs_open>if|unless)\b[^{}\n]{0,200}|(?P<hbs_else>else)(?:\s+if\b[^{}\n]{0,200})?|/(?P<hbs_close>if|unless)\s*)~?\}\}
    | \*\|(?P<mc>IF|IFNOT|ELSEIF|ELSE|END:IF)(?::[^|\n]{0,80})?\|\*
    """,
    re.VERBOSE | re.IGNORECASE,
)
_RANDOM = re.compile(r"\s*random\s*$", re.I)
_BRACE = re.compile(r"[{}|]")
_MC_WORDS = {"if": "if", "ifnot": "if", "elseif": "elsif", "else": "else", "end:if": "endif"}
_OPEN = {"if": "if", "unless": "unless", "case": "case"}
_MIDDLE = {"elsif", "elif", "else if", "else", "when"}
_CLOSE = {"endif": "if", "endunless": "unless", "endcase": "case"}


@dataclass
class Choice:
    """One place where recipients get different text: the span it covers, its branches as
    ``(start, end)`` of their content, and its markup (tags, braces, bars: always removed)."""

    start: int
    end: int
    branches: list[tuple[int, int]] = field(default_factory=list)
    markup: list[tuple[int, int]] = field(default_factory=list)
    implicit_empty: bool = False
    """A conditional without ``else``: one more branch with nothing in it."""
    children: list[list[Choice]] = field(default_factory=list)
    """Choices nested in each branch."""


def _spin_choices(text: str) -> list[Choice]:
    """Spin blocks, found by matching braces with one stack (linear time): ``{a|b}`` with a
    ``|`` at its own level, and ``{{RANDOM | a | b}}``. Other double-brace fields
    (``{{ name | default: "x" }}``) and ``{% %}``/``{# #}`` tags are not spintax."""
    stack: list[tuple[int, list[int]]] = []
    found: list[Choice] = []
    for m in _BRACE.finditer(text):
        i, ch = m.start(), m.group()
        if ch == "{":
            stack.append((i, []))
        elif ch == "|" and stack:
            stack[-1][1].append(i)
        elif ch == "}" and stack:
            start, bars = stack.pop()
            end = i + 1
            if not bars or end - start > MAX_SPIN or text[start + 1:start + 2] in ("%", "#"):
                continue
            double = start > 0 and text[start - 1] == "{" and text[end:end + 1] == "}"
            if double and _RANDOM.match(text, start + 1, bars[0]):
                choice = Choice(start - 1, end + 1, markup=[(start - 1, bars[0] + 1), (i, end + 1)])
                bars = bars[1:]
                opener = choice.markup[0][1]
            elif not double:
                choice = Choice(start, end, markup=[(start, start + 1), (i, end)])
                opener = start + 1
            else:
                continue
            bounds = [opener, *bars, i]
            choice.markup += [(b, b + 1) for b in bars]
            choice.branches = [(a + (a in bars), b) for a, b in zip(bounds, bounds[1:])]
            found.append(choice)
    return found


def _tag_word(m: re.Match[str]) -> str:
    if m.group("mc"):
        return _MC_WORDS[m.group("mc").lower()]
    if m.group("hbs_close"):
        return "end" + m.group("hbs_close").lower()
    word = m.group("liquid") or m.group("hbs_open") or m.group("hbs_else") or ""
    return " ".join(word.lower().split())


def _tag_choices(text: str) -> list[Choice]:
    """Conditionals (Liquid/Jinja, Handlebars, Mailchimp), paired with one stack."""
    found: list[Choice] = []
    stack: list[tuple[str, Choice, int, bool, bool]] = []  # kind, choice, branch start, in a branch, has else
    for m in _TAG.finditer(text):
        word = _tag_word(m)
        if word in _OPEN:
            stack.append((_OPEN[word], Choice(m.start(), m.end(), markup=[(m.start(), m.end())]), m.end(), word != "case", False))
        elif word in _MIDDLE and stack:
            kind, choice, at, started, has_else = stack.pop()
            if started:
                choice.branches.append((at, m.start()))
            else:  # text between {% case %} and the first {% when %} is never sent
                choice.markup.append((at, m.start()))
            choice.markup.append((m.start(), m.end()))
            stack.append((kind, choice, m.end(), True, has_else or word == "else"))
        elif word in _CLOSE and stack and stack[-1][0] == _CLOSE[word]:
            kind, choice, at, started, has_else = stack.pop()
            if started:
                choice.branches.append((at, m.start()))
            choice.markup.append((m.start(), m.end()))
            choice.end = m.end()
            choice.implicit_empty = not has_else
            found.append(choice)
    return found


def parse(text: str) -> list[Choice]:
    """The top-level choices of ``text``, each with the choices nested in its branches."""
    choices = sorted(_spin_choices(text) + _tag_choices(text), key=lambda c: (c.start, -c.end))
    top: list[Choice] = []
    stack: list[Choice] = []
    for choice in choices:
        choice.children = [[] for _ in choice.branches]
        while stack and stack[-1].end <= choice.start:
            stack.pop()
        if len(stack) >= MAX_DEPTH:
            continue  # nested deeper than any real template: left to the merge-field stripper
        if stack:
            parent = stack[-1]
            if choice.end > parent.end:
                continue  # crosses its parent: not a well-formed choice
            branch = next((k for k, (a, b) in enumerate(parent.branches) if a <= choice.start and choice.end <= b), None)
            if branch is None:
                continue  # inside markup that is removed anyway
            parent.children[branch].append(choice)
        else:
            top.append(choice)
        stack.append(choice)
    return top


Cuts = list[tuple[int, int]]


def _choice_cuts(choice: Choice) -> list[Cuts]:
    """For each way through ``choice``, the spans to delete."""
    out: list[Cuts] = []
    n = len(choice.branches)
    for k in range(min(n, MAX_VARIANTS)):
        others = [b for i, b in enumerate(choice.branches) if i != k]
        for inner in _sequence_cuts(choice.children[k]):
            out.append(choice.markup + others + inner)
    if choice.implicit_empty or n == 0:
        out.append(choice.markup + list(choice.branches))
    return out


def _sequence_cuts(choices: list[Choice]) -> list[Cuts]:
    if not choices:
        return [[]]
    options = [_choice_cuts(c) for c in choices]
    total = 1
    for o in options:
        total *= len(o)
        if total > MAX_VARIANTS:
            break
    if total <= MAX_VARIANTS:
        return [[span for part in combo for span in part] for combo in product(*options)]
    width = min(MAX_VARIANTS, max(len(o) for o in options))
    return [[span for o in options for span in o[i % len(o)]] for i in range(width)]


def variants(message: Message) -> list[Message]:
    """The messages a template can send: ``[message]`` itself when it has no branches or
    spintax, else one message per variant (at most :data:`MAX_VARIANTS`), each with
    ``meta["variant"] = (index, count)`` (1-based)."""
    text = message.text
    if "{" not in text and "*|" not in text:
        return [message]
    choices = parse(text)
    if not choices:
        return [message]
    cuts = _sequence_cuts(choices)
    if len(cuts) == 1:
        return [message.edited([(a, b, "") for a, b in cuts[0]])]
    out = []
    for i, spans in enumerate(cuts, 1):
        variant = message.edited([(a, b, "") for a, b in sorted(spans)])
        variant.meta["variant"] = (i, len(cuts))
        out.append(variant)
    return out
