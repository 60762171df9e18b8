"""A deterministic synthetic corpus for benchmarks: same arguments, same bytes.

``python -m benchmarks.synth OUT --articles 10000`` writes OUT/dataset.yaml, OUT/registry.yaml and
OUT/articles/*.yaml + *.txt: articles of realistic length (2–6 KB of text) with quotes,
attributions and dates in the text, a handful of curated claims and events per record that point
at that text, and a shared registry of people, organisations, outlets and places.

Planted variants (for the identity benchmark): about one article in five also carries a report
of one of a pool of statements, which several articles report verbatim, with other punctuation,
quote marks or case, an editorial insertion, elided, truncated, reordered, quoted in part or
inside a longer quote; and near misses that must stay apart (the words negated or one word
changed, or the same words from another speaker). ``planted.json`` lists each report: article
key, claim key, and the statement it belongs to (a near miss is a statement of its own).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from pathlib import Path

import yaml

FIRST = [
    "Amir",
    "Dana",
    "Yossi",
    "Leila",
    "Omar",
    "Noa",
    "Karim",
    "Maya",
    "Tariq",
    "Ruth",
    "Samir",
    "Tamar",
    "Hadi",
    "Yael",
    "Nabil",
    "Shira",
    "Rami",
    "Avi",
    "Lina",
    "Eli",
]
LAST = [
    "Haddad",
    "Cohen",
    "Khalil",
    "Levi",
    "Nasser",
    "Mizrahi",
    "Saleh",
    "Peretz",
    "Aziz",
    "Friedman",
    "Darwish",
    "Katz",
    "Mansour",
    "Biton",
    "Hamdan",
    "Shapiro",
    "Barakat",
    "Golan",
]
ORGS = [
    "Ministry of Foreign Affairs",
    "Defense Ministry",
    "Interior Ministry",
    "Council",
    "Security Cabinet",
    "Party",
    "Movement",
    "Brigades",
    "Commission",
    "Agency",
]
PLACES = [
    "Beirut",
    "Jerusalem",
    "Gaza",
    "Tehran",
    "Damascus",
    "Cairo",
    "Amman",
    "Ramallah",
    "Haifa",
    "Tyre",
    "Sidon",
    "Doha",
    "Ankara",
    "Baghdad",
    "Riyadh",
    "Geneva",
    "Vienna",
]
VERBS = ["said", "told reporters", "said in a statement", "warned", "stressed"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_PROSE = (
    "the talks would continue despite the pressure from all sides and that no agreement "
    "had been reached on the border the ceasefire security forces officials were preparing "
    "a response to the attacks on the region while diplomats in the capital said the "
    "government had no plans to change its position on the issue"
)
WORDS = _PROSE.split()
SITE = "https://news.example/"  # a reserved domain: synthetic pages and images
NAMED_RATE = 0.3  # of curated quotes, those that name a place
EVENT_TYPES = ["meeting", "letter", "appeal", "attack", "strike", "statement", "visit"]


def _sentence(rng: random.Random, low: int = 8, high: int = 22) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def registry(rng: random.Random, people: int, orgs: int) -> dict[str, dict[str, object]]:
    entities: dict[str, dict[str, object]] = {}
    for i in range(people):
        first, last = FIRST[i % len(FIRST)], LAST[(i // len(FIRST)) % len(LAST)]
        name = f"{first} {last}" + (
            f" {chr(65 + i // (len(FIRST) * len(LAST)))}." if i >= len(FIRST) * len(LAST) else ""
        )
        key = f"person-{i:05d}"
        entities[key] = {"type": "Person", "name": name, "url": f"{SITE}people/{key}"}
    for i in range(orgs):
        name = f"{rng.choice(PLACES)} {ORGS[i % len(ORGS)]} {i}"
        entities[f"org-{i:05d}"] = {"type": "Organization", "name": name}
    for i in range(40):
        entities[f"outlet-{i:03d}"] = {
            "type": "NewsMediaOrganization",
            "name": f"Daily Herald {i}",
            "url": f"{SITE}outlet-{i:03d}/",
            "logo": f"{SITE}outlet-{i:03d}/logo.png",
        }
    for i, place in enumerate(PLACES):
        entities[f"place-{i:03d}"] = {"type": "City", "name": place}
    return entities


def article(
    rng: random.Random,
    key: str,
    people: list[tuple[str, str]],
    orgs: list[str],
    places: list[str],
    outlets: list[str],
    published: dt.date,
) -> tuple[str, dict[str, object]]:
    speakers = rng.sample(people, 4)
    paragraphs = [f"By: {rng.choice(FIRST)} {rng.choice(LAST)}"]
    claims = []
    for speaker_id, name in speakers:
        body = " ".join(_sentence(rng) for _ in range(rng.randint(2, 4)))
        quote = _sentence(rng, 10, 25)[:-1]
        # some quotes name a place (what claims' entity links find); drawn apart from ``rng``,
        # so that the rest of the corpus is what it was before quotes named any
        aside = random.Random(f"{key}/{speaker_id}")
        if aside.random() < NAMED_RATE:
            quote += f" in {aside.choice(PLACES)}"
        days_back = rng.randint(0, 6)
        when = published - dt.timedelta(days=days_back)
        weekday = WEEKDAYS[when.weekday()]
        paragraphs.append(body)
        paragraphs.append(f"“{quote},” {name} {rng.choice(VERBS)} on {weekday}.")
        claims.append(
            {"text": quote, "kind": "direct", "speaker": speaker_id, "date": when.isoformat()}
        )
    events = []
    for _ in range(rng.randint(1, 2)):
        a, b = rng.sample(people, 2)
        place = rng.choice(places)
        when = published - dt.timedelta(days=rng.randint(1, 20))
        paragraphs.append(
            f"{a[1]} met {b[1]} in the city on {when:%B} {when.day}. " + _sentence(rng)
        )
        event = {
            "type": rng.choice(EVENT_TYPES),
            "participants": [a[0], b[0]],
            "place": place,
            "date": when.isoformat(),
        }
        if rng.random() < 0.1:  # a warning for the gate to find (event/missing-place)
            del event["place"]
        events.append(event)
    while sum(len(p) for p in paragraphs) < rng.randint(2000, 6000):
        paragraphs.append(" ".join(_sentence(rng) for _ in range(4)))
    headline = _sentence(rng, 6, 12)[:-1]
    text = headline + "\n\n" + "\n\n".join(paragraphs) + "\n"
    record = {
        "id": key,
        "text_file": f"{key}.txt",
        "headline": headline,
        "authors": [rng.choice(people)[0]],
        "publisher": rng.choice(outlets),
        "date_published": published.isoformat(),
        "language": "en",
        "url": f"{SITE}articles/{key}",  # the markup Google recommends, complete
        "image": [f"{SITE}images/{key}.jpg"],
        "cites": rng.sample(outlets, 2),
        "about": rng.sample(orgs, 2),
        "mentions": [s[0] for s in speakers],
        "claims": claims,
        "events": events,
    }
    if rng.random() < 0.05:  # a warning for the gate to find (article/missing-language)
        del record["language"]
    return text, record


PLANT_RATE = 0.2  # of articles, those that report a planted statement
VARIANTS = ("verbatim", "punctuation", "insertion", "elided", "truncated", "reordered", "part")
VARIANTS += ("longer",)
NEAR_MISSES = ("negated", "changed", "other-speaker")


def planted(rng: random.Random, words: list[str], how: str) -> str:
    """A report of a statement (``words``) as ``how`` says: a variant, or a near miss."""
    n = len(words)
    if how == "punctuation":
        cut = rng.randint(3, n - 3)
        return " ".join(words[:cut]).upper() + ", " + " ".join(words[cut:]) + "!"
    if how == "insertion":
        cut = rng.randint(2, n - 2)
        return " ".join([*words[:cut], "[in the city]", *words[cut:]])
    if how == "elided":
        cut = rng.randint(3, n - 6)
        return " ".join(words[:cut]) + " … " + " ".join(words[cut + rng.randint(2, 3) :])
    if how == "truncated":
        return " ".join(words[: rng.randint(n * 6 // 10, n - 2)])
    if how == "reordered":
        cut = rng.randint(2, n - 3)
        swapped = [*words[:cut], words[cut + 1], words[cut], *words[cut + 2 :]]
        return " ".join(swapped)
    if how == "part":
        length = rng.randint(5, 8)
        start = rng.randint(1, n - length)
        return " ".join(words[start : start + length])
    if how == "longer":
        return " ".join(words) + ". " + _sentence(rng)[:-1]
    if how == "negated":
        cut = rng.randint(2, n - 2)
        return " ".join([*words[:cut], "not", *words[cut:]])
    if how == "changed":
        at = rng.randint(1, n - 1)
        other = rng.choice([w for w in WORDS if w != words[at]])
        return " ".join([*words[:at], other, *words[at + 1 :]])
    return " ".join(words)  # verbatim, other-speaker


def generate(out: Path, articles: int, seed: int = 1) -> Path:
    rng = random.Random(seed)
    (out / "articles").mkdir(parents=True, exist_ok=True)
    entities = registry(rng, people=2000, orgs=400)
    people = [(k, str(v["name"])) for k, v in entities.items() if k.startswith("person-")]
    orgs = [k for k in entities if k.startswith("org-")]
    places = [k for k in entities if k.startswith("place-")]
    outlets = [k for k in entities if k.startswith("outlet-")]
    (out / "registry.yaml").write_text(yaml.safe_dump({"entities": entities}, sort_keys=True))
    (out / "dataset.yaml").write_text(
        yaml.safe_dump(
            {
                "base_iri": "https://example.org/synthetic/",
                "title": "synthetic benchmark corpus",
                "version": "0.0.0",
                "issued": "2024-01-01",
            }
        )
    )
    start = dt.date(2015, 1, 1)
    # the statements planted in several articles, their speakers drawn apart from the others'
    plant = random.Random(seed + 1)
    pool = [
        (plant.choice(people), _sentence(plant, 12, 18)[:-1].split())
        for _ in range(max(1, articles // 25))
    ]
    truth: list[list[str]] = []
    for i in range(articles):
        key = f"synthetic-{i:07d}"
        published = start + dt.timedelta(days=rng.randint(30, 3000))
        text, record = article(rng, key, people, orgs, places, outlets, published)
        if plant.random() < PLANT_RATE:
            index = plant.randrange(len(pool))
            (speaker_id, name), words = pool[index]
            statement = f"s{index}"
            how = plant.choice(VARIANTS)
            if plant.random() < 0.15:
                how = plant.choice(NEAR_MISSES)
                statement = f"s{index}-{how}-{key}"
                if how == "other-speaker":
                    speaker_id, name = plant.choice([p for p in people if p[0] != speaker_id])
            quote = planted(plant, words, how)
            text += f"\n“{quote},” {name} said.\n"
            claims = record["claims"]
            assert isinstance(claims, list)
            claims.append(
                {
                    "key": "planted",
                    "text": quote,
                    "kind": "direct",
                    "speaker": speaker_id,
                    "date": published.isoformat(),
                }
            )
            truth.append([key, "planted", statement, how])
        (out / "articles" / f"{key}.txt").write_text(text, encoding="utf-8")
        (out / "articles" / f"{key}.yaml").write_text(
            yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
    (out / "planted.json").write_text(json.dumps(truth, indent=0) + "\n", encoding="utf-8")
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.out, args.articles, args.seed)
    print(f"wrote {args.articles} articles to {args.out}")
