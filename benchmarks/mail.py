"""A benchmark corpus that looks like real mail: every message different, words drawn from
real English frequencies.

:mod:`benchmarks.corpus` assembles messages from a few dozen fixed fragments, so after a
few hundred messages a linter has seen nearly every word it will ever meet; caches of any
kind (a regex engine's lazy DFA, a tokenizer's cache, a string store) look far better on it
than on real mail, where each message brings words never seen before. This generator draws
the prose of each message from a Zipf-distributed English vocabulary (the ``wordfreq``
package's frequency list, 30,000 words, weighted by frequency), and wraps it the way sales
mail arrives: a greeting, names, companies, numbers, prices, dates, URLs, merge fields,
check-in and value phrasing in varied wording, a signature, and now and then a quoted
reply under an "On ... wrote:" line. No two messages are the same (checked as they are
made). Needs the ``bench`` extra (``pip install -e ".[bench]"``)::

    from benchmarks.mail import messages
    texts = list(messages(3000, seed=7))
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Iterator
from functools import lru_cache

from benchmarks.corpus import DAYS, FILLER, FIRST, MERGE_FIELDS, SUFFIXES, VALUE

VOCABULARY = 30_000
"""Words taken from the top of wordfreq's English list (the long tail is what makes text diverse)."""

LAST = ("Okafor", "Lindqvist", "Moreau", "Nakamura", "Haddad", "Kowalski", "Oliveira", "Brennan", "Achterberg",
        "Sato", "Mensah", "Petrov", "Quispe", "Rahman", "Schulz", "Tanaka", "Udeh", "Varga", "Whitfield", "Zhou")
TITLES = ("Account Executive", "Head of Partnerships", "Solutions Engineer", "VP Sales", "Customer Success Lead",
          "Founder", "Business Development Rep", "Regional Director")
CHECKIN_OPENERS = (
    "Just checking in on {topic}.", "Circling back on {topic}.", "Following up on my last email about {topic}.",
    "Wanted to bump this up in your inbox.", "Touching base to see if {topic} is still on your radar.",
    "Any update on {topic}?", "Did you get a chance to look at what I sent over?",
    "Sorry to bother you again about {topic}.", "I know you're busy, but did you see my note?",
    "Haven't heard back, so trying once more.", "Just following up here.",
)
VALUE_LINES = (
    "{company} cut {topic} time by {pct}% after they {verb} the {noun} step; the write-up is at {url}.",
    "Quick idea on {topic}: your {noun} page lists {size} {noun2}s, which usually means the {noun3} queue is the bottleneck.",
    "{intro} at {peer} solved the same {noun} problem last {month}, happy to introduce you two.",
    "Would {day} at {hour}:{minute:02d} work to walk through the {noun} numbers with your {title}?",
    "I'll send the {topic} draft by {day} with pricing for {size} seats at ${price:,}.",
    "Which part of {topic} takes your team the longest: the {noun}, the {noun2} or the {noun3}?",
    "Attached is a {pages}-page summary of how {peer} handled {noun} during their {month} rollout.",
)
QUOTE_INTROS = ("On {day}, {month} {date}, {name} <{email}> wrote:", "-----Original Message-----\nFrom: {name}",
                "On {date} {month} {year}, at {hour}:{minute:02d}, {name} wrote:")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
TLDS = ("com", "io", "co", "net", "org", "ai")


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[list[str], list[float]]:
    """The words and their cumulative frequency weights (for Zipf-faithful sampling)."""
    from wordfreq import top_n_list, word_frequency

    words = [w for w in top_n_list("en", VOCABULARY) if w.isalpha()]
    weights = list(itertools.accumulate(word_frequency(w, "en") for w in words))
    return words, weights


def _words(rng: random.Random, count: int) -> list[str]:
    words, weights = _vocabulary()
    total = weights[-1]
    return [words[bisect.bisect_left(weights, rng.random() * total)] for _ in range(count)]


def _content(rng: random.Random) -> str:
    """A content word from the less common half of the vocabulary (topics, nouns)."""
    words, _ = _vocabulary()
    return words[rng.randrange(300, len(words))]


def _sentence(rng: random.Random) -> str:
    """A sentence of Zipf-drawn words, with a number or a name now and then."""
    words = _words(rng, rng.randrange(6, 22))
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words)), str(rng.choice((rng.randrange(2, 100), rng.randrange(100, 10_000)))))
    if rng.random() < 0.2:
        words.insert(rng.randrange(len(words)), rng.choice(FIRST))
    words[0] = words[0].capitalize()
    cut = rng.random()
    if cut < 0.25 and len(words) > 8:
        words[len(words) // 2] += ","
    return " ".join(words) + rng.choice((".", ".", ".", "?", "!"))


def _fields(rng: random.Random) -> dict[str, object]:
    company = f"{_content(rng).capitalize()} {rng.choice(SUFFIXES)}"
    domain = f"{_content(rng)}{rng.choice(('', 'hq', 'app', 'labs'))}.{rng.choice(TLDS)}"
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    return {
        "name": name.split()[0], "full": name, "company": company, "peer": _content(rng).capitalize() + rng.choice(("", "ly", "io")),
        "intro": f"{rng.choice(FIRST)} {rng.choice(LAST)}", "topic": f"{_content(rng)} {_content(rng)}",
        "noun": _content(rng), "noun2": _content(rng), "noun3": _content(rng), "verb": _content(rng) + "ed",
        "url": f"https://{domain}/{_content(rng)}/{rng.randrange(100, 99_999)}", "title": rng.choice(TITLES).lower(),
        "pct": rng.randrange(3, 70), "size": rng.randrange(5, 5000), "price": rng.randrange(900, 250_000),
        "day": rng.choice(DAYS), "month": rng.choice(MONTHS), "date": rng.randrange(1, 29), "year": rng.randrange(2019, 2027),
        "hour": rng.randrange(8, 18), "minute": rng.choice((0, 15, 30, 45)), "pages": rng.randrange(2, 30),
        "email": f"{name.split()[0].lower()}@{domain}", "minutes": rng.choice((15, 20, 30)), "hours": rng.randrange(2, 40),
        "months": rng.randrange(2, 18), "slug": f"{_content(rng)}-{rng.randrange(1000, 9999)}",
        "domain": domain, "page": rng.randrange(2, 40), "step": rng.randrange(1, 6),
    }


def message(rng: random.Random) -> tuple[str, str]:
    """One message and its label (``checkin``, ``value`` or ``mixed``)."""
    f = _fields(rng)
    label = rng.choices(("checkin", "value", "mixed"), weights=(4, 3, 3))[0]
    body = [_sentence(rng) for _ in range(rng.randrange(1, 6))]
    if label in ("checkin", "mixed"):
        body.insert(0, rng.choice(CHECKIN_OPENERS).format(**f))
        body += [line.format(**f) for line in rng.sample(FILLER, rng.randrange(0, 3))]
    if label in ("value", "mixed"):
        picks = rng.sample(VALUE_LINES, rng.randrange(1, 3)) + rng.sample(VALUE, rng.randrange(0, 2))
        for line in picks:
            body.insert(rng.randrange(len(body) + 1), line.format(**f))
    if rng.random() < 0.1:
        body.insert(rng.randrange(len(body) + 1), f"More at {rng.choice(MERGE_FIELDS[3:])}.")
    paragraphs, i = [], 0
    while i < len(body):
        step = rng.randrange(1, 4)
        paragraphs.append(" ".join(body[i:i + step]))
        i += step
    greeting = rng.choice(("Hi {name},", "Hello {name},", "Hey {name},", "{name},", "Dear {full},"))
    if rng.random() < 0.15:
        greeting = f"Hi {rng.choice(MERGE_FIELDS[:3])},"
    sender = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    signature = rng.choice(("Best,", "Thanks,", "Cheers,", "Regards,", "--")) + f"\n{sender}"
    if rng.random() < 0.5:
        signature += f"\n{rng.choice(TITLES)}, {f['company']}\n+1 {rng.randrange(200, 999)} {rng.randrange(100, 999)} {rng.randrange(1000, 9999)}"
    parts = [greeting.format(**f), *paragraphs, signature]
    if rng.random() < 0.25:
        quoted = [_sentence(rng) for _ in range(rng.randrange(1, 5))]
        parts.append(rng.choice(QUOTE_INTROS).format(**f) + "\n" + "\n".join("> " + q for q in quoted))
    return "\n\n".join(parts) + "\n", label


def labelled(count: int | None = None, *, seed: int = 0) -> Iterator[tuple[str, str]]:
    """``count`` distinct (text, label) pairs, or an endless stream when ``count`` is None."""
    rng = random.Random(seed)
    seen: set[int] = set()
    produced = 0
    while count is None or produced < count:
        text, label = message(rng)
        key = hash(text)
        if key in seen:
            continue
        seen.add(key)
        produced += 1
        yield text, label


def messages(count: int | None = None, *, seed: int = 0) -> Iterator[str]:
    """``count`` distinct message texts (endless when ``count`` is None)."""
    return (text for text, _ in labelled(count, seed=seed))
