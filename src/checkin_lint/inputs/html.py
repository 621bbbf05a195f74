"""HTML email: lint the visible text only.

Parsed with the standard library's :class:`html.parser.HTMLParser`, which reports the line
and column of every piece of text, so findings point into the HTML file. Never linted:
``script``, ``style``, ``head``, ``template``, ``noscript`` and ``svg`` content; elements
hidden with ``hidden`` or ``display:none``; quoted replies (``blockquote``, Gmail's
``gmail_quote``, Yahoo's ``yahoo_quoted``, Thunderbird's ``moz-cite-prefix``) and marked
signatures (``gmail_signature``, ``moz-signature``). Whitespace collapses as a browser
would; block elements and ``<br>`` become line breaks. The visible text then goes through
:func:`checkin_lint.quotes.new_words` for quoted threads and signatures in plain text form.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from checkin_lint.document import Message, Source
from checkin_lint.errors import InputError, Problem
from checkin_lint.inputs import Document, ReadOptions
from checkin_lint.inputs.textmap import TextBuilder
from checkin_lint.quotes import new_words
from checkin_lint.directives import Directive, parse

SKIP_TAGS = frozenset({"script", "style", "head", "title", "template", "noscript", "svg", "blockquote", "object", "iframe"})
QUOTE_CLASSES = frozenset({"gmail_quote", "yahoo_quoted", "moz-cite-prefix"})
SIGNATURE_CLASSES = frozenset({"gmail_signature", "moz-signature"})
SKIP_CLASSES = QUOTE_CLASSES | SIGNATURE_CLASSES
"""Elements mail clients mark as quoted text or signature: never linted, listed as dropped."""
BLOCK_TAGS = frozenset({
    "p", "div", "li", "tr", "table", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
    "header", "footer", "hr", "dd", "dt", "dl", "pre", "address", "center", "main", "nav", "aside", "form",
})
VOID_TAGS = frozenset({"br", "img", "hr", "meta", "link", "input", "area", "base", "col", "embed", "source", "track", "wbr"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_DIRECTIVE = re.compile(r"^\s*checkin-lint:(?P<body>.*)", re.S)  # greedy, then stripped: linear


class _VisibleText(HTMLParser):
    def __init__(self, markup: Message) -> None:
        super().__init__(convert_charrefs=False)
        self.markup = markup
        self.builder = TextBuilder(markup.source)
        self.directives: list[Directive] = []
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", markup.text)]
        self._skip: list[str] = []  # the element being skipped, once per nesting level of that tag
        self._space_pending = False
        self._space_at = 0
        self._dropping: tuple[str, int] = ("", 0)  # what the skipped element is (quote, signature) and where it starts

    def _offset(self) -> int:
        line, col = self.getpos()
        return self._line_starts[min(line, len(self._line_starts)) - 1] + col

    def _break(self, text: str) -> None:
        if self._skip or not len(self.builder):
            return
        trailing = self.builder.trailing("\n")
        if trailing < len(text):
            self.builder.add_gap(text[trailing:])
        self._space_pending = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skip:
            if tag == self._skip[0] and tag not in VOID_TAGS:
                self._skip.append(tag)
            return
        values = {k: (v or "") for k, v in attrs}
        hidden = "hidden" in values or _HIDDEN_STYLE.search(values.get("style", "")) is not None
        classes = set(values.get("class", "").split())
        if tag not in VOID_TAGS and (tag in SKIP_TAGS or hidden or classes & SKIP_CLASSES):
            self._break("\n\n")
            self._skip.append(tag)
            quote = tag == "blockquote" or classes & QUOTE_CLASSES
            self._dropping = ("quote" if quote else "signature" if classes & SIGNATURE_CLASSES else "", self._offset())
            return
        if tag == "br":
            self._break("\n")
        elif tag in BLOCK_TAGS:
            self._break("\n\n")
        elif tag in ("td", "th"):
            self._space_pending = True
            self._space_at = max(0, self._offset() - 1)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br" or tag in BLOCK_TAGS:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if self._skip:
            if tag == self._skip[0]:
                self._skip.pop()
                kind, start = self._dropping
                if not self._skip and kind:
                    end = self._offset() + len(tag) + 3
                    self.builder.drop(kind, self.markup.source_offset(start), self.markup.source_offset(min(end, len(self.markup.text))))
            return
        if tag in BLOCK_TAGS:
            self._break("\n\n")

    def _emit(self, text: str, offsets: list[int]) -> None:
        if self._skip:
            return
        chars: list[str] = []
        where: list[int] = []
        for ch, off in zip(text, offsets):
            if ch.isspace():
                if not self._space_pending:
                    self._space_at = off
                self._space_pending = True
                continue
            if self._space_pending and (chars or (len(self.builder) and not self.builder.ends_with("\n"))):
                chars.append(" ")
                where.append(self._space_at)
            self._space_pending = False
            chars.append(ch)
            where.append(off)
        if chars:
            pieces = self.markup.pieces
            if len(pieces) == 1 and pieces[0].end == len(self.markup.text):  # one run: a shift, no lookups
                shift = pieces[0].source_start - pieces[0].start
                self.builder.add_mapped("".join(chars), [o + shift for o in where])
            else:
                self.builder.add_mapped("".join(chars), [self.markup.source_offset(o) for o in where])

    def handle_data(self, data: str) -> None:
        start = self._offset()
        self._emit(data, list(range(start, start + len(data))))

    def _reference(self, raw: str) -> None:
        char = html.unescape(raw)
        start = self._offset()
        self._emit(char, [start] * len(char))

    def handle_entityref(self, name: str) -> None:
        self._reference(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self._reference(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        m = _DIRECTIVE.match(data)
        if m:
            start = self._offset()
            source_start = self.markup.source_offset(start)
            line, column = self.markup.source.line_col(source_start)
            end = self.markup.source_offset(start + len(data) + 7)
            self.directives.append(parse(m.group("body").strip(), line, column, source_start, end))


_MARKUP_START = re.compile(r"<[A-Za-z/!?]")


def closable_end(markup: str) -> int:
    """Where the markup that can still be closed ends: at the first ``<!--`` after the last
    ``-->``, or the first tag opening after the last ``>``, whichever comes first (else the
    end). What follows can never be closed: a browser hides an unclosed comment or tag to the
    end of the document, and so do we. The standard library's parser instead searches to the
    end once for every such opening, which is quadratic (CPython gh-135462)."""
    end = len(markup)
    comment = markup.find("<!--", markup.rfind("-->") + 1)
    if comment >= 0:
        end = comment
    tag = _MARKUP_START.search(markup, markup.rfind(">") + 1)
    if tag is not None:
        end = min(end, tag.start())
    return end


def visible_text(markup: Message) -> tuple[Message, list[Directive]]:
    """The visible text of the HTML in ``markup.text`` (mapped to the source) and the
    directive comments in it. Raises :class:`~checkin_lint.errors.InputError` for markup the
    parser cannot read (a ``<![`` without a section name)."""
    parser = _VisibleText(markup)
    try:
        parser.feed(markup.text[:closable_end(markup.text)])
        parser.close()
    except AssertionError as exc:  # _markupbase reports malformed declarations this way
        line = markup.source.line_col(markup.source_offset(parser._offset()))[0]
        raise InputError([Problem(markup.source.path, f"malformed HTML: {exc}"[:120], line)]) from None
    return parser.builder.message(label=markup.label, channel=markup.channel, meta=dict(markup.meta)), parser.directives


def read(source: Source, options: ReadOptions) -> Document:
    """Read an HTML email or page as one message of its visible text."""
    text, directives = visible_text(Message.whole(source, channel="email"))
    message = new_words(text)
    return Document(source, "html", [message] if message.text.strip() else [], directives)

