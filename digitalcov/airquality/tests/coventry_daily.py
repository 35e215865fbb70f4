"""Reads the Coventry AURN daily means shipped in ``airquality/data`` (see its SOURCE.md)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data" / "J01000028_coventry_aurn_daily_2019_2022.csv"


def read_column(column: str) -> list[tuple[date, float | None]]:
    """One column of the file as (day, daily mean or None for "No data")."""
    with DATA.open(newline="", encoding="utf-8-sig") as f:
        return [
            (date.fromisoformat(row["Date"]), None if row[column] == "No data" else float(row[column]))
            for row in csv.DictReader(f)
        ]
