"""Template merge fields: removed from the linted text, with value slots scored by name."""

from __future__ import annotations

import pytest

from checkin_lint.document import Message, Source
from checkin_lint.rules.loader import RuleSet
from checkin_lint.templates import slot_family, strip_merge_fields


@pytest.mark.parametrize(
    ("name", "family"),
    [
        ("case_study_link", "link"),
        ("specific_insight", "insight"),
        ("mutual_connection", "referral"),
        ("meeting_time", "commitment"),
        ("first_name", ""),
        ("company", ""),
        # fields holding the sender's own ask are not value
        ("donate_link", ""),
        ("calendar_link", ""),
        ("meeting_link", ""),
        ("report_link", "link"),
    ],
)
def test_slot_family_by_field_name(ruleset: RuleSet, name: str, family: str) -> None:
    assert slot_family(name, ruleset.families) == family


def test_fields_are_removed_and_offsets_still_point_into_the_source(ruleset: RuleSet) -> None:
    text = "Hi {{ first_name }}, {Just checking|Checking} in about [Company Name]: see {{caseStudyLink}} <<ReportLink>>."
    message = strip_merge_fields(Message.whole(Source("t.md", text)), ruleset.families)
    assert message.text == "Hi , Just checking in about : see  ."
    start = message.source_offset(message.text.index("checking in"))
    assert text[start:start + 8] == "checking"
    assert [(s.name, s.family) for s in message.slots] == [
        ("first_name", ""), ("company_name", ""), ("case_study_link", "link"), ("report_link", "link"),
    ]


@pytest.mark.parametrize(
    ("text", "family"),
    [
        # a date after words naming a past send is that send, not a next step
        ("Following up on the quote I sent over on [date].", ""),
        ("As we discussed when we met on {{meeting_date}}, here it is.", ""),
        ("Your note dated [date] asked about pricing.", ""),
        # the same field proposing a time is a next step
        ("Could we go through it on [date] at 10am?", "commitment"),
        ("I'll have the draft to you by {{due_date}}.", "commitment"),
        # a link field right after "about" names the topic; the link itself still counts
        ("If you'd like to learn more about [resource], reply here.", ""),
        ("The write-up is here: [resource]", "link"),
    ],
)
def test_words_before_a_field_can_veto_its_family(ruleset: RuleSet, text: str, family: str) -> None:
    message = strip_merge_fields(Message.whole(Source("t.md", text)), ruleset.families)
    assert [s.family for s in message.slots] == [family]


def test_lead_words_stop_at_the_sentence_start() -> None:
    from checkin_lint.templates import lead_words

    text = "I sent it. See you on [date]"
    assert lead_words(text, text.index("[")) == ("see", "you", "on")
    assert lead_words("sent", 0) == ()
