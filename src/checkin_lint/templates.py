"""Template merge fields: never the sender's words, never in the way of matching.

Recognised markup: ``{{ field }}`` and ``{{{ field }}}`` (Handlebars, Liquid, Jinja),
``{% tag %}`` and ``{# comment #}`` blocks (the text between ``{% if %}`` and
``{% endif %}`` is kept: it is the sender's words), ``{field}``, ``[Field Name]``,
``%FIELD%``, ``<<Field>>``, Mailchimp's ``*|FIELD|*``, spintax ``{Hi|Hello}`` (the first alternative
is kept, the others are dropped), and the placeholders a value-first rewrite proposes,
``[INSIGHT: what to write]`` (an upper-case name, a colon and a hint). The linter expands
branches and spintax into variants first (:mod:`checkin_lint.variants`), so this only meets
spintax in text stripped on its own.

Fields are removed from the linted text (a field between words becomes one space), with
the offset map kept so findings still point into the file. A field whose name says what it
will hold (``{{case_study_link}}``, ``[SPECIFIC_INSIGHT]``, ``[Mutual connection]``) is a
:class:`~checkin_lint.document.Slot` of that signal family, scored at ``slot-weight``
(``rules/scoring.yml``); a name-only field (``{{first_name}}``) is a slot with no family and
scores nothing. The stripped message keeps the message it was made from under
``meta["template"]`` (:func:`template_of`), so a rewrite can put every field back as written.
"""

from __future__ import annotations

import re

from checkin_lint.document import Message, Slot
from checkin_lint.rules.model import Family

_FIELD = re.compile(
    r"""
      (?P<tag>\{%(?:[^%{]|%(?!\})|\{(?!%))*%\})                # {% if x %}, {%- endif -%}
    | (?P<comment>\{\#(?:[^\#{]|\#(?!\})|\{(?!\#))*\#\})        # {# note #}
    | \{\{\{?-?\s*(?P<var>[^{}]{1,80}?)\s*-?\}?\}\}          # {{ name }}, {{{ name }}}
    | \[(?P<hint>[A-Z][A-Z_ ]{1,30}):[ \t][^\[\]\n]{1,200}\]        # [INSIGHT: hint], a rewrite's slot
    | \*\|(?P<mc>[A-Za-z0-9_:]{1,40})\|\*                     # *|FNAME|*
    | %(?P<pct>[A-Z][A-Z0-9_]{1,40})%                         # %FIRSTNAME%
    | <<(?P<angle>[A-Za-z_][\w .-]{0,40})>>                  # <<FirstName>>
    | \{(?P<spin>[^{}|\n]{0,80}(?:\|[^{}|\n]{0,80})+)\}       # {Hi|Hello|Hey}
    | \{(?P<brace>[A-Za-z0-9_][\w .,'/&-]{0,120})\}          # {first}, {company name}, {1-2 tips from the call}
    | \[(?P<bracket>[A-Za-z][\w .,'/&\n-]{0,120})\](?![(\[])(?!:\s*(?:https?://|www\.|/|<))     # [Company Name], [Specific question, not yes/no]; not [text](url) or [ref]: url
    """,
    re.VERBOSE | re.DOTALL,
)
TEMPLATE = "template"
"""Key of :attr:`Message.meta <checkin_lint.document.Message.meta>` holding the message before
its merge fields were stripped."""
VARIANT_OF = "variant_of"
"""Key of :attr:`Message.meta <checkin_lint.document.Message.meta>` holding, on one variant of
a template (:mod:`checkin_lint.variants`), the whole template it was cut from."""
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_FILTER = re.compile(r"\s*\|.*$")  # Liquid/Jinja filters: {{ name | default: "there" }}


def _field_name(raw: str) -> str:
    raw = _FILTER.sub("", raw).strip()
    return re.sub(r"[^a-z0-9]+", "_", _CAMEL.sub("_", raw).lower()).strip("_")


_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
LEAD_WORDS = 3
"""How many words just before a field are read for a family's ``not-after`` veto."""


def lead_words(text: str, offset: int) -> tuple[str, ...]:
    """The last :data:`LEAD_WORDS` words before ``offset`` in ``text`` (lower case), stopping
    at a sentence end or line break: the words a ``not-after`` veto reads."""
    window = text[max(0, offset - 80):offset]
    cut = max(window.rfind(mark) for mark in ".!?\n")
    return tuple(_WORD.findall(window[cut + 1:].lower())[-LEAD_WORDS:])


def slot_family(name: str, families: dict[str, Family], lead: tuple[str, ...] = ()) -> str:
    """The signal family a field name promises (``case_study_link`` -> ``link``), or ``""``.

    ``lead`` are the words just before the field (:func:`lead_words`): a family whose
    ``not_after`` holds one of them is vetoed (``sent over on [date]`` is no next step)."""
    words = set(name.split("_"))
    for family in families.values():
        if words & set(family.not_fields) or set(lead) & set(family.not_after):
            continue
        for keyword in family.fields:
            if keyword in words or ("_" in keyword and keyword in name):
                return family.name
    return ""


def template_of(message: Message, *, whole: bool = True) -> Message:
    """The message as written: before :func:`strip_merge_fields` (itself when it had no
    fields) and, for one variant of a template, the whole template with every branch and
    alternative (``whole=False``: that variant only)."""
    for key in (VARIANT_OF, TEMPLATE) if whole else (TEMPLATE,):
        template = message.meta.get(key)
        if isinstance(template, Message):
            return template
    return message


def field_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every merge field, tag and spintax group in ``text``, in order."""
    return [m.span() for m in _FIELD.finditer(text)]


def field_edits(text: str) -> tuple[list[tuple[int, int, str]], list[tuple[int, str]]]:
    """The edits that strip the merge-field markup from ``text`` (``(start, end, replacement)``,
    ascending) and the ``(offset, name)`` of every named field, both in offsets of ``text``."""
    edits: list[tuple[int, int, str]] = []
    slots: list[tuple[int, str]] = []
    for m in _FIELD.finditer(text):
        if m.group("spin") is not None:
            first = m.group("spin").split("|", 1)[0]
            edits.append((m.start(), m.start() + 1, ""))
            edits.append((m.start() + 1 + len(first), m.end(), ""))
            continue
        raw = next((m.group(g) for g in ("var", "hint", "mc", "pct", "angle", "brace", "bracket") if m.group(g) is not None), None)
        before = text[m.start() - 1] if m.start() else " "
        after = text[m.end()] if m.end() < len(text) else " "
        glue = " " if (before.isalnum() and after.isalnum()) else ""
        edits.append((m.start(), m.end(), glue))
        if raw is not None:
            slots.append((m.start(), _field_name(raw)))
    return edits, slots


def strip_merge_fields(message: Message, families: dict[str, Family]) -> Message:
    """Return the message without merge-field markup, with a slot recorded for each field."""
    edits, slots = field_edits(message.text)
    if not edits:
        return message
    stripped = message.edited(edits)
    stripped.meta[TEMPLATE] = message
    for (offset, name), new_offset in zip(slots, _new_offsets(edits, [offset for offset, _ in slots])):
        family = slot_family(name, families, lead_words(message.text, offset))
        stripped.slots.append(Slot(new_offset, new_offset, name, family))
    return stripped


def _new_offsets(edits: list[tuple[int, int, str]], offsets: list[int]) -> list[int]:
    """Where each of the ascending ``offsets`` of the original text lands after ``edits``
    (ascending, non-overlapping). One pass over both, so a template made of nothing but
    merge fields costs linear time, not quadratic."""
    moved: list[int] = []
    shift = 0
    i = 0
    for offset in offsets:
        while i < len(edits) and edits[i][1] <= offset:
            start, end, replacement = edits[i]
            shift += len(replacement) - (end - start)
            i += 1
        moved.append(offset + shift)
    return moved
