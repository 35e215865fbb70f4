"""The catalogue's datastore (issue 4, section 3): tabular resources loaded into tables of the main
database, validated against their Frictionless Table Schema, and queried by the CKAN datastore
actions. Decision 10 explains the store, the types, the validation and the SQL safety."""


def validation_report(resource) -> dict | None:
    """The last load's check of `resource` against its Table Schema ({"status", "row_count",
    "error_count", "report": [{"row", "field", "type", "error"}]}), or None when it has no schema or no
    load has finished. Other apps (quality scores) read the datastore's findings only through this."""
    from .models import DatastoreTable

    record = DatastoreTable.objects.filter(resource_id=resource.pk).first()
    if record is None or not record.source_schema or record.status != DatastoreTable.Status.LOADED:
        return None
    return {
        "status": record.status,
        "row_count": record.row_count,
        "error_count": record.error_count,
        "report": record.report,
    }
