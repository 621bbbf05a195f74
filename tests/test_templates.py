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
