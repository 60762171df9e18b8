"""The shortcuts of the extraction scans find what the plain scans they replace find."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsld.corpus.dates import PartialDate
from newsld.extraction.dates import EXPRESSIONS, DateResolver
from newsld.extraction.model import Span
from newsld.extraction.sequences import JOINERS, tokens

# words of date expressions and near misses, in several cases, and characters that lowercasing
# lengthens ("İ") or that matching without case equates with an ASCII letter ("ı", "ſ", "K")
_DATE_WORDS = [
    *("on", "On", "since", "by", "from", "until", "the", "5th", "12", "of", "January", "JANUARY"),
    *("Jan.", "Sept.", "May", "may", "mayor", "Monday", "MONDAY", "holiday", "today", "tonight"),
    *("yesterday", "earlier", "later", "in", "this", "past", "last", "just", "week", "weekend"),
    *("month", "year", "days", "weeks", "ago", "a", "few", "a few", "several", "three", "over"),
    *("recent", "previous", "2019", "2019-20", "mid-", "mid", "early", "during", "morning", "upon"),
    *("uponMonday", "decision", "said", "“", "”", "–", ",", ".", "İ", "ı", "ſince", "Kelvin", "Σ"),
    # the expressions with the most white space before a hint
    *("over the past few days", "over  the\npast few\tdays", "on the 5th of January"),
    *(
        "on  the 5th\nof  January",
        "just earlier this week",
        "earlier in the year",
        "in recent weeks",
    ),
]
_SPACES = [" ", " ", "  ", "\n", "\t", "", "\u00a0", "         "]
_NAME_WORDS = [
    *("al-Assad", "al-", "al", "de's", "del", "della", "of.", "of", "for", "Of", "and", "And", "&"),
    *("5th", "x_y", "_abc", "İstanbul", "über", "’s", "'s", "s'", "'", "-", ".", "the", "said"),
    *("Mr.", "U.S.", "Danny", "Danon", "bin", "ibn-Saud", "el-Sisi", "abu", "ofs'", "Iran's", "٣٤"),
]


def _texts(words: list[str]) -> st.SearchStrategy[str]:
    piece = st.tuples(st.sampled_from(words), st.sampled_from(_SPACES)).map("".join)
    return st.lists(piece, min_size=1, max_size=25).map("".join)


@settings(max_examples=400, deadline=None)
@given(_texts(_DATE_WORDS), st.data())
def test_the_date_scan_finds_what_finditer_finds(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    span = Span(start, data.draw(st.integers(start, len(text))))
    resolver = DateResolver(PartialDate.parse("2020-05-17"))
    for scanned in (Span(0, len(text)), span):
        expected = [
            (m.span(), m.lastgroup) for m in EXPRESSIONS.finditer(text, scanned.start, scanned.end)
        ]
        found = [(m.span(), m.lastgroup) for m in resolver._expressions(text, scanned)]
        assert found == expected


@settings(max_examples=400, deadline=None)
@given(_texts(_NAME_WORDS))
def test_name_tokens_leave_out_only_words_that_end_a_sequence(text: str) -> None:
    everything = tokens(text, Span(0, len(text)))
    kept = tokens(text, Span(0, len(text)), names_only=True)
    assert set(kept) <= set(everything)
    for token in set(everything) - set(kept):
        assert not token.capitalised and token.text not in JOINERS, token


def test_every_event_trigger_holds_a_trigger_word() -> None:
    from newsld.extraction.events import _TRIGGER, _TRIGGER_WORDS

    phrases = [
        *("sent a letter", "wrote an open letters", "appealed to", "appeals to", "appeal to"),
        *("visited", "visits", "his visit to", "trip to", "travelled to", "traveled to"),
        *("delegation to", "arrived in", "met", "meets", "meeting with", "held talks"),
        *("held a meeting", "air strikes", "airstrike", "strikes on", "strike on", "struck"),
        *("shelling", "shelled", "bombed", "bombing", "responded by attacking", "retaliated"),
        *("fired two rockets", "launched missiles", "launch of mortars", "firing of a rocket"),
        *("rocket attacks", "terror attack", "mortar fire", "rockets were fired", "agreed to"),
        *("reached a deal", "reached an interim agreement", "signed a peace accord"),
    ]
    for phrase in phrases:
        assert _TRIGGER.fullmatch(phrase), phrase
        assert _TRIGGER_WORDS.search(phrase), phrase


_VERB_WORDS = [
    *("said", "SAID", "Said", "ſaid", "told", "tells", "according to", "According  to", "in the"),
    *("words of", "sent a", "letter", "communiqué", "COMMUNIQUÉ", "released", "an", "İ", "ı", "Σ"),
    *("Kelvin", "K", "wrote", "out", "pointed", "stated", "in a", "statement", "x", ",", "“", "."),
]


@settings(max_examples=400, deadline=None)
@given(_texts(_VERB_WORDS), st.data())
def test_the_lowercase_verb_pattern_finds_what_it_finds(text: str, data: st.DataObject) -> None:
    from newsld.extraction.casefree import lowercased
    from newsld.extraction.cues import _VERB, _VERB_LOWER

    lowered = lowercased(text)
    if lowered is None:
        assert any(c in text for c in "İıſ")
        return
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    expected = [(m.span(), m.group().lower()) for m in _VERB.finditer(text, start, end)]
    found = [(m.span(), m.group()) for m in _VERB_LOWER.finditer(lowered, start, end)]
    assert found == expected


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "B1", "_", "'", "’", ".", "-", " ", "é", "\n"]), max_size=40),
    st.integers(0, 12),
)
def test_at_most_counts_words_as_finditer_does(characters: list[str], words: int) -> None:
    from newsld.extraction.furniture import _WORD, _at_most

    text = "".join(characters)
    assert _at_most(text, words) == (len(_WORD.findall(text)) <= words)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "B1", "_", "'", "’", ".", "-", " ", "é", "xx"]), max_size=30),
    st.integers(0, 10),
)
def test_fewer_words_counts_as_findall_does(characters: list[str], count: int) -> None:
    from newsld.extraction.cues import _COUNTED_WORD, _fewer_words

    text = "".join(characters)
    assert _fewer_words(text, count) == (len(_COUNTED_WORD.findall(text)) < count)
