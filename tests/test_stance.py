"""A claim's stance: the speaker asserts, denies or questions its words (records, RDF, shapes)."""

from __future__ import annotations

import typing
from pathlib import Path

import pytest

from newsld.corpus.dates import PartialDate
from newsld.corpus.reader import open_corpus
from newsld.corpus.records import StanceName
from newsld.extraction import Claim, ClaimKind, Span, Stance, extract
from newsld.extraction.output import claim_dict, record_claim
from newsld.gate import shapes
from newsld.gate.shacl import validate
from newsld.rdf.namespaces import NLD
from newsld.rdf.terms import STANCES
from newsld.release.build import BuildOptions, check
from newsld.release.run import prepare

from .conftest import CORPUS, DATA, add_record


def test_the_record_values_the_extractor_values_and_the_vocabulary_agree() -> None:
    assert set(typing.get_args(StanceName)) == {s.value for s in Stance} == set(STANCES)
    assert set(STANCES.values()) == {NLD.Asserts, NLD.Denies, NLD.Questions}


def _with_stance(corpus: Path, stance: str | None) -> Path:
    record = add_record(corpus, "valid-short-record")
    text = record.read_text()
    if stance is not None:
        text = text.replace(
            "    kind: indirect\n", f"    kind: indirect\n    stance: {stance}\n", 1
        )
    record.write_text(text)
    return record


def _mapped(corpus: Path, name: str) -> list:
    run = prepare(corpus, BuildOptions())
    path = next(p for p in run.corpus.record_paths if p.name == f"{name}.yaml")
    gated = run.gate(path)
    assert gated.mapped is not None
    return [*gated.mapped.triples, *gated.context]


def test_a_bad_stance_is_a_located_invalid_value(corpus: Path) -> None:
    _with_stance(corpus, "deny")
    report = check(corpus)
    found = [(f.code, f.line, f.field) for f in report.errors]
    assert found == [("record/invalid-value", 15, "claims[1].stance")]
    assert "'asserts', 'denies' or 'questions'" in report.errors[0].message


def test_a_curated_denial_is_released_as_one(corpus: Path) -> None:
    _with_stance(corpus, "denies")
    assert not check(corpus).errors
    triples = _mapped(corpus, "valid-short-record")
    stances = {o for _, p, o in triples if p == NLD.stance}
    # the direct quote has no stance written: asserts, the default
    assert stances == {NLD.Asserts, NLD.Denies}
    claims = {s for s, p, o in triples if p == NLD.claimKind}
    assert claims == {s for s, p, _ in triples if p == NLD.stance}


def test_every_claim_needs_exactly_one_stance_of_the_three(corpus: Path) -> None:
    _with_stance(corpus, None)
    triples = _mapped(corpus, "valid-short-record")
    without = [t for t in triples if t[1] != NLD.stance]
    twice = [*triples, *[(s, p, NLD.Questions) for s, p, o in triples if p == NLD.stance]]
    other = [(s, p, NLD.DirectQuote if p == NLD.stance else o) for s, p, o in triples]
    for damaged in (without, twice, other):
        native = shapes.evaluate(damaged)
        assert {r.shape for r in native} == {r.shape for r in validate(damaged)}
        errors = {r.shape.rsplit("#", 1)[-1] for r in native if r.severity.endswith("Violation")}
        assert errors == {"Claim-stance"}


# -- extraction ---------------------------------------------------------------------------------
def _fixture() -> list[tuple[str, str, str]]:
    """(stance, sentence, words) of tests/data/denial-sentences.txt."""
    items = []
    section = sentence = ""
    for line in (DATA / "denial-sentences.txt").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            section = line.strip("[]")
        elif line.startswith("= "):
            assert line[2:] in sentence, line
            items.append((section, sentence, line[2:]))
        else:
            sentence = line
    return items


FIXTURE = _fixture()
PUBLISHED = PartialDate.parse("2024-03-12")
REGISTRY = open_corpus(CORPUS).registry


def _claims_on(sentence: str, words: str) -> list[Claim]:
    start = sentence.index(words)
    where = Span(start, start + len(words))
    return [c for c in extract(sentence, PUBLISHED, REGISTRY).claims if c.span.overlaps(where)]


def test_the_fixture_has_twenty_denials_and_controls() -> None:
    stances = [stance for stance, _, _ in FIXTURE]
    assert stances.count("denies") >= 20
    assert stances.count("questions") >= 3 and stances.count("asserts") >= 3


@pytest.mark.parametrize(("stance", "sentence", "words"), FIXTURE, ids=lambda v: v[:40])
def test_no_denied_or_questioned_words_are_released_as_asserted(
    stance: str, sentence: str, words: str
) -> None:
    """Every claim on the words the sentence denies (asks about, states) has that stance."""
    claims = _claims_on(sentence, words)
    assert [c.stance.value for c in claims] == [stance] * len(claims), claims


def test_denials_questions_and_statements_are_found() -> None:
    """Nearly every item gives a claim with its stance (a few speakers no rule resolves, such as
    "The hospital", are allowed to give none)."""
    missing = [s for stance, s, w in FIXTURE if not _claims_on(s, w)]
    assert len(missing) <= 2, missing


def test_the_seed_denial_is_a_denial_not_an_assertion() -> None:
    text = (CORPUS / "articles" / "toi-2018-06-10-hamas-hezbollah-train-thousands.txt").read_text(
        encoding="utf-8"
    )
    result = extract(text, PartialDate.parse("2018-06-10"), REGISTRY)
    [denial] = [c for c in result.claims if "a deal has been done" in c.text]
    assert denial.text == "a deal has been done"  # not "… making it clear that Jerusalem …"
    assert denial.stance is Stance.DENIES and denial.kind is ClaimKind.INDIRECT
    assert denial.speaker is not None and denial.speaker.name == "Israeli officials"


def test_a_denied_quotation_is_denied_and_what_they_called_it_is_asserted() -> None:
    text = (
        "The ministry denied that soldiers were “targeting civilians” in the camp, calling the "
        "report “a fabrication.”"
    )
    stances = {c.text: c.stance for c in extract(text, PUBLISHED, REGISTRY).claims}
    assert stances == {"targeting civilians": Stance.DENIES, "a fabrication": Stance.ASSERTS}


def test_the_stance_is_in_the_json_lines_and_in_the_record_format() -> None:
    [claim] = _claims_on("Iran has repeatedly denied that it is seeking nuclear weapons.", "it is")
    assert claim_dict(claim)["stance"] == "denies"
    assert record_claim(claim)["stance"] == "denies"
    [plain] = _claims_on("Iran said that it is seeking nuclear power for its cities.", "it is")
    assert claim_dict(plain)["stance"] == "asserts"
    assert "stance" not in record_claim(plain)  # the record format's default


# -- actions are events, not claims --------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "recipient"),
    [
        ("Israel has appealed to the United Nations to intervene in southern Lebanon.", "UN"),
        ("Danny Danon urged the Security Council to condemn the attacks on Monday.", "UNSC"),
        ("Benjamin Netanyahu called on the United Nations to act against Hamas.", "UN"),
        ("Angela Merkel asked Iran to withdraw its forces from southern Syria.", "Iran"),
        ("Avigdor Liberman called for a vote on the bill in the Knesset on Monday.", None),
    ],
)
def test_a_request_for_action_is_an_appeal_event_and_no_claim(
    text: str, recipient: str | None
) -> None:
    result = extract(text, PUBLISHED, REGISTRY)
    assert not result.claims
    [event] = result.events
    assert event.type == "appeal"
    names = {"UN": "United Nations", "UNSC": "United Nations Security Council", "Iran": "Iran"}
    assert [r.name for r in event.recipients] == ([names[recipient]] if recipient else [])


def test_warned_not_to_is_a_request_but_warned_that_is_a_claim() -> None:
    result = extract(
        "Avigdor Liberman warned Hamas not to test Israel again. He warned that Hamas was "
        "trying to open a new front in Lebanon.",
        PUBLISHED,
        REGISTRY,
    )
    assert [c.text for c in result.claims] == ["Hamas was trying to open a new front in Lebanon"]


# -- a claim's words end where its content does -------------------------------------------------
@pytest.mark.parametrize(
    ("text", "content"),
    [
        (
            "Bernie Sanders said he has won 1,200 delegates according to a count by The "
            "Associated Press.",
            "he has won 1,200 delegates",
        ),
        (
            "The company said it would not be able to pay its debts on time, warning that it "
            "could default on some of its loans.",
            "it would not be able to pay its debts on time",
        ),
        (
            "Israeli officials have denied that a deal has been done making it clear that "
            "Jerusalem wants Iranian forces out of Syria.",
            "a deal has been done",
        ),
        (
            "Congress has made it too easy for people to buy assault rifles like the one used in "
            "the attack on Sunday, Barack Obama said.",
            "Congress has made it too easy for people to buy assault rifles like the one used in "
            "the attack on Sunday",
        ),
    ],
)
def test_a_claim_never_runs_into_the_narration_after_it(text: str, content: str | None) -> None:
    claims = extract(text, PUBLISHED, REGISTRY).claims
    for claim in claims:
        for narration in ("according to", "warning", "making it clear", "Obama said"):
            assert narration not in claim.text, claim.text
    if content is not None:
        assert content in [c.text for c in claims]
