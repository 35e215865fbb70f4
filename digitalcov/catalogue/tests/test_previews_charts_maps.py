"""Time series charts and GeoJSON maps from real files: which tables are time series, the chart's
lines and words, and the map's SVG and properties table; files that are not GeoJSON say so."""

from __future__ import annotations

import datetime
import io
import json

import pytest

from digitalcov.catalogue.previews import csv_table, geojson_map, timeseries
from digitalcov.catalogue.previews.table import PreviewError

from .previews_files import AURN_CSV, IMD_CSV, LSOA_GEOJSON


def _chart(path):
    with path.open("rb") as stream:
        columns, rows = csv_table.read_rows(stream)
        return timeseries.build("chart", "Daily means", columns, rows)


def test_daily_means_become_a_line_chart_with_a_description_in_words():
    series = _chart(AURN_CSV)
    assert series is not None
    # PM10_1 is "No data" all quarter, so it is not a numeric column.
    assert series.columns == ["PM2.5_1", "PM10_2", "NOx_1", "NOx_2"]
    assert (series.rows, series.cut) == (90, False)
    chart = series.chart
    assert chart.x_label == "Date"
    assert [line.label for line in chart.lines] == series.columns
    assert chart.description.startswith("Line chart of 90 rows from 1 January 2019 to 31 March 2019.")
    assert "NOx_2: 88 values from 17 to 329 (highest on 25 February 2019)" in chart.description
    assert chart.x_ticks[0] == (64.0, "1 Jan 2019") and chart.x_ticks[-1][1] == "31 Mar 2019"
    assert chart.y_ticks[0][1] == "0"
    # The direct labels never overlap and stay beside the plot, though the last values are close.
    label_ys = sorted(line.label_y for line in chart.lines)
    assert all(b - a >= 14 for a, b in zip(label_ys, label_ys[1:], strict=False))
    assert chart.top <= label_ys[0] and label_ys[-1] <= chart.plot_bottom
    # Every point lies inside the plot area.
    for line in chart.lines:
        for segment in line.segments:
            for point in segment.split():
                x, y = map(float, point.split(","))
                assert chart.left <= x <= chart.plot_right and chart.top <= y <= chart.plot_bottom


def test_a_table_without_dates_is_not_a_time_series():
    assert _chart(IMD_CSV) is None


def test_a_missing_value_breaks_the_line():
    columns = ["When", "Count"]
    rows = [["2026-01-01", "3"], ["2026-01-02", ""], ["2026-01-03", "5"], ["2026-01-04", "6"]]
    line = timeseries.build("c", "t", columns, rows).chart.lines[0]
    assert len(line.points) == 1 and len(line.segments) == 1  # a lone point, then a joined run


def test_uk_dates_typed_dates_and_negative_values_are_charted():
    rows = [["01/02/2026", -4], [datetime.date(2026, 2, 2), 6], ["2026-02-03T06:00:00", 1.5]]
    series = timeseries.build("c", "t", ["Day", "Temperature"], rows)
    assert series.rows == 3
    labels = [label for _, label in series.chart.y_ticks]
    assert labels[0] == "-5" and labels[-1] == "10"
    assert series.chart.y_label == "Temperature"


@pytest.mark.parametrize(("text", "number"), [("1,234.5", 1234.5), ("-3", -3.0), ("2e3", 2000.0)])
def test_numbers_are_read_from_text(text, number):
    assert timeseries.as_number(text) == number


@pytest.mark.parametrize("text", ["No data", "12 Main St", "1,2,3", "", "2019-01-01"])
def test_other_text_is_not_a_number(text):
    assert timeseries.as_number(text) is None


def test_a_geojson_file_is_drawn_and_its_properties_listed():
    with LSOA_GEOJSON.open("rb") as stream:
        preview = geojson_map.draw(geojson_map.load(stream), 1)
    assert (preview.features, preview.geometry_types) == (4, ["Polygon"])
    assert [shape.kind for shape in preview.shapes] == ["area"] * 4
    assert all(shape.d.startswith("M") and shape.d.endswith("Z") for shape in preview.shapes)
    assert preview.width == 720 and preview.height > 0
    assert preview.table.columns == ["Feature", "LSOA11CD", "LSOA11NM", "LONG", "LAT"]
    assert preview.table.rows[0] == ["1", "E01009522", "Coventry 014A", "-1.53209", "52.42381"]
    west, south, east, north = preview.bounds
    assert -1.6 < west < east < -1.4 and 52.3 < south < north < 52.5


def test_points_lines_and_a_bare_geometry_are_drawn():
    collection = geojson_map.load(
        io.BytesIO(
            json.dumps(
                {
                    "type": "GeometryCollection",
                    "geometries": [
                        {"type": "Point", "coordinates": [-1.5197, 52.4068]},
                        {"type": "LineString", "coordinates": [[-1.52, 52.40], [-1.50, 52.41]]},
                    ],
                }
            ).encode()
        )
    )
    shape = geojson_map.draw(collection, 1).shapes[0]
    assert shape.kind == "line" and len(shape.points) == 1


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b'{"name": "Coventry", "wards": 18}', "not GeoJSON"),
        (b"[1, 2, 3]", "not GeoJSON"),
        (b'{"type": "FeatureCollection", "features": [', "not valid JSON"),
        (b'{"type": "FeatureCollection", "features": [{"type": "Banana"}]}', "not features"),
        (
            # British National Grid eastings and northings, not longitude and latitude
            b'{"type": "Feature", "properties": {}, '
            b'"geometry": {"type": "Point", "coordinates": [431915, 280748]}}',
            "longitude and latitude",
        ),
    ],
)
def test_json_that_is_not_geojson_says_so(content, says):
    with pytest.raises(PreviewError, match=says):
        geojson_map.draw(geojson_map.load(io.BytesIO(content)), 1)
