"""A reproducible corpus of synthetic outreach messages for the benchmarks.

Every benchmark builds its input here, so all tools are measured on the same text. The
messages are assembled from fragments: empty check-ins, value-first messages and mixed ones
(value plus filler), in the shapes a linter sees (emails with greeting and sign-off, short
LinkedIn notes, call scripts, templates with merge fields). Names, companies, numbers and
URLs are drawn fresh for each message, so a long run keeps meeting token strings it has not
seen before: exactly what makes a string store grow when nothing bounds it.

The generator is deterministic for a given seed::

    from benchmarks.corpus import messages
    texts = list(messages(1000, seed=7))
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

FIRST = ("Ana", "Bo", "Chidi", "Dana", "Emeka", "Farah", "Goran", "Hana", "Ivo", "Jun", "Kofi", "Lena",
         "Mateo", "Nia", "Omar", "Pia", "Quinn", "Ravi", "Sofia", "Tariq", "Uma", "Viktor", "Wen", "Yara")
SYLLABLES = ("ka", "lo", "mer", "vin", "tor", "sa", "bri", "del", "quo", "ra", "nex", "ul", "po", "zen", "fi")
SUFFIXES = ("Labs", "Health", "Logistics", "Foods", "Capital", "Systems", "Energy", "Retail", "Robotics")
TOPICS = ("onboarding", "renewal pricing", "warehouse routing", "claims intake", "churn", "hiring plan",
          "data migration", "field service scheduling", "invoice matching", "trial conversion")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")

GREETINGS = ("Hi {name},", "Hello {name},", "Hey {name},", "{name},", "Good morning {name},")
SIGNOFFS = ("Best,\n{me}", "Thanks,\n{me}", "Cheers,\n{me}", "Regards,\n{me}\n{me_company}", "-- {me}")
FILLER = (
    "Just checking in to see if you had a moment to look at my last note.",
    "Circling back on the proposal from a couple of weeks ago.",
    "I wanted to touch base and see where things stand on your side.",
    "Bumping this to the top of your inbox in case it got buried.",
    "Following up on my previous email, any updates?",
    "Sorry to bother you again, I know you're busy.",
    "I haven't heard back, so I thought I'd try one more time.",
    "Any thoughts on this?",
    "Is this still a priority for {company}?",
    "Give me a call back when you get a chance.",
    "Let me know if you need anything at all.",
    "How are things going over there?",
    "This is my last email on the subject, I'll stop bugging you after this.",
    "Just wanted to make sure you saw my message about {topic}.",
)
VALUE = (
    "We measured {topic} at {peer} last quarter and cycle time fell {pct}% once approvals moved to one queue.",
    "Here is the {topic} teardown I mentioned, https://{domain}/notes/{slug}, page {page} has the cost model for a team of {size}.",
    "{intro} runs {topic} at {peer}; she offered to spend {minutes} minutes comparing notes with you, want an intro?",
    "You said on the call that {topic} eats {hours} hours a week; which step takes the longest today?",
    "I'll send the revised quote for {size} seats by {day}, with the {pct}% multi-year discount spelled out.",
    "Saw your post about {topic} at {company}; the point about handoffs matches what {peer} found after {months} months.",
    "Does {day} at {hour}:00 work for a {minutes}-minute walkthrough of the {topic} dashboard with your ops lead?",
    "Attached is the {topic} benchmark for companies of {size} people, {company} sits in the top third on cost.",
    "New data from {peer}: {pct}% of {topic} tickets were duplicates, and a nightly merge removed most of them.",
)
SCRIPT_OPENERS = ("Call script, step {step}:", "Voicemail:", "LinkedIn note:", "SMS:")
MERGE_FIELDS = ("{{first_name}}", "{{ company }}", "[Company Name]", "{{case_study_link}}", "*|FNAME|*", "{sender}")


def _word(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def _fields(rng: random.Random) -> dict[str, object]:
    company = f"{_word(rng, 2)} {rng.choice(SUFFIXES)}"
    return {
        "name": rng.choice(FIRST) + (f" {_word(rng, 2)}" if rng.random() < 0.2 else ""),
        "me": rng.choice(FIRST),
        "me_company": f"{_word(rng, 3)} {rng.choice(SUFFIXES)}",
        "company": company,
        "peer": f"{_word(rng, 2)}{rng.choice(('', 'ly', 'io', 'co'))}",
        "intro": f"{rng.choice(FIRST)} {_word(rng, 3)}",
        "topic": rng.choice(TOPICS),
        "domain": f"{_word(rng, 3).lower()}.example",
        "slug": f"{_word(rng, 2).lower()}-{rng.randrange(10_000, 99_999)}",
        "pct": rng.randrange(4, 61),
        "page": rng.randrange(2, 40),
        "size": rng.randrange(12, 4000),
        "minutes": rng.choice((15, 20, 30)),
        "hours": rng.randrange(3, 30),
        "months": rng.randrange(2, 18),
        "day": rng.choice(DAYS),
        "hour": rng.randrange(9, 17),
        "step": rng.randrange(1, 6),
    }


def message(rng: random.Random) -> tuple[str, str]:
    """One synthetic message and its label (``checkin``, ``value`` or ``mixed``)."""
    fields = _fields(rng)
    label = rng.choices(("checkin", "value", "mixed"), weights=(4, 3, 3))[0]
    body: list[str] = []
    if label in ("checkin", "mixed"):
        body += rng.sample(FILLER, rng.randrange(1, 4))
    if label in ("value", "mixed"):
        body += rng.sample(VALUE, rng.randrange(1, 4))
    if label == "mixed":
        rng.shuffle(body)
    text = " ".join(body).format(**fields)
    shape = rng.random()
    if shape < 0.6:  # an email
        parts = [rng.choice(GREETINGS).format(**fields), text, rng.choice(SIGNOFFS).format(**fields)]
        if rng.random() < 0.15:  # a template with merge fields
            parts[0] = f"Hi {rng.choice(MERGE_FIELDS[:3])},"
            parts.insert(2, f"More at {rng.choice(MERGE_FIELDS[3:])}.")
        return "\n\n".join(parts) + "\n", label
    if shape < 0.85:  # a short note, script step or SMS
        return f"{rng.choice(SCRIPT_OPENERS).format(**fields)} {text}\n", label
    return text + "\n", label


def labelled(count: int | None = None, *, seed: int = 0) -> Iterator[tuple[str, str]]:
    """``count`` (text, label) pairs, or an endless stream when ``count`` is None."""
    rng = random.Random(seed)
    produced = 0
    while count is None or produced < count:
        yield message(rng)
        produced += 1


def messages(count: int | None = None, *, seed: int = 0) -> Iterator[str]:
    """``count`` message texts (endless when ``count`` is None)."""
    return (text for text, _ in labelled(count, seed=seed))


def messages_up_to(total_bytes: int, *, seed: int = 0) -> Iterator[str]:
    """Messages until their UTF-8 size adds up to at least ``total_bytes``."""
    size = 0
    for text in messages(seed=seed):
        if size >= total_bytes:
            return
        size += len(text.encode("utf-8"))
        yield text


def write_files(directory: Path, texts: list[str], *, suffix: str = ".txt") -> list[Path]:
    """Write each text to its own file in ``directory``; return the paths in order."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, text in enumerate(texts):
        path = directory / f"msg-{i:06d}{suffix}"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
