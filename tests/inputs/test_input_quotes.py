"""The sender's words, all of them and only them: replies in every posting style and in the
languages mail clients write intro lines in, forwarded threads, mbox escapes, signatures with
footers, inherited reply subjects, and what was dropped listed for the user."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import quotequail
from hypothesis import given, settings
from hypothesis import strategies as st

from checkin_lint.document import Message, Source
from checkin_lint.quotes import _quotequail_line_ends, _quotequail_start, dropped_spans, inherited_subject, new_words

CHECKIN = "Just checking in, any updates on the rollout?"


def _linted(text: str) -> str:
    return new_words(Message.whole(Source("x.txt", text))).text


INTROS = {
    "en-gmail": "On Wed, Apr 8, 2026 at 9:03 AM Rui Tanaka <rui@client.example> wrote:",
    "en-wrapped": "On Wed, Apr 8, 2026 at 9:03 AM Rui Tanaka <rui@client.example>\nwrote:",
    "en-thunderbird": "On 08/04/2026 09:03, Rui Tanaka wrote:",
    "de": "Am 08.04.2026 um 09:03 schrieb Rui Tanaka <rui@client.example>:",
    "fr": "Le mer. 8 avr. 2026 à 09:03, Rui Tanaka <rui@client.example> a écrit :",
    "es": "El mié, 8 abr 2026 a las 9:03, Rui Tanaka (<rui@client.example>) escribió:",
    "it": "Il giorno mer 8 apr 2026 alle ore 09:03 Rui Tanaka <rui@client.example> ha scritto:",
    "nl": "Op wo 8 apr. 2026 om 09:03 schreef Rui Tanaka <rui@client.example>:",
    "pt": "Em qua., 8 de abr. de 2026 às 09:03, Rui Tanaka <rui@client.example> escreveu:",
    "sv": "Den ons 8 apr. 2026 kl 09:03 skrev Rui Tanaka <rui@client.example>:",
    "pl": "Dnia 8 kwietnia 2026 09:03 Rui Tanaka <rui@client.example> napisał(a):",
    "cs": "Dne st 8. 4. 2026 9:03 uživatel Rui Tanaka <rui@client.example> napsal(a):",
    "ru": "8 апр. 2026 г., в 09:03, Rui Tanaka <rui@client.example> написал(а):",
    "tr": "Rui Tanaka <rui@client.example>, 8 Nis 2026 Çar, 09:03 tarihinde şunu yazdı:",
    "el": "Στις Τετ 8 Απρ 2026 στις 9:03 π.μ., ο/η Rui Tanaka <rui@client.example> έγραψε:",
    "ja": "2026年4月8日(水) 9:03 Rui Tanaka <rui@client.example>:",
    "zh": "Rui Tanaka <rui@client.example> 于2026年4月8日周三 09:03写道：",
}


@pytest.mark.parametrize("intro", list(INTROS.values()), ids=list(INTROS))
def test_bottom_post_below_an_intro_line_is_linted(intro: str) -> None:
    text = f"Hi Rui,\n\n{intro}\n> Can we move the call to Thursday?\n> Rui\n\nThursday works. {CHECKIN}\n"
    linted = _linted(text)
    assert CHECKIN in linted and "Thursday works." in linted
    assert "move the call" not in linted and "Tanaka" not in linted


def test_inline_answers_between_quoted_lines_stay() -> None:
    text = (
        "On Fri, Rui Tanaka <rui@client.example> wrote:\n"
        "> 1. Does the export keep custom fields?\n"
        "Yes, all of them.\n"
        "> 2. Any news on pricing?\n"
        "\n"
        f"{CHECKIN}\n"
        ">> older quoted text, just checking in\n"
    )
    linted = _linted(text)
    assert "Yes, all of them." in linted and CHECKIN in linted
    assert "export keep" not in linted and "older quoted" not in linted and "wrote" not in linted


def test_top_post_keeps_the_reply_and_drops_the_thread() -> None:
    text = f"{CHECKIN}\n\nOn Mon, Rui Tanaka wrote:\n> We are reviewing the 30% discount offer.\n"
    assert _linted(text).strip() == CHECKIN


@pytest.mark.parametrize("header", [
    "-----Original Message-----\nFrom: Rui Tanaka\nSent: Monday, April 6, 2026 10:00\nTo: Ana\nSubject: Pricing",
    "---------- Forwarded message ---------\nFrom: Rui Tanaka <rui@client.example>\nDate: Mon, Apr 6, 2026",
    "From: Rui Tanaka <rui@client.example>\nSent: Monday, April 6, 2026 10:00\nTo: Ana",
    "________________________________\nVon: Rui Tanaka\nGesendet: Montag, 6. April 2026",
])
def test_a_forwarded_or_unquoted_thread_is_dropped_to_the_end(header: str) -> None:
    text = f"{CHECKIN}\n\n{header}\n\nWe cut onboarding time by 45% with the new importer: https://x.example/r\n"
    assert _linted(text).strip() == CHECKIN
    assert [kind for kind, _, _ in dropped_spans(text)] == ["thread"]


def test_mbox_from_escapes_are_unescaped_not_quoted(check: Any, tmp_path: Path) -> None:
    path = tmp_path / "sent.mbox"
    path.write_text(
        "From ana@seller.example Thu Apr  9 10:00:00 2026\n"
        "From: Ana <ana@seller.example>\nSubject: Pilot\n\n"
        ">From the pilot logs: just checking in, any updates?\n"
        "> a real quote: touching base\n",
        encoding="utf-8",
    )
    run = check(path)
    assert run.findings("sent.mbox", "checkin") == [("checkin/checking-in", 5, 28, "checking in")]
    assert run.messages("sent.mbox")[0]["verdict"] == "reject"


FOOTERS = [
    "This e-mail and any attachments are confidential. Our platform cut costs 40% for 300 teams: https://x.example",
    "CONFIDENTIALITY NOTICE: This message may contain privileged information. Winner of the 2026 award, 98% uptime.",
    "Join our webinar on May 5 and see how teams grew pipeline by 3x: https://x.example/webinar",
]
CLOSINGS = ["Best,", "Thanks,", "Kind regards,", "Cheers", "Mit freundlichen Grüßen", "Cordialement,", "Saludos,",
            "Met vriendelijke groet,", "Pozdrawiam", "Best regards, Ana"]


@pytest.mark.parametrize("closing", CLOSINGS)
@pytest.mark.parametrize("footer", FOOTERS)
def test_signature_and_any_footer_under_it_are_dropped(closing: str, footer: str) -> None:
    text = f"Hi Rui,\n\n{CHECKIN}\n\n{closing}\nAna Silva\nAccount Executive | Seller Inc\n+1 555 0100\n\n{footer}\n"
    linted = _linted(text)
    assert CHECKIN in linted and closing in linted
    assert "Ana Silva" not in linted and footer[:20] not in linted


@pytest.mark.parametrize("delimiter", ["-- ", "--", "Sent from my iPhone", "Gesendet von meinem iPad", "Get Outlook for iOS"])
def test_delimiters_start_the_signature(delimiter: str) -> None:
    text = f"{CHECKIN}\n{delimiter}\nAna | Seller Inc | grew revenue 30%\n"
    assert _linted(text).strip() == CHECKIN


def test_a_footer_without_a_closing_is_dropped_too() -> None:
    text = f"{CHECKIN}\n\nAna\n\nCONFIDENTIALITY NOTICE: this e-mail is for the addressee only. Rated #1 by 500 teams.\n"
    assert "CONFIDENTIALITY" not in _linted(text) and "#1" not in _linted(text)


def test_a_postscript_after_the_signature_is_the_senders() -> None:
    text = f"{CHECKIN}\n\nBest,\nAna\n\nP.S. Here is the migration checklist: https://x.example/checklist\n"
    linted = _linted(text)
    assert "P.S. Here is the migration checklist" in linted and "Ana" not in linted


@pytest.mark.parametrize("text", [
    "Hi Rui,\n\nThanks!\n\nHere is the benchmark you asked for: teams cut review time by 35%.\n",
    "Hi Rui,\nThanks for the intro\nI attached the deck with the numbers we discussed\n",
    "Thanks, Rui, for the call. Attached are the three options we discussed.\n",
])
def test_thanks_in_the_body_is_not_a_signature(text: str) -> None:
    assert _linted(text) == text


def test_dropped_parts_are_listed_in_json_and_with_show_dropped(lint: Any, tmp_path: Path) -> None:
    path = tmp_path / "reply.txt"
    path.write_text(
        "Hi Rui,\n\nOn Mon, Rui Tanaka wrote:\n> Any case studies?\n\n"
        f"{CHECKIN}\n\nBest,\nAna\nSeller Inc\n",
        encoding="utf-8",
    )
    run = lint(path)
    (message,) = run.messages("reply.txt")
    assert message["verdict"] == "reject"
    assert message["dropped"] == [
        {"kind": "quote", "line": 3, "end_line": 4, "excerpt": "On Mon, Rui Tanaka wrote: > Any case studies?"},
        {"kind": "signature", "line": 9, "end_line": 10, "excerpt": "Ana Seller Inc"},
    ]
    from click.testing import CliRunner

    from checkin_lint.cli import main

    text = CliRunner().invoke(main, ["lint", "--no-cache", "--show-dropped", str(path)]).stdout
    assert "    dropped quote, lines 3-4: On Mon, Rui Tanaka wrote: > Any case studies?\n" in text
    assert "    dropped signature, lines 9-10: Ana Seller Inc\n" in text
    plain = CliRunner().invoke(main, ["lint", "--no-cache", str(path)]).stdout
    assert "    dropped " not in plain and "Summary: 1 file, 1 message, 1 rejected" in plain


@pytest.mark.parametrize("subject", ["Re: Q3 pricing - 20% off", "RE: RE: Q3 pricing - 20% off", "AW: Angebot 20%",
                                     "Fwd: Case study: churn cut by 20%", "SV: Pris 20%", "[EXTERNAL] Re: 20% off",
                                     "Re[2]: 20% off", "Odp: 20% taniej", "回复：20%"])
def test_reply_subjects_are_inherited(subject: str) -> None:
    assert inherited_subject(subject)


@pytest.mark.parametrize("subject", ["Renewal: 20% off until Friday", "Regarding the pilot", "Fwding ideas", "Trial results"])
def test_own_subjects_are_not(subject: str) -> None:
    assert not inherited_subject(subject)


def test_an_inherited_subject_is_not_value_but_still_the_label(check: Any, tmp_path: Path) -> None:
    path = tmp_path / "reply.eml"
    path.write_text(f"From: ana@seller.example\nSubject: Re: Case study - churn cut by 27%\n\n{CHECKIN}\n", encoding="utf-8")
    (message,) = check(path).messages("reply.eml")
    assert message["label"] == "Re: Case study - churn cut by 27%"
    assert message["verdict"] == "reject"
    assert not [f for f in message["findings"] if f["line"] == 2]
    assert message["dropped"][0]["kind"] == "subject"


def test_own_subject_is_still_linted(check: Any, tmp_path: Path) -> None:
    path = tmp_path / "new.eml"
    path.write_text(f"From: ana@seller.example\nSubject: Touching base\n\nHi Rui, see you Monday.\n", encoding="utf-8")
    assert check(path).findings("new.eml", "checkin") == [("checkin/touching-base", 2, 10, "Touching base")]


def test_csv_and_playbook_reply_subjects_are_inherited(check: Any, tmp_path: Path) -> None:
    csv_path = tmp_path / "seq.csv"
    csv_path.write_text(f'subject,body\n"Re: Benchmark: 3x faster onboarding","{CHECKIN}"\n', encoding="utf-8")
    from checkin_lint.config import Config

    (row,) = check(csv_path, config=Config(csv_subject_column="subject")).messages("seq.csv")
    assert row["verdict"] == "reject" and row["dropped"][0]["kind"] == "subject"
    playbook = tmp_path / "seq.yaml"
    playbook.write_text(
        "sequence: Renewal\nsteps:\n  - name: bump\n    day: 3\n    channel: email\n"
        f"    subject: 'Re: Benchmark: 3x faster onboarding'\n    body: '{CHECKIN}'\n",
        encoding="utf-8",
    )
    (step,) = check(playbook).messages("seq.yaml")
    assert step["verdict"] == "reject"


BLANK_PLAIN = """\
From: Ana <ana@seller.example>
Subject: Pilot
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="b"

--b
Content-Type: text/plain; charset=utf-8

{plain}
--b
Content-Type: text/html; charset=utf-8

<html><body><p>{html}</p></body></html>
--b--
"""


@pytest.mark.parametrize("plain", ["", "   \t", "\u00a0\n\n", "&nbsp;"])
def test_a_blank_plain_part_falls_back_to_the_html_body(check: Any, tmp_path: Path, plain: str) -> None:
    path = tmp_path / "draft.eml"
    path.write_text(BLANK_PLAIN.format(plain=plain, html=CHECKIN), encoding="utf-8")
    (message,) = check(path).messages("draft.eml")
    assert message["verdict"] == "reject"
    assert [f["text"] for f in message["findings"] if f["rule_id"] == "checkin/checking-in"] == ["checking in"]


def test_a_plain_part_with_words_is_still_preferred(check: Any, tmp_path: Path) -> None:
    path = tmp_path / "draft.eml"
    path.write_text(BLANK_PLAIN.format(plain="Touching base on the pilot.", html=CHECKIN), encoding="utf-8")
    assert [f[0] for f in check(path).findings("draft.eml", "checkin")] == ["checkin/touching-base"]


def test_html_quotes_and_signatures_are_listed_as_dropped(check: Any, tmp_path: Path) -> None:
    path = tmp_path / "reply.html"
    path.write_text(
        f"<div>{CHECKIN}</div>\n<div class=\"gmail_signature\">Ana | grew pipeline 3x</div>\n"
        "<div class=\"gmail_quote\">On Mon, Rui wrote:<blockquote>Budget approved at 40%</blockquote></div>\n",
        encoding="utf-8",
    )
    (message,) = check(path).messages("reply.html")
    assert message["verdict"] == "reject"
    assert [(d["kind"], d["line"]) for d in message["dropped"]] == [("signature", 2), ("quote", 3)]


def test_a_quoted_disclaimer_does_not_hide_the_senders_own_footer() -> None:
    text = f"Hi Rui,\n\n{CHECKIN}\n> CONFIDENTIALITY NOTICE: this e-mail is yours\n\nAna\n\nCONFIDENTIALITY NOTICE: This e-mail is private. 98% uptime.\n"
    assert [kind for kind, _, _ in dropped_spans(text)] == ["quote", "footer"]
    assert "98%" not in _linted(text)


QUOTEQUAIL_LINES = [
    "", " ", "\t", ">", "> ", "Hi Dana,", "Here is what changed:", "On Wed, Apr 8, 2026 at 9:03 AM Rui <rui@x.example>",
    "wrote:", "On Tue, Rui wrote:", "Am 08.04.2026 schrieb Rui:", "---------- Forwarded message ---------",
    "-----Original Message-----", "Begin forwarded message:", "________________________________", "____",
    "2026/3/9 Rui Tanaka <rui@x.example>", "Rui Tanaka <rui@x.example>", "2026/3/9", "> On Tue, Rui wrote:",
    "> quoted words", "From: Rui", "Sent: Tuesday", "see https://x.example/a-b_c:", "a - b -", "<tag>", "price: $40 \r",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(QUOTEQUAIL_LINES), max_size=14), st.integers(min_value=0, max_value=30))
def test_quotequail_windows_find_what_quotequail_finds_on_the_whole_text(lines: list[str], cut: int) -> None:
    # only the windows around lines that can end a pattern are handed to quotequail: the
    # first intro or forward header found must be the one a call over the whole text finds
    text = "\n".join(lines)
    pos = min(cut, len(text))
    rest = text[pos:]
    parts = quotequail.quote(rest, limit=rest.count("\n") + 2, quote_intro_line=True)
    whole = len(text) - len(parts[1][1]) if len(parts) > 1 else None
    assert _quotequail_start(text, pos) == whole


def test_quotequail_patterns_end_with_known_characters() -> None:
    # if a quotequail release adds a pattern that can end with anything, every line is tried
    # again (None); this test then says the shortcut is gone
    assert _quotequail_line_ends() == frozenset(":-_>")
