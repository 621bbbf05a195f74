"""Unicode files other than UTF-8: a byte-order mark says how to decode them; UTF-16 without
one gets an error that says what the file is and what to do."""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import Any

import pytest

from checkin_lint.errors import InputError
from checkin_lint.inputs import decode

DRAFT = "Hola Ana,\r\n\r\nJust checking in – any updates on the pilot?\r\n"


@pytest.mark.parametrize(("bom", "codec"), [
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
])
def test_a_bom_names_the_encoding_and_findings_point_at_characters(check: Any, tmp_path: Path, bom: bytes, codec: str) -> None:
    path = tmp_path / "draft.txt"
    path.write_bytes(bom + DRAFT.encode(codec))
    run = check(path)
    assert run.report["files"][0]["errors"] == []
    assert ("checkin/checking-in", 3, 6, "checking in") in run.findings("draft.txt")
    (message,) = run.messages("draft.txt")
    assert message["verdict"] == "reject"


def test_utf16_email_with_a_bom_is_read(check: Any, tmp_path: Path) -> None:
    path = tmp_path / "note.eml"
    eml = "From: a@example.com\r\nSubject: Pilot\r\n\r\nJust checking in. Any updates?\r\n"
    path.write_bytes(codecs.BOM_UTF16_LE + eml.encode("utf-16-le"))
    assert ("checkin/checking-in", 4, 6, "checking in") in check(path).findings("note.eml")


@pytest.mark.parametrize(("codec", "name"), [("utf-16-le", "UTF-16 LE"), ("utf-16-be", "UTF-16 BE")])
def test_utf16_without_a_bom_says_what_it_is(codec: str, name: str) -> None:
    with pytest.raises(InputError) as caught:
        decode("draft.txt", DRAFT.encode(codec))
    (problem,) = caught.value.problems
    assert problem.message == f"looks like {name} text without a byte-order mark; save it as UTF-8 (or as UTF-16 with a BOM)"


def test_a_broken_utf16_body_is_named_not_crashed() -> None:
    with pytest.raises(InputError) as caught:
        decode("draft.txt", codecs.BOM_UTF16_LE + "Hi".encode("utf-16-le") + b"\x00\xd8")  # a lone surrogate
    assert "not valid UTF-16 LE despite its byte-order mark" in caught.value.problems[0].message


def test_binary_is_still_binary() -> None:
    with pytest.raises(InputError) as caught:
        decode("logo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")
    assert caught.value.problems[0].message == "binary file, not text"


def test_excel_unicode_text_export_is_read(check: Any, tmp_path: Path) -> None:
    path = tmp_path / "sequence.tsv"  # Excel's "Unicode Text" export: UTF-16 LE with a BOM, tab-separated
    path.write_bytes(codecs.BOM_UTF16_LE + "id\tbody\r\n7\tJust checking in. Any updates?\r\n".encode("utf-16-le"))
    (row,) = check(path).messages("sequence.tsv")
    assert row["verdict"] == "reject" and row["label"] == "row 2"
