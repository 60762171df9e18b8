"""Extraction results as plain data: JSON lines for machines, record YAML for curators.

Pure functions of an :class:`~newsld.extraction.Extraction`; nothing here prints or reads files.
``claim_dict``/``event_dict`` are what ``newsld extract --format jsonl`` writes, one object a
line; ``record_claims``/``record_events`` are claims and events in the record format of
``docs/records.md``, ready to paste into a record (``--format yaml``) or to pre-fill a new one
(``newsld new``).
"""

from __future__ import annotations

import json
from typing import Any

import yaml

from newsld.corpus.records import is_plain_name, slug

from .model import Claim, ClaimDate, Event, Extraction, Participant, Speaker, Stance

PUBLICATION = "publication"


def _offsets(prefix: str, span: Any) -> dict[str, int | None]:
    return {
        f"{prefix}start": span.start if span else None,
        f"{prefix}end": span.end if span else None,
    }


def _date(date: ClaimDate | None) -> dict[str, Any]:
    if date is None:
        return {"date": None, "date_precision": None, "date_source": None}
    return {
        "date": date.date.form,
        "date_precision": date.date.precision.value,
        "date_source": date.source,
    }


def speaker_id(speaker: Speaker | None) -> str | None:
    """The registry id of a resolved speaker (the CLI turns it into an IRI)."""
    return speaker.entity_id if speaker is not None else None


def claim_dict(claim: Claim, *, attributed: bool = True) -> dict[str, Any]:
    """One claim as ``newsld extract --format jsonl`` writes it (IRIs are added by the caller)."""
    speaker = claim.speaker
    data: dict[str, Any] = {
        "type": "claim" if attributed else "unattributed",
        "text": claim.text,
        "kind": claim.kind.value,
        "stance": claim.stance.value,
        "start": claim.span.start,
        "end": claim.span.end,
        "speaker": speaker.name if speaker else None,
        "speaker_id": speaker_id(speaker),
        "speaker_kind": speaker.kind.value if speaker else None,
        "speaker_unnamed": speaker.unnamed if speaker else None,
        **_offsets("speaker_", speaker.span if speaker else None),
        **_date(claim.date),
        "reported_by": claim.reported_by.name if claim.reported_by else None,
        "reported_by_id": claim.reported_by.entity_id if claim.reported_by else None,
        "confidence": round(claim.confidence, 3),
        "rule": claim.rule,
    }
    return data


def _participant(participant: Participant) -> dict[str, Any]:
    return {"name": participant.name, "id": participant.entity_id, "kind": participant.kind}


def event_dict(event: Event) -> dict[str, Any]:
    return {
        "type": "event",
        "event_type": event.type,
        "start": event.span.start,
        "end": event.span.end,
        "trigger_start": event.trigger.start,
        "trigger_end": event.trigger.end,
        "participants": [_participant(p) for p in event.participants],
        "recipients": [_participant(p) for p in event.recipients],
        "place": _participant(event.place) if event.place else None,
        **_date(event.date),
        "description": event.description,
        "confidence": round(event.confidence, 3),
    }


def extraction_objects(extraction: Extraction) -> list[dict[str, Any]]:
    """Every claim (attributed, then unattributed) and event, in text order within each."""
    objects = [claim_dict(c) for c in extraction.claims]
    objects += [claim_dict(c, attributed=False) for c in extraction.unattributed]
    objects += [event_dict(e) for e in extraction.events]
    return objects


def to_jsonl(objects: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(o, ensure_ascii=False, sort_keys=True) + "\n" for o in objects)


# -- the record format ----------------------------------------------------------------------------


def _reference(name: str, entity_id: str | None) -> str:
    """A record reference: the registry id, else the name as written (a plain name)."""
    return entity_id or name


def record_speaker(speaker: Speaker) -> str | dict[str, str]:
    if speaker.entity_id:
        return speaker.entity_id
    if speaker.unnamed or not is_plain_name(speaker.name):
        return {"description": speaker.name[:200], "type": speaker.kind.value}
    return speaker.name


def _date_note(date: ClaimDate) -> str:
    if date.source == PUBLICATION:
        return "extracted: no date in the text; the publication date (said on or before it)"
    return f"extracted from “{date.source}”"


def record_claim(claim: Claim) -> dict[str, Any]:
    """A claim in the record format (``docs/records.md``), as extraction proposes it."""
    assert claim.speaker is not None
    data: dict[str, Any] = {"text": claim.text, "kind": claim.kind.value}
    if claim.stance is not Stance.ASSERTS:  # asserts is the record format's default
        data["stance"] = claim.stance.value
    data["speaker"] = record_speaker(claim.speaker)
    if claim.date is not None:
        data["date"] = claim.date.date.form
        data["date_note"] = _date_note(claim.date)
    if claim.reported_by is not None:
        data["reported_by"] = _reference(claim.reported_by.name, claim.reported_by.entity_id)
    return data


def record_event(event: Event) -> dict[str, Any] | None:
    """An event in the record format, or None when it has no nameable participant."""
    participants = [
        _reference(p.name, p.entity_id)
        for p in event.participants
        if p.entity_id or is_plain_name(p.name)
    ]
    if not participants:
        return None
    data: dict[str, Any] = {"type": event.type, "participants": list(dict.fromkeys(participants))}
    if event.place is not None and (event.place.entity_id or is_plain_name(event.place.name)):
        data["place"] = _reference(event.place.name, event.place.entity_id)
    if event.date is not None:
        data["date"] = event.date.date.form
        data["date_note"] = _date_note(event.date)
    recipients = [
        _reference(p.name, p.entity_id)
        for p in event.recipients
        if p.entity_id or is_plain_name(p.name)
    ]
    if recipients:
        data["recipients"] = list(dict.fromkeys(recipients))
    if event.description:
        data["description"] = " ".join(event.description.split())
    return data


def record_fragment(extraction: Extraction) -> dict[str, Any]:
    """``claims:`` and ``events:`` of a record, from what extraction found."""
    events = [e for e in (record_event(event) for event in extraction.events) if e is not None]
    return {
        "claims": [record_claim(c) for c in extraction.claims if c.speaker is not None],
        "events": events,
    }


def scaffold(
    key: str,
    text_file: str,
    extraction: Extraction,
    registry_lookup: Any,
    publisher: str | None = None,
) -> dict[str, Any]:
    """A whole new record pre-filled from extraction, in the field order of ``docs/records.md``.

    ``registry_lookup`` maps a name to a registry id (``Registry.lookup``), for the authors.
    """
    record: dict[str, Any] = {"id": key, "text_file": text_file}
    if extraction.headline:
        record["headline"] = extraction.headline
    if extraction.subheadline:
        record["subheadline"] = extraction.subheadline
    authors = [registry_lookup(a) or a for a in extraction.authors if is_plain_name(a)]
    record["authors"] = list(dict.fromkeys(authors))
    if publisher:
        record["publisher"] = publisher
    if extraction.published is not None:
        record["date_published"] = extraction.published.form
    record["language"] = "en"
    record.update(record_fragment(extraction))
    return record


def to_yaml(data: Any) -> str:
    """YAML that parses back to ``data`` (dates stay quoted strings)."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def record_key(name: str) -> str:
    """A record id from a file name: lowercase ASCII words joined by hyphens."""
    return slug(name)
