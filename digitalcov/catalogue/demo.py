"""Demo content for the catalogue: the real public data about Coventry in `demo_data/` (sources and
licences in `demo_data/SOURCE.md`) published as datasets of the council's organisation, with their
licences, attribution, themes, tags, temporal and spatial coverage and update frequency; then the
platform's own datasets (the air quality sensors the air quality demo loaded) through the registry.

Registered with `digitalcov load_demo_data` (apps.py). It goes through the platform registry's sync
(`registry/sync.py`) as the source "demo", so it is idempotent in the same way: a second load finds
every dataset unchanged and uploads nothing; a changed file or description updates its dataset.
"""

from __future__ import annotations

import datetime
import json
from functools import cache
from pathlib import Path

from django.conf import settings

from .registry import PlatformDataset, PlatformResource, sync_platform_datasets, sync_source

DATA = Path(__file__).resolve().parent / "demo_data"
OGL = "OGL-UK-3.0"
ONS = "Office for National Statistics"
COVENTRY = "Coventry (local authority E08000026)"
HEALTHY_CITIES = (
    "Compiled for Coventry by HealthyCitiesDataset (Scientific Data 2023, doi:10.1038/s41597-023-02060-y, "
    "MIT licence)."
)


@cache
def coventry_extent() -> dict:
    """Coventry's bounding box as a GeoJSON Polygon, from its LSOA boundaries (the dataset's spatial)."""
    collection = json.loads((DATA / "coventry_lsoa2011_bsc.geojson").read_text(encoding="utf-8"))
    points: list[list[float]] = []

    def walk(item) -> None:
        if isinstance(item[0], int | float):
            points.append(item)
        else:
            for part in item:
                walk(part)

    for feature in collection["features"]:
        walk(feature["geometry"]["coordinates"])
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [[[round(x, 5), round(y, 5)] for x, y in ring]]}


def _file(name: str, filename: str, description: str) -> PlatformResource:
    path = DATA / filename
    geojson = path.suffix == ".geojson"
    return PlatformResource(
        name=name,
        description=description,
        path=path,
        format="GeoJSON" if geojson else "CSV",
        mimetype="application/geo+json" if geojson else "text/csv",
        resource_type="file",
    )


def _dataset(key: str, *, title: str, notes: str, resources: list, **fields) -> PlatformDataset:
    tags = fields.pop("tags")
    themes = fields.pop("themes")
    licence = fields.pop("licence", OGL)
    defaults = {
        "maintainer": f"{settings.COUNCIL_NAME} open data team",
        "maintainer_email": settings.COUNCIL_CONTACT_EMAIL,
        "spatial_coverage": COVENTRY,
        "spatial": coventry_extent(),
    }
    return PlatformDataset(
        key=key,
        name=key,
        title=title,
        notes=notes,
        resources=tuple(resources),
        tags=tuple(tags),
        themes=tuple(themes),
        licence_id=licence,
        fields=defaults | fields,
    )


def _deprivation() -> list[PlatformDataset]:
    return [
        _dataset(
            "coventry-indices-of-deprivation-2019",
            title="English Indices of Deprivation 2019: Coventry neighbourhoods",
            notes=(
                "How deprived each of Coventry's 195 neighbourhoods (Lower-layer Super Output Areas, 2011 "
                "boundaries) is, relative to all 32,844 in England: the Index of Multiple Deprivation "
                "(rank 1 is the most deprived) and its decile, the seven domains (income, employment, "
                "education, health, crime, barriers to housing and services, living environment), and the "
                "population figures the indices were worked out on (mid-2015).\n\n"
                "Ranks compare neighbourhoods; they do not say how much more deprived one is than another. "
                "Most indicators relate to 2015/16.\n\n"
                "Source: Ministry of Housing, Communities and Local Government, English Indices of "
                "Deprivation 2019, Coventry rows. Open Government Licence v3.0."
            ),
            resources=[
                _file(
                    "Index of Multiple Deprivation: rank and decile",
                    "coventry_File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv",
                    "File 1: one row per LSOA, with its IMD rank (of 32,844) and decile.",
                ),
                _file(
                    "Domains of deprivation: ranks and deciles",
                    "coventry_File_2_-_IoD2019_Domains_of_Deprivation.csv",
                    "File 2: the IMD and its seven domains, rank and decile per LSOA.",
                ),
                _file(
                    "Population denominators, mid-2015",
                    "coventry_File_6_-_IoD2019_Population_Denominators.csv",
                    "File 6: total population, children, ages 16-59, 60 and over, working age per LSOA.",
                ),
            ],
            tags=["deprivation", "IMD", "indices of deprivation", "LSOA"],
            themes=["society"],
            author="Ministry of Housing, Communities and Local Government",
            url="https://www.gov.uk/government/statistics/english-indices-of-deprivation-2019",
            version="2019",
            temporal_start=datetime.date(2015, 4, 1),
            temporal_end=datetime.date(2016, 3, 31),
            update_frequency="irregular",
        ),
        _dataset(
            "coventry-imd-2019-scores-mysociety",
            title="Index of Multiple Deprivation 2019 scores for Coventry (mySociety)",
            notes=(
                "The English IMD 2019 scores of Coventry's 195 LSOAs with the income and employment domain "
                "scores, and mySociety's ranks and deciles that compare them with Wales, Scotland and "
                "Northern Ireland (a composite UK index).\n\n"
                "Attribution: mySociety (composite_uk_imd), CC-BY-4.0, built on the English Indices of "
                "Deprivation 2019 (MHCLG, Open Government Licence v3.0)."
            ),
            resources=[
                _file(
                    "IMD scores and GB ranks",
                    "coventry_GB_IMD_E_scores_mysociety.csv",
                    "One row per LSOA: overall, income and employment scores, GB rank, decile and quintile.",
                )
            ],
            tags=["deprivation", "IMD", "LSOA"],
            themes=["society"],
            licence="CC-BY-4.0",
            author="mySociety",
            url="https://github.com/mysociety/composite_uk_imd",
            update_frequency="never",
        ),
    ]


def _population_and_places() -> list[PlatformDataset]:
    return [
        _dataset(
            "coventry-census-2021-population-by-lsoa",
            title="Census 2021: Coventry's population by neighbourhood, with people aged 65 and over",
            notes=(
                "Usual residents on Census Day (21 March 2021) in each of Coventry's 203 LSOAs (2021 "
                "boundaries): all ages, and those aged 65, 66-69, 70-74, 75-79, 80-84 and 85 and over. "
                "345,267 people in all.\n\n"
                "Note: these are 2021 LSOAs; the deprivation indices and the postcode lookup use 2011 "
                "ones.\n\nSource: Office for National Statistics, Census 2021, via Nomis. Open Government "
                "Licence v3.0."
            ),
            resources=[
                _file(
                    "Usual residents and ages 65 and over, by LSOA",
                    "coventry_census2021_lsoa21_population_65plus.csv",
                    "One row per LSOA 2021: code, name, total, and counts for each age band from 65.",
                )
            ],
            tags=["census", "population", "older people", "LSOA"],
            themes=["society"],
            author=ONS,
            url="https://www.nomisweb.co.uk/sources/census_2021",
            version="Census 2021",
            temporal_start=datetime.date(2021, 3, 21),
            temporal_end=datetime.date(2021, 3, 21),
            update_frequency="irregular",
        ),
        _dataset(
            "coventry-postcodes-and-wards",
            title="Coventry postcodes: areas, wards and grid references",
            notes=(
                "Which output area, LSOA, MSOA and ward each Coventry postcode lies in, and where it is.\n\n"
                "- ONS postcode lookup (May 2022): 9,171 postcodes, 6,317 still in use (`doterm` empty).\n"
                "- OS Code-Point Open 2025.2: 6,364 postcodes in use with their grid reference "
                "(British National Grid, EPSG:27700), ward code and ward name.\n"
                "- The 18 wards with their codes and names.\n\n"
                "Contains OS data © Crown copyright and database right 2025; Royal Mail data © Royal Mail "
                "copyright and database right 2022 and 2025; National Statistics data © Crown copyright and "
                "database right 2022 and 2025. Open Government Licence v3.0 (OS OpenData)."
            ),
            resources=[
                _file(
                    "Postcode to output area, LSOA and MSOA lookup (ONS, May 2022)",
                    "coventry_pcd_oa_lsoa_msoa_lad_may22.csv",
                    "ONS postcode lookup, Coventry rows: dates introduced and terminated, OA, LSOA, MSOA.",
                ),
                _file(
                    "Postcodes with grid references and wards (OS Code-Point Open 2025.2)",
                    "coventry_postcodes_codepoint_open_2025.csv",
                    "Coventry's live postcodes: positional quality, eastings, northings, ward code and name.",
                ),
                _file(
                    "Wards",
                    "coventry_ward_codes_names_codepoint.csv",
                    "The 18 Coventry wards (E05001218 to E05001235) and their names.",
                ),
            ],
            tags=["postcodes", "wards", "geography", "lookup"],
            themes=["mapping"],
            author=f"{ONS}; Ordnance Survey",
            url="https://geoportal.statistics.gov.uk/",
            update_frequency="quarterly",
        ),
        _dataset(
            "coventry-lsoa-boundaries-2011",
            title="Coventry neighbourhood (LSOA) boundaries, 2011",
            notes=(
                "The boundaries of Coventry's 195 Lower-layer Super Output Areas (December 2011), super "
                "generalised (about 20 m), in WGS 84, with each area's code, name and centre. They are the "
                "areas of the deprivation indices and the postcode lookup.\n\n"
                "Source: Office for National Statistics licensed under the Open Government Licence v3.0. "
                "Contains OS data © Crown copyright and database right."
            ),
            resources=[
                _file(
                    "LSOA boundaries (GeoJSON)",
                    "coventry_lsoa2011_bsc.geojson",
                    "195 polygons; properties LSOA11CD, LSOA11NM, LONG, LAT.",
                )
            ],
            tags=["boundaries", "LSOA", "geography"],
            themes=["mapping"],
            author=ONS,
            url="https://geoportal.statistics.gov.uk/",
            version="December 2011, super generalised",
            update_frequency="never",
        ),
    ]


def _health_and_environment() -> list[PlatformDataset]:
    msoa = "Coventry's middle-layer super output areas (MSOAs, 2011 boundaries, about 8,000 people each)"
    return [
        _dataset(
            "coventry-health-indicators-by-msoa",
            title="Life expectancy and healthy life expectancy in Coventry, by area",
            notes=(
                "Life expectancy and healthy life expectancy at birth, for men and women, in each of "
                f"{msoa}, with 95% confidence intervals; the population (mid-2020) and its density; the MSOA "
                "boundaries and a lookup of codes and names.\n\n"
                "Underlying data: Office for Health Improvement and Disparities and Office for National "
                f"Statistics, Open Government Licence v3.0. {HEALTHY_CITIES}"
            ),
            resources=[
                _file("Life expectancy at birth", "life_expectancy_msoa.csv", "Years, by MSOA and sex."),
                _file(
                    "Healthy life expectancy at birth",
                    "healthy_life_expectancy_msoa.csv",
                    "Years in good health, by MSOA and sex.",
                ),
                _file("Population, mid-2020", "population_msoa.csv", "People and people per km², by MSOA."),
                _file("MSOA boundaries (GeoJSON)", "boundary_msoa_coventry.geojson", "43 MSOA polygons."),
                _file(
                    "MSOA codes and names", "msoa_look_up_table.csv", "MSOA to local authority and region."
                ),
            ],
            tags=["life expectancy", "health", "population", "MSOA"],
            themes=["health"],
            author="Office for Health Improvement and Disparities; Office for National Statistics",
            url="https://github.com/0oshowero0/HealthyCitiesDataset",
            update_frequency="never",
        ),
        _dataset(
            "coventry-environment-indicators-by-msoa",
            title="Walkability, streets, buildings and nearby amenities in Coventry, by area",
            notes=(
                f"Indicators of the built environment in each of {msoa}: a walkability index, the density of "
                "roads one can walk, cycle and drive on, building density, and how many health services, "
                "places to exercise, and alcohol and tobacco outlets there are per person.\n\n"
                "Derived from OpenStreetMap: © OpenStreetMap contributors, Open Database License (ODbL) "
                f"1.0. {HEALTHY_CITIES}"
            ),
            resources=[
                _file(
                    "Walkability", "walkability_msoa.csv", "Daily-living, intersection and density z-scores."
                ),
                _file("Walking road density", "walking_road_density_msoa.csv", "km of road per km²."),
                _file("Cycling road density", "cycling_road_density_msoa.csv", "km of road per km²."),
                _file("Driving road density", "driving_road_density_msoa.csv", "km of road per km²."),
                _file("Building density", "building_density_msoa.csv", "Buildings per km²."),
                _file("Health services", "health_availability_msoa.csv", "Places per person."),
                _file("Places to exercise", "physical_exercise_availability_msoa.csv", "Places per person."),
                _file("Alcohol outlets", "alcohol_availability_msoa.csv", "Places per person."),
                _file("Tobacco outlets", "tobacco_availability_msoa.csv", "Places per person."),
            ],
            tags=["walkability", "environment", "health", "OpenStreetMap", "MSOA"],
            themes=["environment", "health"],
            licence="ODbL-1.0",
            author="OpenStreetMap contributors; HealthyCitiesDataset",
            url="https://github.com/0oshowero0/HealthyCitiesDataset",
            update_frequency="never",
        ),
    ]


def demo_datasets() -> list[PlatformDataset]:
    """Every demo dataset, described."""
    return [*_deprivation(), *_population_and_places(), *_health_and_environment()]


def load_demo() -> str:
    """The demo loader: the files above, then the platform's own datasets (air quality sensors)."""
    files = sync_source("demo", demo_datasets())
    platform = sync_platform_datasets()
    return f"demo files: {files}; platform datasets: {platform}"
