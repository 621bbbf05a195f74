"""Email files: .eml (MIME) and .mbox; the Subject is linted, quoted replies are not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

REPLY = """\
From: Sam Lee <sam@acme.example>
To: Dana Smith <dana@example.com>
Subject: Update: =?utf-8?q?Pilot_results_=E2=80=94_touching_base?=
Date: Tue, 10 Mar 2026 09:12:00 +0000
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="b1"

--b1
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: quoted-printable

Hi Dana,

The pilot group cut ticket volume by 23% =E2=80=94 I'm circling back with=
 the full report on Friday.

Best,
Sam

On Mon, Mar 9, 2026 at 4:01 PM Dana Smith <dana@example.com> wrote:
> Just checking in: any updates?
--b1
Content-Type: text/html; charset="utf-8"

<p>Hi Dana, just checking in</p>
--b1--
"""


def test_eml_subject_and_plain_body_are_located(check: Any, tmp_path: Path) -> None:
    path = tmp_path / "reply.eml"
    path.write_text(REPLY, encoding="utf-8")
    run = check(path)
    assert run.findings("reply.eml", "checkin") == [
        ("checkin/touching-base", 3, 52, "touching base"),
        ("checkin/circling-back", 14, 56, "circling back"),
    ]
    (message,) = run.messages("reply.eml")
    assert message["label"] == "Update: Pilot results — touching base"
    assert message["channel"] == "email"


def test_html_part_is_the_fallback_and_latin1_is_decoded(check: Any, tmp_path: Path) -> None:
    path = tmp_path / "html.eml"
    path.write_bytes(
        b"From: a@example.com\nSubject: Caf\xe9 notes\nContent-Type: text/html; charset=iso-8859-1\n\n"
        b"<p>Caf\xe9 owners: just checking in.</p>\n"
    )
    run = check(path)
    assert run.findings("html.eml", "checkin") == [("checkin/checking-in", 5, 22, "checking in")]


def test_an_unknown_charset_is_read_as_utf8_not_a_crash(check: Any, tmp_path: Path) -> None:
    path = tmp_path / "odd.eml"
    path.write_bytes(
        b"From: a@example.com\nSubject: hi\nContent-Type: text/plain; charset=x-no-such-charset\n\n"
        b"Hi Dana, just checking in.\n"
    )
    assert check(path).findings("odd.eml", "checkin") == [("checkin/checking-in", 5, 15, "checking in")]


def test_base64_body_points_at_its_first_line(check: Any, tmp_path: Path) -> None:
    import base64

    body = base64.encodebytes("Hi Dana,\n\nJust checking in.\n".encode()).decode()
    path = tmp_path / "b64.eml"
    path.write_text(f"From: a@example.com\nSubject: hi\nContent-Transfer-Encoding: base64\n\n{body}", encoding="utf-8")
    assert [f[:3] for f in check(path).findings("b64.eml", "checkin")] == [("checkin/checking-in", 5, 1)]


def test_mbox_messages_are_reported_one_by_one(check: Any, tmp_path: Path) -> None:
    path = tmp_path / "sent.mbox"
    path.write_text(
        "From sam@acme.example Tue Mar 10 09:00:00 2026\nFrom: sam@acme.example\nSubject: Benchmark\n\n"
        "Teams like yours cut onboarding time by 30%.\n\n"
        "From sam@acme.example Wed Mar 11 09:00:00 2026\nFrom: sam@acme.example\nSubject: Following up\n\n"
        "Just touching base.\n",
        encoding="utf-8",
    )
    run = check(path)
    assert [m["label"] for m in run.messages("sent.mbox")] == ["message 1: Benchmark", "message 2: Following up"]
    assert run.findings("sent.mbox", "checkin") == [
        ("checkin/following-up", 9, 10, "Following up"),
        ("checkin/touching-base", 11, 6, "touching base"),
    ]
