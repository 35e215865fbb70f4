"""Test data and helpers for the catalogue's page tests: a small catalogue of public, private and draft
datasets in two organisations, made through the services, and HTML read as a person sees it."""

from __future__ import annotations

from dataclasses import dataclass

from bs4 import BeautifulSoup

from digitalcov.catalogue.models import Dataset, Membership, Organisation

from .factories import make_dataset, make_member, make_organisation, make_theme


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def text(node) -> str:
    """The text of a node as a person reads it: whitespace collapsed."""
    return " ".join(node.get_text(" ").split()) if node is not None else ""


@dataclass
class Catalogue:
    transport: Organisation
    health: Organisation
    editor: object  # an editor of transport
    outsider_editor: object  # an editor of health
    public: Dataset
    private: Dataset
    draft: Dataset
    other: Dataset  # a public dataset of health


def make_catalogue() -> Catalogue:
    transport = make_organisation("transport", "Transport and highways")
    health = make_organisation("public-health", "Public health")
    editor = make_member(transport)
    outsider_editor = make_member(health, Membership.Role.EDITOR)
    make_theme("environment", "Environment")
    make_theme("transport", "Transport")
    public = make_dataset(
        editor,
        transport,
        name="traffic-counts",
        title="Traffic counts",
        notes="Hourly **vehicle** counts at 40 sites.\n\n<script>alert('x')</script>",
        tag_string="traffic, roads",
        groups=[{"name": "transport"}],
        license_id="OGL-UK-3.0",
        maintainer="Transport data team",
        maintainer_email="transport.data@coventry.gov.uk",
        temporal_start="2023-01-01",
        temporal_end="2023-12-31",
        spatial_coverage="Coventry (E08000026)",
        update_frequency="monthly",
        lga_service="http://id.esd.org.uk/service/1234",
        lga_function="http://id.esd.org.uk/function/56",
        resources=[{"name": "Counts 2023", "url": "https://example.org/counts.csv", "format": "CSV"}],
    )
    private = make_dataset(
        editor,
        transport,
        name="bus-lane-cameras",
        title="Bus lane camera secrets",
        private=True,
        tag_string="secret-tag",
        groups=[{"name": "environment"}],
        resources=[{"name": "Cameras", "url": "https://example.org/cameras.xlsx", "format": "XLSX"}],
    )
    draft = make_dataset(
        editor,
        transport,
        name="road-works-draft",
        title="Road works draft",
        state="draft",
        tag_string="drafty",
    )
    other = make_dataset(
        outsider_editor,
        health,
        name="air-quality",
        title="Air quality readings",
        tag_string="air",
        groups=[{"name": "environment"}],
        license_id="CC-BY-4.0",
        resources=[{"name": "Readings", "url": "https://example.org/aq.json", "format": "JSON"}],
    )
    return Catalogue(transport, health, editor, outsider_editor, public, private, draft, other)
