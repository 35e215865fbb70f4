"""Subject access requests (UK GDPR Art. 15; issue 5, section 8): finding a person by name and date of
birth, source record id or NHS number, and everything held about them across all sources, with the
log of who it was shared with. Every search and report is audited without personal data."""

import csv
import datetime
import io
from collections import defaultdict

import pytest

from digitalcov.core.models import AuditEvent
from digitalcov.records.models import (
    GoldenRecord,
    GoldenRecordMembership,
    PairDecision,
    PartnerOrganisation,
    SharingAccess,
    SourceRecord,
)
from digitalcov.records.services import subject_access
from digitalcov.records.services.linkage import run_linkage

from .factories import FAKE_1000, import_rows, source
from .quality_factories import fake_1000_two_sources, make_steward, two_sources

pytestmark = pytest.mark.django_db


def golden_of(record: SourceRecord) -> GoldenRecord:
    return GoldenRecordMembership.objects.filter(source_record=record).latest("run_id").golden_record


def test_a_name_and_date_of_birth_find_the_person_whatever_the_case_and_accents(tmp_path):
    records = two_sources(tmp_path)
    steward = make_steward()
    found = subject_access.search(
        forenames="ADA", surname="lovelace", date_of_birth=datetime.date(1985, 12, 10), actor=steward
    )
    assert len(found) == 1 and found[0].golden == golden_of(records["CT1"])
    assert {record.source_record_id for record in found[0].records} == {"CT1", "CT2", "H1"}
    event = AuditEvent.objects.get(action="records.subject_access_searched")
    assert event.actor_id == steward.pk
    assert event.details == {"lookup": ["name_and_birth_date"], "records": 3, "candidates": 1}
    assert "lovelace" not in str(event.details).lower()


def test_a_source_record_id_or_an_nhs_number_finds_the_person(tmp_path):
    records = two_sources(tmp_path)
    by_id = subject_access.search(source_record_id=" H2 ")
    assert [candidate.golden for candidate in by_id] == [golden_of(records["H2"])]
    by_nhs = subject_access.search(nhs_number="943 476 5919")
    assert [candidate.golden for candidate in by_nhs] == [golden_of(records["CT1"])]
    # An NHS number that failed its check is still found as it was sent.
    assert subject_access.search(nhs_number="9434765918")[0].golden == golden_of(records["CT3"])
    assert subject_access.search(nhs_number="4010232137") == []
    with pytest.raises(ValueError):
        subject_access.search(forenames="Ada")


def test_the_report_holds_every_source_record_raw_and_standardised_with_findings_and_provenance(tmp_path):
    records = two_sources(tmp_path)
    steward = make_steward()
    golden = golden_of(records["CT3"])
    report = subject_access.subject_access_report(golden=golden, actor=steward)
    assert report["golden_record"]["id"] == str(golden.pk)
    assert report["golden_record"]["provenance"][0] == {
        "field": "surname",
        "value": "Turing",
        "source": "Council tax",
        "source_record_id": "CT3",
        "rule": "trusted",
    }
    by_id = {item["source_record_id"]: item for item in report["source_records"]}
    assert set(by_id) == {"CT3", "H2"}
    alan = by_id["CT3"]
    assert alan["raw"]["date_of_birth"] == "31/02/1980" and alan["standardised"]["date_of_birth"] is None
    assert by_id["H2"]["standardised"]["date_of_birth"] == "1912-06-23"
    assert {f["field"]: f["problem"] for f in alan["findings"]} == {
        "date_of_birth": "impossible_date",
        "postcode": "invalid_format",
        "nhs_number": "failed_check_digit",
        "email": "invalid_email",
    }
    assert alan["golden_record_membership"][0]["golden_record"] == str(golden.pk)
    assert alan["source"] == "Council tax" and alan["first_import"]["file"].endswith("ct.csv")
    event = AuditEvent.objects.get(action="records.subject_access_report")
    assert (event.actor_id, event.object_id) == (steward.pk, str(golden.pk))
    assert event.details == {"records": 2, "format": "page", "disclosures": 0}


def test_the_report_lists_who_it_was_shared_with_and_steward_decisions(tmp_path):
    records = two_sources(tmp_path)
    golden = golden_of(records["CT1"])
    nhs = PartnerOrganisation.objects.create(name="Coventry and Warwickshire NHS")
    for outcome in (SharingAccess.Outcome.ALLOWED, SharingAccess.Outcome.REFUSED):
        SharingAccess.objects.create(
            partner=nhs,
            golden_record_id=golden.pk,
            fields=["forenames", "surname"],
            purpose="Hospital discharge planning",
            channel="api",
            lookup="id",
            outcome=outcome,
        )
    low, high = sorted([records["CT1"].pk, records["H1"].pk])
    PairDecision.objects.create(
        record_low_id=low, record_high_id=high, outcome="same", reason="Same address and date of birth"
    )
    report = subject_access.subject_access_report(golden=golden)
    # A refused attempt showed nothing, so it is no disclosure.
    assert [(s["partner"], s["purpose"], s["fields"]) for s in report["shared_with"]] == [
        ("Coventry and Warwickshire NHS", "Hospital discharge planning", ["forenames", "surname"])
    ]
    (decision,) = report["steward_review"]["decisions"]
    assert decision["records"] == [low, high] and decision["outcome"] == "Same person"
    rows = list(csv.reader(io.StringIO(_csv(report))))
    assert rows[-1][:4] == ["shared_with", "Coventry and Warwickshire NHS", "", "Hospital discharge planning"]


def _csv(report) -> str:
    handle = io.StringIO()
    subject_access.write_csv(handle, report)
    return handle.getvalue()


def test_a_record_not_yet_linked_has_a_report_of_its_own(tmp_path):
    import_rows(
        tmp_path, source("Social care"), [["SC1", "Mary", "Seacole", "23/11/1950", "", "", "", "", ""]]
    )
    record = SourceRecord.objects.get()
    (candidate,) = subject_access.search(surname="Seacole", date_of_birth=datetime.date(1950, 11, 23))
    assert candidate.golden is None and candidate.records == [record]
    report = subject_access.subject_access_report(record=record)
    assert report["golden_record"] is None and report["shared_with"] == []
    assert report["source_records"][0]["golden_record_membership"] == []
    event = AuditEvent.objects.get(action="records.subject_access_report")
    assert event.object_type == "records.sourcerecord" and event.object_id == str(record.pk)


def test_the_csv_never_starts_a_cell_with_a_formula(tmp_path):
    import_rows(tmp_path, source("Housing"), [["=HYPERLINK(1)", "@Ada", "Lovelace", "", "", "", "", "", ""]])
    report = subject_access.subject_access_report(record=SourceRecord.objects.get())
    cells = [cell for row in csv.reader(io.StringIO(_csv(report))) for cell in row]
    assert "'=HYPERLINK(1)" in cells and "'@Ada" in cells
    assert not any(cell.startswith(("=", "@", "+")) for cell in cells)


def test_on_fake_1000_a_person_found_by_name_brings_every_record_of_their_golden_record(tmp_path):
    fake_1000_two_sources(tmp_path)
    run = run_linkage()
    with FAKE_1000.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    people = defaultdict(list)
    for row in rows:
        people[row["cluster"]].append(row)
    # A person with records in both sources (even rows went to council tax, odd to housing).
    person = next(
        members
        for members in people.values()
        if len({int(m["unique_id"]) % 2 for m in members}) == 2 and all(m["dob"] for m in members)
    )
    first = person[0]
    found = subject_access.search(
        forenames=first["first_name"],
        surname=first["surname"],
        date_of_birth=datetime.date.fromisoformat(first["dob"]),
    )
    golden = next(candidate.golden for candidate in found if candidate.golden is not None)
    report = subject_access.subject_access_report(golden=golden)
    in_report = {item["source_record_id"] for item in report["source_records"]}
    members = set(
        GoldenRecordMembership.objects.filter(run=run, golden_record=golden).values_list(
            "source_record__source_record_id", flat=True
        )
    )
    assert in_report == members and first["unique_id"] in in_report
    assert {item["source"] for item in report["source_records"]} <= {"Council tax", "Housing"}
    assert len(report["golden_record"]["provenance"]) >= 3
