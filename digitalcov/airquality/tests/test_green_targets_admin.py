"""Officers keep the city's green targets in the admin: the Administrator role may, and the model's limits
are checked there."""

import pytest

from digitalcov.airquality.models import GreenTarget
from digitalcov.core import roles
from digitalcov.core.testing.factories import make_staff

pytestmark = pytest.mark.django_db
ADD = "/admin/airquality/greentarget/add/"


def form(**changes) -> dict:
    data = {
        "pollutant": "PM2.5",
        "value": "8",
        "target_year": "2030",
        "description": "Coventry Clean Air Plan",
    }
    data.update(changes)
    return data


def test_an_administrator_adds_a_target_that_the_page_then_shows(client):
    client.force_login(make_staff(roles.ADMINISTRATOR))
    response = client.post(ADD, form())
    assert response.status_code == 302
    target = GreenTarget.objects.get()
    assert str(target) == "PM2.5 annual mean 8 µg/m³ by 2030"
    assert "PM2.5: 8 µg/m³ or less by 2030" in client.get("/air-quality/green-targets/").content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"value": "-1"}, "value", "Ensure this value is greater than or equal to 0."),
        ({"target_year": "1999"}, "target_year", "Ensure this value is greater than or equal to 2000."),
        ({"target_year": "2101"}, "target_year", "Ensure this value is less than or equal to 2100."),
        (
            {"pollutant": "CO2"},
            "pollutant",
            "Select a valid choice. CO2 is not one of the available choices.",
        ),
    ],
)
def test_a_target_outside_the_models_limits_is_refused(client, changes, field, message):
    client.force_login(make_staff(roles.ADMINISTRATOR))
    response = client.post(ADD, form(**changes))
    assert response.status_code == 200
    assert message in response.context["adminform"].form.errors[field]
    assert not GreenTarget.objects.exists()


def test_other_staff_cannot_change_targets(client):
    client.force_login(make_staff(roles.CUSTOMER_SERVICE_AGENT, is_staff=True))
    assert client.get(ADD).status_code == 403
