"""Playbooks in YAML or JSON: every step is a message located in the playbook file.

YAML is read only with PyYAML's safe loader (:func:`~checkin_lint.rules.yamlsource.load_located`
for the data and the position of every key, :func:`yaml.compose` for where each string
value starts and how it is written). JSON is read with :mod:`json` and located with
``json-source-map``. The schema and the cross-step checks are in :mod:`checkin_lint.playbook`.
Directives are ``#`` comment lines in YAML; JSON has no comments. A directive line inside a
block scalar (``body: |``) is a comment too, not the step's text, and a
``disable-next-line`` right above a ``body: |`` key covers the whole block.
"""

from __future__ import annotations

import json
import re
from typing import Any, Callable

import json_source_map
import yaml

from checkin_lint.document import Message, Source
from checkin_lint.errors import InputError, Problem
from checkin_lint.inputs import Document, ReadOptions
from checkin_lint.inputs.script import sender_lines
from checkin_lint.inputs.textmap import TextBuilder, align, cut_source_spans
from checkin_lint.playbook import PLAYBOOK_KEYS, SPOKEN, Step, is_playbook, validate
from checkin_lint.quotes import inherited_subject, new_words
from checkin_lint.rules.yamlsource import YamlSyntaxError, load_located
from checkin_lint.directives import Directive, find_directives

try:
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

PathT = tuple[Any, ...]
Where = Callable[[PathT], int]
"""Source offset of a path into the document (a key, else its value)."""


def _json(source: Source) -> tuple[Any, Where, Where]:
    try:
        data = json.loads(source.text)
        entries = json_source_map.calculate(source.text)
    except json.JSONDecodeError as exc:
        raise InputError([Problem(source.path, f"invalid JSON: {exc.msg}", exc.lineno, exc.colno)]) from None
    except RecursionError:
        raise InputError([Problem(source.path, "invalid JSON: nested too deeply", 1, 1)]) from None

    def pointer(path: PathT) -> str:
        return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)

    def key(path: PathT) -> int:
        while path and pointer(path) not in entries:
            path = path[:-1]
        entry = entries.get(pointer(path))
        if entry is None:
            return 0
        return (entry.key_start or entry.value_start).position

    def value(path: PathT) -> int:
        entry = entries.get(pointer(path))
        return entry.value_start.position + 1 if entry else key(path)  # after the opening quote

    return data, key, value


def _yaml(source: Source) -> tuple[Any, Where, Where, Where, Callable[[PathT], bool]]:
    try:
        located = load_located(source.text)
        root = yaml.compose(source.text, Loader=_SafeLoader)
    except YamlSyntaxError as exc:
        raise InputError([Problem(source.path, f"invalid YAML: {exc}", exc.line, exc.column)]) from None

    def offset(line: int, column: int) -> int:
        return source.line_start(line) + column - 1

    def key(path: PathT) -> int:
        return offset(*located.where(path))

    def node_at(path: PathT) -> yaml.Node | None:
        node = root
        for part in path:
            if isinstance(node, yaml.MappingNode):
                node = next((v for k, v in node.value if k.value == part), None)
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
                node = node.value[part]
            else:
                return None
        return node

    def value(path: PathT) -> int:
        node = node_at(path)
        if node is None:
            return key(path)
        start = offset(node.start_mark.line + 1, node.start_mark.column + 1)
        style = getattr(node, "style", None)
        if style in ("|", ">"):  # the block starts on the next line, after its indentation
            first = source.line_start(node.start_mark.line + 2)
            return first + len(source.text[first:]) - len(source.text[first:].lstrip(" \t"))
        if style in ('"', "'"):
            return start + 1
        return start

    def value_end(path: PathT) -> int:
        node = node_at(path)
        return offset(node.end_mark.line + 1, node.end_mark.column + 1) if node is not None else key(path)

    def is_block(path: PathT) -> bool:
        node = node_at(path)
        return getattr(node, "style", None) in ("|", ">")

    return data_or_fail(source, located.data), key, value, value_end, is_block


def data_or_fail(source: Source, data: Any) -> Any:
    """``data``, or an error when the YAML document is empty."""
    if data is None:
        raise InputError([Problem(source.path, "empty playbook: nothing to lint")])
    return data


def _text(source: Source, value: str, start: int) -> Message:
    builder = TextBuilder(source)
    builder.add_mapped(value, align(value, source.text, start))
    return builder.message()


def _message(source: Source, step: Step, key: Where, value: Where, options: ReadOptions) -> Message:
    at: PathT = ("steps", step.number - 1)
    builder = TextBuilder(source)
    if step.subject.strip() and inherited_subject(step.subject):
        start = value(at + ("subject",))
        builder.drop("subject", start, start + len(step.subject))
    elif step.subject.strip():
        builder.add_mapped(step.subject, align(step.subject, source.text, value(at + ("subject",))))
        builder.add_gap("\n\n")
    text = _text(source, step.text, value(at + (step.text_key,)))
    text = sender_lines(text, options.speakers) if step.channel in SPOKEN else new_words(text)
    builder.extend(text)
    anchors = {
        "step": key(at),
        "timing": key(at + (step.timing_key,)) if step.timing_key else key(at),
        "channel": key(at + ("channel",)),
        "text": value(at + (step.text_key,)),
    }
    label = f"step {step.number}" + (f": {step.name}" if step.name else "")
    meta = {"step": step.number, "day": step.day, "channel": step.channel, "purpose": step.purpose,
            "subject": step.subject, "anchors": anchors}
    return builder.message(label=label, channel=step.channel, meta=meta)


NOT_A_PLAYBOOK = f"not a playbook (no top-level {' or '.join(map(repr, PLAYBOOK_KEYS))} key): skipped"
_PLAYBOOK_KEY = re.compile(r"^(?:%s)[ \t]*:|[\"'](?:%s)[\"'][ \t]*:" % (("|".join(PLAYBOOK_KEYS),) * 2), re.M)
"""A top-level YAML key, or a quoted key anywhere, named like a playbook key: without one the
file is not parsed at all (a workflow, a compose file, JSON with comments)."""


MAX_EXPANSION = 10
"""The steps of a playbook may hold at most this many times the file's characters (plus
100,000, and never more than ``max-file-size``): YAML aliases can repeat one long text
thousands of times, and every repeat would be linted and reported."""


def read(source: Source, options: ReadOptions) -> Document:
    """Read a YAML or JSON playbook into one message per step.

    YAML and JSON files that are not playbooks (configuration, workflows, translations) are
    skipped with a notice: a playbook is a mapping with ``sequence`` or ``steps`` at the top."""
    if not _PLAYBOOK_KEY.search(source.text):
        return Document(source, "playbook", notices=[NOT_A_PLAYBOOK])
    is_json = source.path.lower().endswith(".json") or source.text.lstrip()[:1] in ("{", "[")
    if is_json:
        data, key, value = _json(source)
    else:
        data, key, value, value_end, is_block = _yaml(source)
    if not is_playbook(data):
        return Document(source, "playbook", notices=[NOT_A_PLAYBOOK])
    steps, problems = validate(data)
    if problems:
        raise InputError([Problem(source.path, message, *source.line_col(key(path))) for path, message in problems])
    expanded = sum(len(step.text) for step in steps)
    limit = min(options.max_bytes, MAX_EXPANSION * len(source.text) + 100_000)
    if expanded > limit:  # YAML aliases repeat one long text: the work stays bounded by the file's size
        raise InputError([Problem(source.path, f"the steps hold {expanded:,} characters of text, over the {limit:,} "
                                               f"allowed for this file (YAML aliases repeat text)", 1)])
    messages = [_message(source, step, key, value, options) for step in steps]
    if is_json:
        return Document(source, "playbook", messages)
    texts = [("steps", s.number - 1, s.text_key) for s in steps]
    directives: list[Directive] = []
    for d in find_directives(Message.whole(source), "hash"):
        inside = next((i for i, p in enumerate(texts) if d.start < value_end(p) and value(p) < d.end), None)
        if inside is None:
            directives.append(d)
        elif is_block(texts[inside]):  # a directive line in a block scalar: a comment, not text
            directives.append(d)
            messages[inside] = cut_source_spans(messages[inside], [(max(d.start, value(texts[inside])), d.end)])
        # else: '#' in a quoted or plain string is the step's text
    for d in directives:
        if d.action == "disable-next-line":
            _cover_block(source, d, directives, texts, key, value, value_end, is_block)
    return Document(source, "playbook", messages, directives)


def _cover_block(source: Source, d: Directive, directives: list[Directive], texts: list[PathT],
                 key: Where, value: Where, value_end: Where, is_block: Callable[[PathT], bool]) -> None:
    """A ``disable-next-line`` right above a ``body: |`` key applies to the whole block."""
    lines = source.text.splitlines()
    taken = {x.line for x in directives}
    target = d.line + 1
    while target <= len(lines) and (target in taken or not lines[target - 1].strip()):
        target += 1
    for path in texts:
        if is_block(path) and source.line_col(key(path))[0] == target:
            d.target = (target, source.line_col(max(value(path), value_end(path) - 1))[0])
