"""Issue 14: the place of a dateline and a possessive glued to the next word are nobody's name.

- "WASHINGTON (AP) — …", "MANCHESTER, N.H. - …", "PHILADELPHIA, July 25 (UPI) — …": the place a
  story was filed from opens its first paragraph in capitals; it was read as a name, became the
  speaker of a quotation nearby ("WASHINGTON") or joined the name after it ("CLEVELAND Donald
  Trump" spoke every quotation of an article). It is furniture, like a dated dateline.
- A headline that ends in a full stop was read as the body's first sentence when nothing marked
  it: its words in title case became names ("Chuck Grassley Compares Trump", "Guns Are"). A
  first line in title case, or one above a place's dateline, is the headline.
- "a search of Clinton'se-mails": a space lost after a possessive made one word of a name and the
  next word, and that word was the speaker.
- "The Latest: …" (a running news column's title) is no name either, nor a state's abbreviation
  or the town before it ("in Aspen, Colo., the former executive said": "Colo").

The text is written for the test.
"""

from __future__ import annotations

from newsld.extraction.furniture import layout
from newsld.extraction.model import FurnitureKind

from .attribution import names, resolved, speakers


def datelines(text: str) -> list[str]:
    return [f.text for f in layout(text).furniture if f.kind is FurnitureKind.DATELINE]


def test_the_place_of_a_dateline_is_furniture() -> None:
    text = "\n\n".join(
        [
            "Senator wins the vote.",
            "WASHINGTON (AP) — The Senate passed the bill on Monday.",
            "MANCHESTER, N.H. - Voters lined up early.",
            "PHILADELPHIA, July 25 (UPI) — Delegates arrived.",
            "CHICAGO ― The mayor spoke.",
        ]
    )
    assert datelines(text) == [
        "WASHINGTON (AP) — ",
        "MANCHESTER, N.H. - ",
        "PHILADELPHIA, July 25 (UPI) — ",
        "CHICAGO ― ",
    ]
    body = [text[span.start : span.end] for span in layout(text).body]
    assert body[-4:] == [
        "The Senate passed the bill on Monday.",
        "Voters lined up early.",
        "Delegates arrived.",
        "The mayor spoke.",
    ]


def test_a_transcript_label_a_heading_and_an_acronym_are_no_datelines() -> None:
    text = "The interview.\n\nSIEGEL-- Thanks for joining us today, Senator.\n\nFAREWELL—We close."
    assert datelines(text) == []
    text = "The summit.\n\nNATO — the alliance — said it would act.\n\nROME — The pope spoke."
    assert datelines(text) == ["ROME — "]


def test_a_dateline_is_not_the_speaker_nor_part_of_a_name() -> None:
    text = "\n\n".join(
        [
            "Clinton aide rallies supporters",
            "WASHINGTON, Dec. 8 (UPI) — In response to the proposal, Hillary Clinton’s"
            " right-hand woman rallied supporters, saying: “We have to be ready to stop him.”",
            "CLEVELAND — Donald Trump accepted the nomination on Thursday.",
            "“I am your voice,” Trump said.",
        ]
    )
    found = speakers(text)
    assert found["We have to be ready to stop him."] != "WASHINGTON"
    assert found["I am your voice"] == "Donald Trump"


def test_a_possessive_glued_to_the_next_word_ends_the_name() -> None:
    assert names("A search of Clinton'se-mails found nothing.") == ["Clinton"]
    assert names("Trump’sremarks and Ta'seer") == ["Trump", "Ta'seer"]
    text = (
        "Hillary Clinton testified on Thursday. Clinton would do better to say that “my staff"
        " has calculated the figure” rather than citing Clinton'se-mails."
    )
    assert speakers(text)["my staff has calculated the figure"] == "Hillary Clinton"


def test_the_latest_is_a_column_not_a_name() -> None:
    assert names("The Latest: Trump delivers a speech.") == ["Trump"]


def test_a_line_above_a_dateline_is_the_headline_even_with_a_full_stop() -> None:
    text = (
        "Senator Compares Judge Ruling To Earlier Remarks On Diversity.\n\n"
        "WASHINGTON — Sen. Anna Berg on Wednesday defended the ruling.\n\n"
        "“I think the court was right,” Berg said."
    )
    found = layout(text)
    assert found.headline == "Senator Compares Judge Ruling To Earlier Remarks On Diversity."
    assert speakers(text) == {"I think the court was right": "Anna Berg"}


def test_a_state_abbreviation_and_the_town_before_it_are_places() -> None:
    text = (
        "At a conference that month in Aspen, Colo., the former executive ended her speech by"
        " quoting a poet: “Every obstacle yields to stern resolve.”"
    )
    assert speakers(text) == {"Every obstacle yields to stern resolve.": "the former executive"}
    assert resolved("Nashua, N.H.") is None


def test_a_first_line_in_title_case_is_the_headline_even_with_a_full_stop() -> None:
    text = (
        "Guns Are ‘The Ultimate Public Health Crisis,’ Doctor Tells Convention.\n\n"
        "Guns are “the ultimate public health crisis,” Howard Dean, the former governor of"
        " Vermont, told a cheering crowd on Tuesday."
    )
    assert layout(text).headline is not None
    assert speakers(text) == {"the ultimate public health crisis": "Howard Dean"}
    # a sentence full of names is no title
    text = "Maria Lopez and Daniel Brooks spoke to farmers in Ashford on Saturday.\n\nThey left."
    assert layout(text).headline is None
