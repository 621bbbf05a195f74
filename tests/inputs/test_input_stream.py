"""Long CSV and mbox files on disk are read a window at a time (``inputs/stream.py``), and every
position in their reports is what reading the whole file gives.

Chunks are made a few bytes long here, so that line breaks, multi-byte characters, quoted
CSV fields and mbox separator lines fall across chunk boundaries; each test compares the
windowed reading with the whole-text reading of the same bytes.
"""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import checkin_lint.inputs.stream as stream
from checkin_lint.cli import main
from checkin_lint.config import Config
from checkin_lint.document import Message
from checkin_lint.errors import InputError
from checkin_lint.inputs import get_stream_reader, read_document
from checkin_lint.inputs.stream import FEED_LINES, LINES, FileText
from checkin_lint.linter import Linter
from checkin_lint.quotes import dropped_parts
from checkin_lint.runner import lint_bytes, lint_file, on_disk

EMPTY = "Hi Dana,\n\nJust checking in on the proposal. Any updates? Caf\u00e9 at 5\u2019o \U0001F642\n\nSam"
VALUE = "Hi Dana,\r\n\r\nTeams like yours cut onboarding by 30% after the pilot: https://example.com/pilot\r\n\r\nSam"
WEAK = "Hi Dana,\rSorry to bother you, I just wanted to share the pilot numbers: churn fell 12%.\r"
BODIES = [EMPTY, VALUE, WEAK]


@pytest.fixture(params=[1, 3, 7, 64])
def small_chunks(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    """Chunks of a few bytes: every boundary case comes up in a short file."""
    monkeypatch.setattr(stream, "CHUNK_BYTES", request.param)
    return int(request.param)


def _csv_bytes(rows: int = 6, *, terminator: str = "\r\n") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=terminator)
    writer.writerow(["id", "subject", "body"])
    for i in range(rows):
        writer.writerow([f"r{i}", f'Note "{i}"' if i % 2 else "Re: pilot", BODIES[i % 3] + f"\n\nRef {i}, \u00e9t\u00e9"])
    return out.getvalue().encode()


def _mbox_bytes(messages: int = 5, *, newline: str = "\n") -> bytes:
    parts = []
    for i in range(messages):
        body = BODIES[i % 3].replace("\r\n", "\n").replace("\r", "\n")
        parts.append(f"From rep{i}@example.com Mon Nov 30 09:{i:02d}:00 2026\nFrom: Rep <rep@example.com>\n"
                     f"Subject: Note {i} \u2014 caf\u00e9\n\n{body}\n>From the team\n\n")
    return "".join(parts).replace("\n", newline).encode()


def _positions(message: Message) -> list[tuple[int, int, int]]:
    """Every character of the message: its file offset and its (line, column) in the file."""
    source = message.source
    return [(source.file_offset(message.source_offset(i)), *message.line_col(i)) for i in range(len(message.text) + 1)]


def _both(path: Path, raw: bytes, kind: str) -> tuple[list[Message], list[Message]]:
    whole = read_document(str(path), raw, input_format=kind).messages
    document = get_stream_reader(kind)(FileText(str(path), str(path), kind, 10**9), Config().read_options())
    return whole, list(document.iter_messages())


@pytest.mark.parametrize("text", ["a\r\nb\rc\n\nd", "\r\r\n\n\r", "x\u2019y\r\n\U0001F642\r", "no break at all", "\n"])
def test_lines_split_as_the_whole_text_splits(tmp_path: Path, small_chunks: int, text: str) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(text.encode())
    read = FileText(str(path), "t.csv", "csv", 10**9)
    assert list(read.lines(LINES)) == [m.group() for m in LINES.finditer(text)]
    assert list(read.lines(FEED_LINES)) == [m.group() for m in FEED_LINES.finditer(text)]
    assert "".join(read.chunks()) == text


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-32"])
def test_a_byte_order_mark_is_dropped_and_its_encoding_decoded(tmp_path: Path, small_chunks: int, encoding: str) -> None:
    text = _csv_bytes().decode()
    path = tmp_path / "t.csv"
    path.write_bytes(text.encode(encoding))
    assert "".join(FileText(str(path), "t.csv", "csv", 10**9).chunks()) == text


@pytest.mark.parametrize("terminator", ["\r\n", "\n", "\r"])
@pytest.mark.parametrize("bom", [b"", codecs.BOM_UTF8])
def test_csv_rows_map_to_the_same_offsets_lines_and_columns(tmp_path: Path, small_chunks: int, terminator: str,
                                                             bom: bytes) -> None:
    raw = bom + _csv_bytes(terminator=terminator)
    path = tmp_path / "export.csv"
    path.write_bytes(raw)
    whole, windowed = _both(path, raw, "csv")
    assert len(whole) == 6
    assert [m.text for m in windowed] == [m.text for m in whole]
    assert [m.label for m in windowed] == [m.label for m in whole]
    assert [_positions(m) for m in windowed] == [_positions(m) for m in whole]
    assert all(m.source.offset > 0 and len(m.source.text) < len(raw) // 3 for m in windowed)  # a window, not the file


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_mbox_messages_map_to_the_same_offsets_lines_and_columns(tmp_path: Path, small_chunks: int, newline: str) -> None:
    raw = b"preamble that is no message\n" + _mbox_bytes(newline=newline)
    raw = raw.replace(b"preamble that is no message\n", b"From nobody\n", 1)  # starts with "From " but is no separator
    path = tmp_path / "archive.mbox"
    path.write_bytes(raw)
    whole, windowed = _both(path, raw, "mbox")
    assert len(whole) == 5
    assert [(m.text, m.label) for m in windowed] == [(m.text, m.label) for m in whole]
    assert [_positions(m) for m in windowed] == [_positions(m) for m in whole]
    assert [dropped_parts(m) for m in windowed] == [dropped_parts(m) for m in whole]


def test_an_undecodable_byte_in_an_mbox_counts_as_one_character(tmp_path: Path, small_chunks: int) -> None:
    raw = _mbox_bytes().replace(b"Sam", b"S\xe9am\xff", 1)
    path = tmp_path / "archive.mbox"
    path.write_bytes(raw)
    whole, windowed = _both(path, raw, "mbox")
    assert [_positions(m) for m in windowed] == [_positions(m) for m in whole]


def _records(report: Any) -> list[dict[str, Any]]:
    return [m.to_dict() for m in report.messages]


@pytest.mark.parametrize("name, raw", [
    ("export.csv", _csv_bytes(30)),
    ("archive.mbox", _mbox_bytes(30, newline="\r\n")),
    ("tabs.tsv", _csv_bytes(4).replace(b",", b"\t")),
])
def test_the_report_of_a_file_read_in_windows_is_the_whole_file_report(linter: Linter, tmp_path: Path, small_chunks: int,
                                                                        name: str, raw: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(raw)
    assert on_disk(str(path)) is not None  # this file takes the windowed path
    windowed, whole = lint_file(linter, str(path)), lint_bytes(linter, str(path), raw)
    assert _records(windowed) == _records(whole)
    assert max(f["source_start"] for m in _records(windowed) for f in m["findings"]) > len(raw) // 2  # file offsets
    assert (windowed.problems, windowed.skipped) == (whole.problems, whole.skipped)


@pytest.mark.parametrize("name, raw, bad", [
    ("export.csv", _csv_bytes(20), b"\xff"),
    ("export.csv", codecs.BOM_UTF8 + _csv_bytes(20), b"\xc3("),  # a lead byte without its continuation
    ("utf16.csv", codecs.BOM_UTF16_LE + _csv_bytes(20).decode().encode("utf-16-le"), b"\x00\xd8A\x00"),  # lone surrogate
])
def test_a_bad_byte_in_the_middle_is_the_same_one_line_error(linter: Linter, tmp_path: Path, small_chunks: int,
                                                             name: str, raw: bytes, bad: bytes) -> None:
    middle = len(raw) // 2 + len(raw) // 2 % 2  # even: a UTF-16 code unit boundary
    raw = raw[:middle] + bad + raw[middle:]
    path = tmp_path / name
    path.write_bytes(raw)
    windowed, whole = lint_file(linter, str(path)), lint_bytes(linter, str(path), raw)
    assert [str(p) for p in windowed.problems] == [str(p) for p in whole.problems]
    assert len(windowed.problems) == 1 and not windowed.messages
    assert f"at offset {middle})" in str(windowed.problems[0])


def test_a_character_cut_short_at_the_end_is_the_same_error(linter: Linter, tmp_path: Path, small_chunks: int) -> None:
    raw = _csv_bytes(5) + b"\xe2\x80"
    path = tmp_path / "export.csv"
    path.write_bytes(raw)
    windowed, whole = lint_file(linter, str(path)), lint_bytes(linter, str(path), raw)
    assert [str(p) for p in windowed.problems] == [str(p) for p in whole.problems]
    assert f"at offset {len(raw) - 2})" in str(windowed.problems[0])


def test_a_bad_byte_after_a_byte_order_mark_is_named_at_its_file_offset(tmp_path: Path) -> None:
    raw = codecs.BOM_UTF8 + b"id,body\n1,caf\xff\n"
    with pytest.raises(InputError) as caught:
        read_document("x.csv", raw)
    assert str(caught.value.problems[0]).endswith("not valid UTF-8 (byte b'\\xff' at offset 16); save it as UTF-8")  # 3 + 8 + 5 bytes before it


def test_the_cli_reports_a_bad_byte_with_exit_code_2_and_lints_the_other_files(tmp_path: Path) -> None:
    raw = _csv_bytes(10)
    bad = raw[:200] + b"\xff" + raw[200:]
    (tmp_path / "bad.csv").write_bytes(bad)
    (tmp_path / "good.csv").write_bytes(raw)
    result = CliRunner().invoke(main, ["lint", "--no-cache", "--format", "concise", str(tmp_path / "bad.csv"),
                                       str(tmp_path / "good.csv")])
    assert result.exit_code == 2
    assert "bad.csv: not valid UTF-8 (byte b'\\xff' at offset 200); save it as UTF-8" in result.output + result.stderr
    assert "good.csv:" in result.output


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(_csv_bytes(30))
    with pytest.raises(InputError, match="over the 100-byte limit"):
        on_disk(str(path), config=Config(max_file_size=100))


def test_a_file_with_a_directive_is_read_whole_with_the_directive_applied(linter: Linter, tmp_path: Path) -> None:
    raw = _mbox_bytes(4).replace(b"Just checking in", b"# checkin-lint: disable=all\nJust checking in", 1)
    path = tmp_path / "archive.mbox"
    path.write_bytes(raw)
    windowed, whole = lint_file(linter, str(path)), lint_bytes(linter, str(path), raw)
    assert _records(windowed) == _records(whole)
    assert not _records(windowed)[0]["findings"]


@pytest.mark.parametrize("hidden", [True, False])
def test_a_directive_hidden_in_a_base64_body_is_found_before_any_message_is_linted(
        linter: Linter, tmp_path: Path, small_chunks: int, hidden: bool) -> None:
    import base64

    body = "# checkin-lint: disable-file=checkin\n" if hidden else ""
    encoded = base64.b64encode(f"{body}Teams cut onboarding by 30%: https://example.com/pilot\n".encode()).decode()
    raw = _mbox_bytes(3) + (f"From b@example.com Mon Nov 30 09:01:00 2026\nSubject: two\nMIME-Version: 1.0\n"
                            "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
                            f"{encoded}\n").encode()
    path = tmp_path / "archive.mbox"
    path.write_bytes(raw)
    windowed, whole = lint_file(linter, str(path)), lint_bytes(linter, str(path), raw)
    assert _records(windowed) == _records(whole)
    found = [f for m in _records(windowed) for f in m["findings"] if f["rule_id"].startswith("checkin/")]
    assert bool(found) is not hidden  # the directive in the last message covers the first ones too


def test_standard_input_and_fixes_read_the_whole_file(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(_csv_bytes(3))
    assert on_disk("-") is None
    assert on_disk(str(tmp_path / "draft.txt")) is None
    assert on_disk(str(path)) is not None
