"""Subject access requests (UK GDPR Article 15; issue 5, section 8): a data steward finds a person and
produces everything the golden records hold about them across all sources.

Art. 15(1) gives the person their personal data and, among other things, the purposes, the recipients it
was disclosed to (15(1)(c)) and the source of data not collected from them (15(1)(g)). So the report
holds, for the person's golden record: every source record with its raw and standardised values, where
it came from (source, owning service, import file), its data-quality findings, the golden record's
surviving values with the provenance of each, its membership across linkage runs, the stewards'
decisions and queued pairs about its records, and each disclosure to a partner (`sharing.shared_with`).

Searching reads personal data to find candidates, and producing the report reads all of it: both are
audited with ids and counts only (`core.audit`).
"""

from __future__ import annotations

import csv
import datetime
import uuid
from dataclasses import dataclass
from typing import Any, TextIO

from django.db.models import Q
from django.utils import timezone

from digitalcov.core import audit

from ..models import (
    PERSON_FIELDS,
    DataQualityFinding,
    GoldenRecord,
    GoldenRecordMembership,
    PairDecision,
    PredictedPair,
    SourceRecord,
)
from ..standardise import name_key, standardise_name, standardise_nhs_number
from .access import latest_run
from .sharing import shared_with

STANDARDISED = (*PERSON_FIELDS, "forenames_key", "surname_key")
MAX_CANDIDATES = 50


@dataclass
class Candidate:
    """One person a search found: a golden record of the latest run, or a record not yet linked."""

    golden: GoldenRecord | None
    records: list[SourceRecord]

    @property
    def display_name(self) -> str:
        first = self.records[0]
        return f"{first.forenames} {first.surname}".strip() or first.source_record_id


def search(
    *,
    forenames: str = "",
    surname: str = "",
    date_of_birth: datetime.date | None = None,
    source_record_id: str = "",
    nhs_number: str = "",
    actor: Any = None,
) -> list[Candidate]:
    """The people matching a name and date of birth (names compared as keys, so case and accents do not
    matter), a source's own record id, or an NHS number; each with the records that matched."""
    query = Q()
    lookup = []
    if surname and date_of_birth:
        query |= Q(
            surname_key=name_key(standardise_name(surname)[0]),
            date_of_birth=date_of_birth,
            **({"forenames_key": name_key(standardise_name(forenames)[0])} if forenames else {}),
        )
        lookup.append("name_and_birth_date")
    if source_record_id:
        query |= Q(source_record_id=source_record_id.strip())
        lookup.append("source_record_id")
    if nhs_number:
        digits = standardise_nhs_number(nhs_number)[0] or nhs_number.replace(" ", "")
        query |= Q(nhs_number=digits) | Q(raw_nhs_number=nhs_number.strip())
        lookup.append("nhs_number")
    if not lookup:
        raise ValueError("Give a surname and date of birth, a source record id or an NHS number")
    found = list(SourceRecord.objects.filter(query).select_related("source")[: MAX_CANDIDATES * 4])
    candidates = _group(found)[:MAX_CANDIDATES]
    audit.record(
        "records.subject_access_searched",
        actor=actor,
        details={"lookup": lookup, "records": len(found), "candidates": len(candidates)},
    )
    return candidates


def _group(records: list[SourceRecord]) -> list[Candidate]:
    """Group the records found by their golden record in the latest run."""
    run = latest_run()
    golden_of = {}
    if run is not None:
        golden_of = dict(
            GoldenRecordMembership.objects.filter(run=run, source_record__in=records).values_list(
                "source_record_id", "golden_record_id"
            )
        )
    goldens = GoldenRecord.objects.in_bulk(set(golden_of.values()))
    by_golden: dict[uuid.UUID, Candidate] = {}
    alone = []
    for record in records:
        golden_id = golden_of.get(record.pk)
        if golden_id is None:
            alone.append(Candidate(None, [record]))
        else:
            by_golden.setdefault(golden_id, Candidate(goldens[golden_id], [])).records.append(record)
    return [*by_golden.values(), *alone]


def records_of(golden: GoldenRecord) -> list[SourceRecord]:
    """The source records in the golden record as its last run left it."""
    return list(
        SourceRecord.objects.filter(
            memberships__golden_record=golden, memberships__run_id=golden.last_run_id
        ).select_related("source", "first_seen_batch", "last_seen_batch")
    )


def subject_access_report(
    *,
    golden: GoldenRecord | None = None,
    record: SourceRecord | None = None,
    actor: Any = None,
    form: str = "page",
) -> dict[str, Any]:
    """Everything held about the person in `golden` (or in one `record` not linked to any golden
    record), as plain data ready for a page, JSON or CSV. Audited: who ran it, for which record."""
    if golden is None and record is None:
        raise ValueError("A subject access request needs a golden record or a source record")
    records = records_of(golden) if golden is not None else [record]
    record_ids = [item.pk for item in records]
    findings: dict[int, list[dict[str, Any]]] = {pk: [] for pk in record_ids}
    for item in DataQualityFinding.objects.filter(record_id__in=record_ids).order_by("record_id", "field"):
        findings[item.record_id].append(
            {
                "field": item.field,
                "problem": item.problem,
                "explanation": item.get_problem_display(),
                "import_batch": item.batch_id,
            }
        )
    memberships: dict[int, list[dict[str, Any]]] = {pk: [] for pk in record_ids}
    for item in (
        GoldenRecordMembership.objects.filter(source_record_id__in=record_ids)
        .select_related("run")
        .order_by("run_id")
    ):
        memberships[item.source_record_id].append(
            {
                "linkage_run": item.run_id,
                "golden_record": str(item.golden_record_id),
                "run_finished_at": _iso(item.run.finished_at),
            }
        )
    report = {
        "request": {
            "legal_basis": "UK GDPR Article 15 (right of access by the data subject)",
            "produced_at": _iso(timezone.now()),
            "produced_by_user_id": getattr(actor, "pk", None),
        },
        "golden_record": _golden(golden, records) if golden is not None else None,
        "source_records": [_record(item, findings[item.pk], memberships[item.pk]) for item in records],
        "steward_review": _review(record_ids),
        "shared_with": [
            {**row, "at": _iso(row["at"])} for row in (shared_with(golden) if golden is not None else [])
        ],
    }
    audit.record(
        "records.subject_access_report",
        actor=actor,
        target=golden if golden is not None else record,
        details={"records": len(records), "format": form, "disclosures": len(report["shared_with"])},
    )
    return report


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _golden(golden: GoldenRecord, records: list[SourceRecord]) -> dict[str, Any]:
    by_pk = {item.pk: item for item in records}
    provenance = []
    for field_name in PERSON_FIELDS:
        origin = (golden.provenance or {}).get(field_name)
        if not origin:
            continue
        source_record = by_pk.get(origin.get("record"))
        provenance.append(
            {
                "field": field_name,
                "value": (golden.field_values or {}).get(field_name),
                "source": source_record.source.name if source_record else None,
                "source_record_id": source_record.source_record_id if source_record else None,
                "rule": origin.get("rule"),
            }
        )
    return {
        "id": str(golden.id),
        "active": golden.active,
        "created_in_run": golden.created_in_run_id,
        "last_run": golden.last_run_id,
        "values": golden.field_values,
        "provenance": provenance,
    }


def _record(item: SourceRecord, findings: list, memberships: list) -> dict[str, Any]:
    standardised = {name: getattr(item, name) for name in STANDARDISED}
    standardised["date_of_birth"] = _iso(item.date_of_birth)
    return {
        "source": item.source.name,
        "owning_service": item.source.owning_service,
        "source_record_id": item.source_record_id,
        "retired": item.retired,
        "changed_at": _iso(item.changed_at),
        "first_import": {
            "batch": item.first_seen_batch_id,
            "file": item.first_seen_batch.file_name,
            "at": _iso(item.first_seen_batch.started_at),
        },
        "last_import": {
            "batch": item.last_seen_batch_id,
            "file": item.last_seen_batch.file_name,
            "at": _iso(item.last_seen_batch.started_at),
        },
        "raw": {name: getattr(item, f"raw_{name}") for name in PERSON_FIELDS},
        "standardised": standardised,
        "findings": findings,
        "golden_record_membership": memberships,
    }


def _review(record_ids: list[int]) -> dict[str, list[dict[str, Any]]]:
    """Stewards' decisions about the person's records and the pairs still queued for review."""
    decisions = PairDecision.objects.filter(
        Q(record_low_id__in=record_ids) | Q(record_high_id__in=record_ids)
    ).order_by("decided_at", "pk")
    pairs = PredictedPair.objects.filter(
        Q(record_left_id__in=record_ids) | Q(record_right_id__in=record_ids)
    ).order_by("run_id", "pk")
    return {
        "decisions": [
            {
                "records": [item.record_low_id, item.record_high_id],
                "outcome": item.get_outcome_display(),
                "origin": item.get_origin_display(),
                "reason": item.reason,
                "decided_by_user_id": item.decided_by_id,
                "decided_at": _iso(item.decided_at),
            }
            for item in decisions
        ],
        "pairs_for_review": [
            {
                "linkage_run": item.run_id,
                "records": [item.record_left_id, item.record_right_id],
                "match_probability": round(item.match_probability, 4),
            }
            for item in pairs
        ],
    }


CSV_HEADER = ["section", "source", "source_record_id", "item", "raw", "standardised"]


def write_csv(handle: TextIO, report: dict[str, Any]) -> int:
    """The report flattened to rows (section, source, source record id, item, raw, standardised)."""
    writer = csv.writer(handle)
    writer.writerow(CSV_HEADER)
    rows = []
    for item in report["source_records"]:
        key = [item["source"], item["source_record_id"]]
        for name in PERSON_FIELDS:
            rows.append(["value", *key, name, item["raw"][name], item["standardised"][name] or ""])
        rows += [["finding", *key, f["field"], f["explanation"], ""] for f in item["findings"]]
        rows += [
            ["membership", *key, f"run {m['linkage_run']}", m["golden_record"], ""]
            for m in item["golden_record_membership"]
        ]
    if report["golden_record"]:
        for origin in report["golden_record"]["provenance"]:
            rows.append(
                [
                    "golden_value",
                    origin["source"] or "",
                    origin["source_record_id"] or "",
                    origin["field"],
                    "",
                    origin["value"] or "",
                ]
            )
    for decision in report["steward_review"]["decisions"]:
        rows.append(
            [
                "review_decision",
                "",
                " ".join(map(str, decision["records"])),
                decision["outcome"],
                decision["reason"],
                decision["decided_at"],
            ]
        )
    for share in report["shared_with"]:
        rows.append(
            [
                "shared_with",
                share["partner"],
                share["agreement"],
                share["purpose"],
                " ".join(share["fields"]),
                share["at"],
            ]
        )
    writer.writerows([[_cell(value) for value in row] for row in rows])
    return len(rows)


def _cell(value: Any) -> str:
    """A value safe to open in a spreadsheet: one starting with a formula character gets a leading
    apostrophe (OWASP "CSV injection"), since raw values come from outside systems."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
