"""The licences the catalogue offers, loaded by a data migration. Ids are SPDX identifiers where one
exists; `ckan_id` is the id CKAN's default licence list (and data.gov.uk) uses for the same licence, so
clients that send `license_id: "uk-ogl"` still get the Open Government Licence.

Open/closed follows the Open Definition's list of conformant licences (opendefinition.org/licenses).
"""

from __future__ import annotations

# (id, ckan_id, title, url, is_open, is_generic)
LICENCES: list[tuple[str, str, str, str, bool, bool]] = [
    (
        "OGL-UK-3.0",
        "uk-ogl",
        "Open Government Licence v3.0",
        "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        True,
        False,
    ),
    (
        "OGL-UK-2.0",
        "",
        "Open Government Licence v2.0",
        "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/2/",
        True,
        False,
    ),
    (
        "CC-BY-4.0",
        "cc-by",
        "Creative Commons Attribution 4.0",
        "https://creativecommons.org/licenses/by/4.0/",
        True,
        False,
    ),
    (
        "CC-BY-SA-4.0",
        "cc-by-sa",
        "Creative Commons Attribution Share-Alike 4.0",
        "https://creativecommons.org/licenses/by-sa/4.0/",
        True,
        False,
    ),
    (
        "CC0-1.0",
        "cc-zero",
        "Creative Commons CCZero",
        "https://creativecommons.org/publicdomain/zero/1.0/",
        True,
        False,
    ),
    (
        "ODC-By-1.0",
        "odc-by",
        "Open Data Commons Attribution License",
        "https://opendatacommons.org/licenses/by/1-0/",
        True,
        False,
    ),
    (
        "ODbL-1.0",
        "odc-odbl",
        "Open Data Commons Open Database License (ODbL)",
        "https://opendatacommons.org/licenses/odbl/1-0/",
        True,
        False,
    ),
    (
        "PDDL-1.0",
        "odc-pddl",
        "Open Data Commons Public Domain Dedication and License (PDDL)",
        "https://opendatacommons.org/licenses/pddl/1-0/",
        True,
        False,
    ),
    ("other-open", "other-open", "Other (Open)", "", True, True),
    ("other-pd", "other-pd", "Other (Public Domain)", "", True, True),
    ("other-at", "other-at", "Other (Attribution)", "", True, True),
    (
        "CC-BY-NC-4.0",
        "cc-nc",
        "Creative Commons Non-Commercial (Any)",
        "https://creativecommons.org/licenses/by-nc/4.0/",
        False,
        False,
    ),
    ("other-nc", "other-nc", "Other (Non-Commercial)", "", False, True),
    ("other-closed", "other-closed", "Other (Not Open)", "", False, True),
    ("notspecified", "notspecified", "License not specified", "", False, True),
]
