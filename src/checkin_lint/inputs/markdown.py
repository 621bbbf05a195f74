"""Markdown: lint the prose, located in the Markdown file.

Parsed with `markdown-it-py <https://markdown-it-py.readthedocs.io>`_ (CommonMark, plus
tables and the front-matter plugin from ``mdit-py-plugins``). The linted text is the
source text of paragraphs, list items and table cells, so positions are exact. Fenced
blocks whose language is in ``markdown-fences`` (default: none, ``text``, ``email``,
``markdown``, ``md``) are templates, each linted as a message of its own. Never
linted: front matter, other fenced and indented code (counted in a note), inline code, link and image targets,
images, link reference definitions, block quotes (quoted text is not the sender's) and
HTML comments; raw HTML blocks contribute their visible text.

Headings are names, not sent text: they label messages and are not linted. A file with
two or more ``##`` headings holds one message per ``##`` section (a template library);
otherwise the whole file is one message, labelled by its first heading.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from checkin_lint.document import Message, Source
from checkin_lint.inputs import Document, ReadOptions
from checkin_lint.inputs.html import visible_text
from checkin_lint.inputs.textmap import TextBuilder, align, slice_message
from checkin_lint.quotes import new_words
from checkin_lint.directives import Directive, find_directives

SECTION_LEVEL = "h2"
"""Heading tag that splits a file into one message per section."""
MARKDOWN_FENCES = frozenset({"markdown", "md"})
"""Fenced templates written in Markdown: their prose is linted, not their markup."""


def parser() -> MarkdownIt:
    """The Markdown parser used for templates and call scripts."""
    return MarkdownIt("commonmark").use(front_matter_plugin).enable("table")


@dataclass
class Section:
    """Prose of one message: a label and the blocks that make up its text."""

    label: str
    heading_line: int
    builder: TextBuilder
    blocks: int = 0


@dataclass
class Parsed:
    """The prose sections of a Markdown file (and the templates in its fenced blocks, each a
    section of its own), its directive comments and the info strings of the code blocks it
    skipped (``"indented"`` for an indented block)."""

    sections: list[Section] = field(default_factory=list)
    directives: list[Directive] = field(default_factory=list)
    skipped_code: list[str] = field(default_factory=list)


class _Cursor:
    """Finds inline markup in the source lines of one block, left to right."""

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text = text
        self.pos = start
        self.end = end

    def find(self, needle: str) -> int:
        return self.text.find(needle, self.pos, self.end)

    def code_span(self, markup: str) -> tuple[int, int] | None:
        at = self.pos
        while True:
            at = self.text.find(markup, at, self.end)
            if at < 0:
                return None
            if (at == 0 or self.text[at - 1] != "`") and self.text[at + len(markup):at + len(markup) + 1] != "`":
                break
            at += len(markup)
        close = at + len(markup)
        while True:
            close = self.text.find(markup, close, self.end)
            if close < 0:
                return None
            if self.text[close + len(markup):close + len(markup) + 1] != "`" and self.text[close - 1] != "`":
                return at, close + len(markup)
            close += len(markup)

    def destination(self, at: int) -> int:
        """End of the ``(target "title")`` or ``[label]`` that starts at ``at``."""
        if at >= self.end:
            return at
        opener = self.text[at]
        closer = {"(": ")", "[": "]"}.get(opener)
        if closer is None:
            return at
        depth = 0
        i = at
        while i < self.end:
            ch = self.text[i]
            if ch == "\\":
                i += 2
                continue
            if ch == opener:
                depth += 1
            elif ch == closer:
                depth -= 1
                if depth == 0:
                    return i + 1
            i += 1
        return at


def _inline_cuts(source: str, token: Token, start: int, end: int) -> list[tuple[int, int]]:
    """Source ranges of inline markup that is not prose: code, link targets, images, HTML."""
    cursor = _Cursor(source, start, end)
    cuts: list[tuple[int, int]] = []
    for child in token.children or []:
        if child.type == "text":
            at = cursor.find(child.content)
            if at >= 0:
                cursor.pos = at + len(child.content)
        elif child.type == "code_inline":
            span = cursor.code_span(child.markup)
            if span:
                cuts.append(span)
                cursor.pos = span[1]
        elif child.type == "html_inline":
            at = cursor.find(child.content)
            if at >= 0:
                cuts.append((at, at + len(child.content)))
                cursor.pos = at + len(child.content)
        elif child.type == "link_open" and child.markup != "autolink":
            at = cursor.find("[")
            if at >= 0:
                cuts.append((at, at + 1))
                cursor.pos = at + 1
        elif child.type == "link_close" and child.markup != "autolink":
            at = cursor.find("]")
            if at >= 0:
                stop = cursor.destination(at + 1)
                cuts.append((at, stop))
                cursor.pos = stop
        elif child.type == "image":
            at = cursor.find("![")
            if at >= 0:
                close = source.find("]", at + 2, end)
                stop = cursor.destination(close + 1) if close >= 0 else at + 2
                cuts.append((at, stop))
                cursor.pos = stop
    return cuts


def _heading_text(tokens: list[Token], i: int) -> str:
    inline = tokens[i + 1] if i + 1 < len(tokens) and tokens[i + 1].type == "inline" else None
    return " ".join((inline.content if inline else "").split())


def fence_language(info: str) -> str:
    """The language of a fenced block's info string (its first word, lower case; ``""``)."""
    words = info.strip().split()
    return words[0].lower().lstrip("{.").rstrip("}") if words else ""


def parse_markdown(whole: Message, fences: tuple[str, ...] = ()) -> Parsed:
    """Split a Markdown document (``whole.text`` mapped to its source) into prose sections.

    A fenced code block whose language (:func:`fence_language`) is in ``fences`` is a
    template: a section of its own, labelled by the heading above it and its line, read as
    Markdown for ``markdown``/``md`` and as plain text otherwise. Other code blocks are
    skipped and listed in ``skipped_code``."""
    source = whole.source
    text = whole.text
    tokens = parser().parse(text)
    line_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"] + [len(text)]

    def offset(line: int) -> int:
        return line_starts[min(line, len(line_starts) - 1)]

    split = sum(1 for t in tokens if t.type == "heading_open" and t.tag == SECTION_LEVEL) >= 2
    parsed = Parsed()
    current = Section("", 0, TextBuilder(source))
    parsed.sections.append(current)
    quote_depth = 0
    seen_lines: set[int] = set()
    for i, token in enumerate(tokens):
        if token.type == "blockquote_open":
            quote_depth += 1
        elif token.type == "blockquote_close":
            quote_depth -= 1
        elif token.type == "heading_open" and token.map:
            label = _heading_text(tokens, i)
            if split and token.tag == SECTION_LEVEL:
                current = Section(label, token.map[0] + 1, TextBuilder(source))
                parsed.sections.append(current)
            elif not current.label:
                current.label = label
        elif token.type in ("fence", "code_block") and token.map:
            language = fence_language(token.info) if token.type == "fence" else "indented"
            if quote_depth:
                continue
            if token.type != "fence" or language not in fences:
                parsed.skipped_code.append(language or "no info string")
                continue
            line = token.map[0] + 1
            where = f"template at line {line}"
            template = Section(f"{current.label}: {where}" if current.label else where, line, TextBuilder(source))
            content = TextBuilder(source)
            content.add_mapped(token.content, align(token.content, text, offset(token.map[0] + 1)))
            body = content.message()
            if language in MARKDOWN_FENCES:
                inner = parse_markdown(body)
                parsed.directives.extend(inner.directives)
                for inner_section in inner.sections:
                    _add_block(template, inner_section.builder.message())
            else:
                _add_block(template, new_words(body))
            if template.blocks:
                parsed.sections.append(template)
        elif token.type == "html_block" and token.map:
            block = slice_message(whole, offset(token.map[0]), offset(token.map[1]))
            visible, directives = visible_text(block)
            parsed.directives.extend(directives)
            if visible.text.strip() and not quote_depth:
                _add_block(current, visible)
        elif token.type == "inline" and token.map and i > 0 and tokens[i - 1].type != "heading_open":
            for child in token.children or []:
                if child.type == "html_inline":
                    parsed.directives.extend(_inline_directives(whole, text, child, offset(token.map[0]), offset(token.map[1])))
            if quote_depth or token.map[0] in seen_lines:
                continue
            seen_lines.update(range(token.map[0], token.map[1]))
            start, end = offset(token.map[0]), offset(token.map[1])
            cuts = []
            for j in range(i, len(tokens)):
                tok = tokens[j]
                if tok.type == "inline" and tok.map and tok.map[0] == token.map[0]:
                    cuts.extend(_inline_cuts(text, tok, start, end))
                elif tok.map and tok.map[0] > token.map[0]:
                    break
            block = slice_message(whole, start, end).edited(sorted((a - start, b - start, "") for a, b in cuts))
            _add_block(current, block)
    parsed.sections = [s for s in parsed.sections if s.blocks]
    return parsed


def _inline_directives(whole: Message, text: str, child: Token, start: int, end: int) -> list[Directive]:
    at = text.find(child.content, start, end)
    if at < 0:
        return []
    return find_directives(slice_message(whole, at, at + len(child.content)), "html")


def _add_block(section: Section, block: Message) -> None:
    if section.blocks:
        section.builder.add_gap("\n" if section.builder.ends_with("\n") else "\n\n")
    section.builder.extend(block)
    section.blocks += 1


def read(source: Source, options: ReadOptions) -> Document:
    """Read a Markdown template (or template library) into messages of its prose and of
    the templates in its fenced blocks; the code blocks skipped are counted in a note."""
    parsed = parse_markdown(Message.whole(source), options.fences)
    messages = [s.builder.message(label=s.label) for s in parsed.sections]
    messages.sort(key=lambda m: m.source_offset(len(m.text) - len(m.text.lstrip())))  # templates among the prose
    return Document(source, "markdown", [m for m in messages if m.text.strip()], parsed.directives, skipped_notice(parsed))


def skipped_notice(parsed: Parsed) -> list[str]:
    """The notice that counts the code blocks a Markdown file kept out of linting (or none)."""
    if not parsed.skipped_code:
        return []
    n = len(parsed.skipped_code)
    kinds = ", ".join(sorted(set(parsed.skipped_code)))
    return [f"{n} code block{'s' * (n != 1)} not linted ({kinds}); markdown-fences in the configuration "
            "names the fenced-block languages that hold templates"]
