"""Extraction from raw text: the patterns of issue 3, each asserted on a text that shows it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsld.corpus.dates import PartialDate, Precision
from newsld.corpus.reader import open_corpus
from newsld.extraction import ClaimKind, Extraction, extract

from .conftest import CORPUS, DATA

PUBLISHED = PartialDate.parse("2018-06-10")  # a Sunday
REGISTRY = open_corpus(CORPUS).registry


def run(text: str, published: PartialDate | None = PUBLISHED) -> Extraction:
    result = extract(text, published, REGISTRY)
    for claim in (*result.claims, *result.unattributed):
        assert text[claim.span.start : claim.span.end] == claim.text
        if claim.speaker is not None and claim.speaker.span is not None:
            assert claim.speaker.span.end <= len(text)
        if claim.date is not None and published is not None:
            assert claim.date.date.first_day <= published.last_day
    return result


def by_text(result: Extraction, words: str):
    found = [c for c in result.claims if words in c.text]
    assert found, f"no claim with {words!r}: {[c.text for c in result.claims]}"
    return found[0]


# -- furniture ----------------------------------------------------------------------------------
FURNITURE = """ date 2018-06-10
Hezbollah and Hamas leaders meet in Beirut
By: John Smith

Hassan Nasrallah hosted a Hamas delegation in Beirut on Thursday. (Photo: Reuters)

"We will stand together against every aggression, whatever it costs us," Nasrallah said.

Hezbollah leader Hassan Nasrallah (Photo: Reuters)
Hezbollah leader Hassan Nasrallah (Photo: Reuters)

Read more: Iran's "axis of resistance" explained

Share this article

Sign up for our daily newsletter and "never miss a story"

Jane Doe contributed to this report.
"""


def test_furniture_is_never_a_claim_and_the_byline_feeds_the_authors() -> None:
    result = run(FURNITURE, None)
    assert result.dateline == PartialDate.parse("2018-06-10")
    assert result.published == result.dateline  # no date given: the printed one, noted
    assert "extract/published-from-dateline" in {p.code for p in result.problems}
    assert [c.text for c in result.claims] == [
        "We will stand together against every aggression, whatever it costs us"
    ]
    assert not result.unattributed  # "axis of resistance" in a link, "never miss…" in a footer
    assert "Jane Doe" in result.authors
    kinds = {f.kind.value for f in result.furniture}
    assert {"dateline", "caption", "link"} <= kinds


def test_sentences_glued_after_a_closing_quote_are_split() -> None:
    text = (
        '"Israel will not accept this new front in the north," Danny Danon said.'
        "The council will meet again on Thursday."
    )
    claim = by_text(run(text), "new front")
    assert claim.speaker is not None and claim.speaker.entity_id == "danny-danon"


# -- direct quotes ------------------------------------------------------------------------------
def test_split_quote_and_a_continuing_paragraph_keep_the_speaker() -> None:
    text = (
        "Israel's ambassador to the UN Danny Danon spoke in New York.\n\n"
        '"We are witnessing the implications of the terror regime in Gaza," Danon said. '
        '"Israel will not sit idly by."\n\n'
        '"This must stop before it is too late for everyone in the region."\n'
    )
    result = run(text)
    assert len(result.claims) == 3
    for claim in result.claims:
        assert claim.kind is ClaimKind.DIRECT
        assert claim.speaker is not None and claim.speaker.entity_id == "danny-danon"
    # "Danon" after "Danny Danon" is the same person, named at the word "Danon"
    first = result.claims[0]
    assert first.speaker is not None and first.speaker.span is not None
    assert text[first.speaker.span.start : first.speaker.span.end] == "Danon"


def test_curly_and_straight_quotes_and_multi_sentence_quotes() -> None:
    text = (
        "“We did not start this war. We will finish it,” Avigdor Liberman said on Thursday.\n\n"
        '"Hamas is trying to open a new front in Lebanon," said Liberman.\n'
    )
    result = run(text)
    first = by_text(result, "We did not start this war. We will finish it")
    assert first.speaker is not None and first.speaker.entity_id == "avigdor-liberman"
    assert first.date is not None and first.date.date == PartialDate.parse("2018-06-07")
    assert first.date.source.lower().endswith("thursday")
    second = by_text(result, "new front")
    assert second.speaker is not None and second.speaker.entity_id == "avigdor-liberman"


def test_partial_quote_inside_reported_speech() -> None:
    text = (
        "Israel charged that Hezbollah's cooperation with Hamas was a “blatant violation” of "
        "Security Council resolutions, Al Joumhouria reported on Saturday.\n"
    )
    result = run(text)
    partial = by_text(result, "blatant violation")
    assert partial.kind is ClaimKind.PARTIAL
    assert partial.speaker is not None and partial.speaker.entity_id == "government-of-israel"


# -- attribution --------------------------------------------------------------------------------
def test_attribution_patterns_of_the_harbour_article() -> None:
    text = (DATA / "extract-attribution-patterns.txt").read_text(encoding="utf-8")
    result = run(text, None)
    assert result.published == PartialDate.parse("2024-03-12")  # the printed dateline
    speakers = {c.text[:30]: c.speaker.name for c in result.claims if c.speaker}
    assert speakers["We cannot wait for the next st"] == "Helen Okafor"  # "…," said Mayor X
    assert speakers["The wall will be finished befo"] == "Helen Okafor"  # split quote
    assert speakers["I have fished here for thirty "] == "Tom Reyes"  # pronoun "he"
    # "…," council treasurer X, who voted against it, said: a lowercase title, a relative clause
    assert speakers["This is the most expensive pro"] == "Paul Brandt"
    # "…," said Brandt's colleague, councillor X, "…": the named apposition, not the description
    assert speakers["It is the right decision"] == "Maria Lindqvist"
    # "the statement said" → the organisation that issued it
    assert speakers["No construction can start befo"] == "Environment Agency"
    assert speakers["Our members have been asking f"] == "Portvale Sailing Club"  # "the PSC"
    assert speakers["Thank you to everyone who sign"] == "Helen Okafor"  # "wrote …:"
    spokesperson = by_text(result, "as fast as the law allows")
    assert spokesperson.speaker is not None and spokesperson.speaker.unnamed
    # "A spokesperson … declined to say …, but told …": the description without "declined to"
    assert spokesperson.speaker.name == "a spokesperson for the agency"
    assert spokesperson.reported_by is not None
    assert spokesperson.reported_by.name == "Coastal Herald"  # "told the Coastal Herald"
    # a banner is not a speaker: listed for curators, never released as a claim
    assert any("waited long enough" in q.text for q in result.unattributed)
    assert not any("waited long enough" in c.text for c in result.claims)


def test_pronoun_resolves_to_the_nearest_compatible_named_antecedent() -> None:
    text = (
        "Nikki Haley met Avigdor Liberman in New York on Monday.\n\n"
        '"Iran is behind every one of these attacks on Israel," she said.\n'
    )
    claim = by_text(run(text), "behind every one")
    assert claim.speaker is not None and claim.speaker.entity_id == "nikki-haley"
    assert claim.speaker.span is not None  # where the article names her
    assert text[claim.speaker.span.start : claim.speaker.span.end] == "Nikki Haley"


def test_a_pronoun_with_no_antecedent_leaves_the_quote_unattributed() -> None:
    result = run('"The situation is very serious and getting worse every day," she said.\n')
    assert not result.claims
    assert [q.text for q in result.unattributed] == [
        "The situation is very serious and getting worse every day"
    ]


def test_descriptions_resolve_to_the_person_they_name() -> None:
    text = (
        "Israel's ambassador to the UN Danny Danon told the Security Council: "
        '"Hezbollah and Hamas are coordinating their attacks."\n'
    )
    claim = by_text(run(text), "coordinating")
    assert claim.speaker is not None and claim.speaker.entity_id == "danny-danon"


def test_anonymous_sources_become_unnamed_speakers_with_their_description() -> None:
    text = '"We will respond to any attack from Lebanon," an Israeli official told reporters.\n'
    claim = by_text(run(text), "respond to any attack")
    assert claim.speaker is not None and claim.speaker.unnamed
    assert claim.speaker.name == "an Israeli official"


def test_organisations_speak_through_statements() -> None:
    text = (
        "The Foreign Ministry said in a statement on Saturday that Israel had sent a letter to "
        "the United Nations Security Council.\n\n"
        'A statement released by Hezbollah said: "The resistance is ready for any war."\n'
    )
    result = run(text)
    ministry = [c for c in result.claims if c.kind is ClaimKind.INDIRECT]
    assert ministry and ministry[0].speaker is not None
    assert ministry[0].speaker.kind.value == "Organization"
    assert "Foreign Ministry" in ministry[0].speaker.name or ministry[0].speaker.entity_id
    direct = by_text(result, "ready for any war")
    assert direct.speaker is not None and direct.speaker.entity_id == "hezbollah"


def test_reported_speech_verbs_give_indirect_claims() -> None:
    text = (
        "Avigdor Liberman warned that Hamas was building a new front in southern Lebanon.\n\n"
        "Hezbollah denied the report.\n\n"
        "Hassan Nasrallah vowed that Hezbollah would defend Lebanon against any attack.\n"
    )
    result = run(text)
    indirect = {c.speaker.entity_id for c in result.claims if c.kind is ClaimKind.INDIRECT}
    assert {"avigdor-liberman", "hassan-nasrallah"} <= indirect
    warned = by_text(result, "Hamas was building a new front")
    assert warned.kind is ClaimKind.INDIRECT


def test_a_title_a_relative_clause_or_an_apposition_around_the_name_still_name_the_speaker() -> (
    None
):
    text = (
        "Harbour council approves new sea wall\n\n"
        '"The wall is far too expensive for a town of this size," council treasurer Paul Brandt '
        "said.\n\n"
        'A spokesperson for the agency, who asked not to be named, said: "We are working as fast '
        'as the law allows."\n\n'
        '"It is the right decision for all of us," said a colleague of Brandt, councillor Maria '
        "Lindqvist.\n\n"
        'The mayor went on to say: "The town cannot wait for another winter like this one."\n'
    )
    result = run(text)
    assert by_text(result, "far too expensive").speaker.name == "Paul Brandt"
    spokesperson = by_text(result, "as fast as the law allows").speaker
    assert spokesperson.unnamed and spokesperson.name == "a spokesperson for the agency"
    assert by_text(result, "right decision for all").speaker.name == "Maria Lindqvist"
    assert by_text(result, "cannot wait for another").speaker.name == "the mayor"


def test_promises_and_adjuncts_before_that_give_the_reported_clause() -> None:
    text = (
        "Mayor Helen Okafor boasted last week that the harbour would be the safest on the coast."
        "\n\nOkafor vowed to finish the wall before the autumn storms arrive.\n\n"
        "The Environment Agency said in a statement on Friday that the project still needed its "
        "approval.\n"
    )
    result = run(text)
    boasted = by_text(result, "safest on the coast")
    assert boasted.kind is ClaimKind.INDIRECT and boasted.speaker.name == "Helen Okafor"
    assert boasted.text == "the harbour would be the safest on the coast"  # not "boasted last week"
    assert boasted.date is not None and boasted.date.source == "last week"
    vowed = by_text(result, "finish the wall")
    assert vowed.kind is ClaimKind.INDIRECT and vowed.speaker.name == "Helen Okafor"
    assert vowed.text == "vowed to finish the wall before the autumn storms arrive"
    agency = by_text(result, "still needed its approval")
    assert agency.text == "the project still needed its approval"  # not "statement that …"
    assert agency.speaker.name == "Environment Agency"
    assert agency.date is not None and agency.date.date == PartialDate.parse("2018-06-08")


def test_a_chain_keeps_the_speaker_and_the_reporting_outlet() -> None:
    text = (
        "Hassan Nasrallah confirmed that Hezbollah had hosted Hamas leaders in Beirut, the "
        "Hezbollah-linked Al-Manar reported.\n"
    )
    claim = by_text(run(text), "hosted Hamas leaders")
    assert claim.speaker is not None and claim.speaker.entity_id == "hassan-nasrallah"
    assert claim.reported_by is not None and claim.reported_by.entity_id == "al-manar"


# -- dates --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("expression", "date", "precision"),
    [
        ("on Thursday", "2018-06-07", Precision.DAY),
        ("on Saturday", "2018-06-09", Precision.DAY),
        ("last month", "2018-05", Precision.MONTH),
        ("in November", "2017-11", Precision.MONTH),  # a later month of the year: last year's
        ("in January", "2018-01", Precision.MONTH),
        ("last week", "2018-W22", Precision.WEEK),
        ("this week", "2018-W23", Precision.WEEK),
        ("earlier this year", "2018", Precision.YEAR),
    ],
)
def test_dates_resolve_against_publication_with_their_precision(
    expression: str, date: str, precision: Precision
) -> None:
    text = f'"Hamas is building a new front in southern Lebanon," Danny Danon said {expression}.\n'
    claim = by_text(run(text), "new front")
    assert claim.date is not None
    assert claim.date.date.precision is precision
    assert claim.date.date.form == date
    assert claim.date.source.lower().endswith(expression.split()[-1].lower())


def test_without_a_date_expression_the_claim_is_dated_by_publication_and_says_so() -> None:
    claim = by_text(run('"We are ready for anything," Danny Danon said.\n'), "ready")
    assert claim.date is not None
    assert claim.date.date == PUBLISHED and claim.date.source == "publication"


def test_without_any_publication_date_claims_have_no_date_and_the_problem_is_reported() -> None:
    result = run('"We are ready for anything," Danny Danon said on Thursday.\n', None)
    assert result.claims and result.claims[0].date is None
    assert "extract/no-publication-date" in {p.code for p in result.problems}


@settings(max_examples=60, deadline=None)
@given(
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31)),
    st.sampled_from(
        [
            "on Monday",
            "on Friday",
            "in December",
            "in March",
            "last week",
            "last month",
            "in recent weeks",
            "earlier this year",
            "on December 31",
        ]
    ),
)
def test_a_resolved_date_is_never_after_publication(day: dt.date, expression: str) -> None:
    published = PartialDate.parse(day.isoformat())
    text = f'"We will answer every attack on our people," Danny Danon said {expression}.\n'
    result = run(text, published)
    for claim in result.claims:
        assert claim.date is not None
        assert claim.date.date.first_day <= day


def _month_day_cases() -> list[tuple[str, dt.date]]:
    """Every month and day (but February 29), with bases the day before, the day itself and the
    day after; and bases at the turn of a year and around a leap day."""
    from newsld.extraction.dates import _MONTH_NUMBERS

    names = {number: name for name, number in _MONTH_NUMBERS.items()}
    cases = []
    for ordinal in range(365):
        day = dt.date(2021, 1, 1) + dt.timedelta(days=ordinal)
        expression = f"{names[day.month]} {day.day}"
        cases += [(expression, day + dt.timedelta(days=offset)) for offset in (-1, 0, 1)]
    for base in (dt.date(2019, 12, 31), dt.date(2020, 1, 1), dt.date(2020, 2, 29)):
        cases += [(f"{names[m]} {d}", base) for m, d in ((12, 31), (1, 1), (2, 28), (3, 1))]
    return cases


def test_weekdays_and_month_days_resolve_as_dateparser_resolves_them() -> None:
    """The shortcut that spares dateparser the commonest expressions gives its answers."""
    from newsld.extraction.dates import _WEEKDAY_NUMBERS, _dateparser_parse, _quick_parse

    cases = [
        (name, dt.date(2019, 12, 20) + dt.timedelta(days=offset))
        for name in _WEEKDAY_NUMBERS
        for offset in range(0, 75, 3)
    ]
    cases += _month_day_cases()
    for expression, base in cases:
        quick = _quick_parse(expression, base)
        assert quick is not None, expression
        assert quick == _dateparser_parse(expression, base), (expression, base)
    for unusual in ("February 29", "April 31", "April 05", "april 5", "friday", "Friday night"):
        assert _quick_parse(unusual, dt.date(2021, 6, 1)) is None


# -- events -------------------------------------------------------------------------------------
def test_meetings_and_letters_with_participants_place_and_date() -> None:
    text = (
        "Saleh al-Arouri met with Hassan Nasrallah in Beirut in early November.\n\n"
        "Israel sent a letter to the UN Security Council on Saturday.\n"
    )
    events = {e.type: e for e in run(text).events}
    meeting = events["meeting"]
    assert {p.entity_id for p in meeting.participants} == {"saleh-al-arouri", "hassan-nasrallah"}
    assert meeting.place is not None and meeting.place.entity_id == "beirut"
    assert meeting.date is not None and meeting.date.date.form == "2017-11"
    assert text[meeting.span.start : meeting.span.end].startswith("Saleh al-Arouri met")
    letter = events["letter"]
    assert [p.entity_id for p in letter.participants] == ["israel"]
    assert [p.entity_id for p in letter.recipients] == ["united-nations-security-council"]
    assert letter.date is not None and letter.date.date.form == "2018-06-09"


def test_rocket_attacks_are_events() -> None:
    text = "Hamas fired rockets at Israel from Gaza on Saturday.\n"
    events = run(text).events
    assert [e.type for e in events] == ["attack"]
    assert "hamas" in {p.entity_id for p in events[0].participants}
    assert events[0].date is not None and events[0].date.date.form == "2018-06-09"


# -- bad input ----------------------------------------------------------------------------------
def test_empty_text_and_text_without_quotes() -> None:
    assert run("").problems[0].code == "extract/empty"
    assert run("   \n\n ").claims == ()
    result = run("The weather in Beirut was warm and dry for most of the week.\n")
    assert result.claims == () and result.unattributed == ()


def test_unbalanced_quote_marks_are_reported_not_fatal() -> None:
    result = run('Danny Danon said: "This will not stand and we will respond.\n\nThe end.\n')
    assert "extract/unbalanced-quote" in {p.code for p in result.problems}


def test_windows_line_endings_give_offsets_into_the_text_as_given() -> None:
    unix = (DATA / "extract-attribution-patterns.txt").read_text(encoding="utf-8")
    windows = unix.replace("\n", "\r\n")
    a, b = run(unix, PUBLISHED), run(windows, PUBLISHED)
    assert [c.text for c in a.claims] == [c.text for c in b.claims]
    assert [c.span.start for c in b.claims] == [
        c.span.start + unix.count("\n", 0, c.span.start) for c in a.claims
    ]


def test_a_text_over_the_size_limit_is_reported_not_truncated() -> None:
    big = '"We are ready," Danny Danon said.\n' * 160_000  # about 5.4 MB
    result = run(big)
    assert result.claims == ()
    assert [p.code for p in result.problems] == ["extract/too-large"]
    assert "not truncated" in result.problems[0].message


def test_control_characters_do_not_shift_offsets() -> None:
    text = '\x00"We are ready for anything," Danny Danon\x07 said.\n'
    claim = run(text).claims[0]
    assert claim.span.start == 2 and claim.speaker is not None


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab \"“”‘’'.,:;\n\r—-HeSaidX")), max_size=300))
def test_arbitrary_text_never_raises_and_offsets_hold(text: str) -> None:
    run(text)


def test_extraction_is_deterministic() -> None:
    text = (CORPUS / "articles" / "win-2018-06-10-hezbollah-helps-hamas.txt").read_text("utf-8")
    assert run(text) == run(text)


def test_the_seed_texts_extract_in_linear_time(tmp_path: Path) -> None:
    """A text twice as long takes about twice as long (generous bound: no quadratic rules)."""
    import time

    text = (CORPUS / "articles" / "toi-2018-06-10-hamas-hezbollah-train-thousands.txt").read_text(
        "utf-8"
    )
    run(text)  # warm up dateparser

    def seconds(copies: int) -> float:
        """The fastest of three runs: a pause of the machine or the collector is not the code's."""
        body = "\n\n".join([text] * copies)
        fastest = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            extract(body, PUBLISHED, REGISTRY)
            fastest = min(fastest, time.perf_counter() - started)
        return fastest

    small, large = seconds(4), seconds(16)
    assert large < 4 * small * 2.5, (small, large)
