"""The fee table: statutory demo fees, the fee in force on a day, the API and the admin."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model

from digitalcov.certificates import demo, services
from digitalcov.certificates.models import Fee
from digitalcov.core import roles
from digitalcov.core.testing.factories import make_staff

pytestmark = pytest.mark.django_db


def test_demo_data_loads_the_statutory_fees_and_a_registrar_and_can_run_again():
    from digitalcov.core.demo import load_demo_people

    load_demo_people()
    first = demo.load()
    second = demo.load()
    assert first == "8 fee(s) added (8 in all)" and second == "0 fee(s) added (8 in all)"
    assert Fee.objects.count() == 8
    assert set(Fee.objects.values_list("service_level", "amount_pence")) == {
        ("standard", 1250),
        ("priority", 3850),
    }
    assert all("SI 2024/598" in fee.source for fee in Fee.objects.all())
    registrar = get_user_model().objects.get(email="registrar@example.gov.uk")
    assert registrar.check_password("demo-password-1")
    assert registrar.has_perm("certificates.process_orders")
    assert get_user_model().objects.filter(email="registrar@example.gov.uk").count() == 1


def test_the_fee_in_force_is_the_latest_on_or_before_the_day(fees):
    Fee.objects.create(
        certificate_type="death",
        service_level="standard",
        amount_pence=1400,
        effective_from=datetime.date(2030, 4, 1),
        source="A future order",
    )
    assert services.current_fee("death", "standard", datetime.date(2030, 3, 31)).amount_pence == 1250
    assert services.current_fee("death", "standard", datetime.date(2030, 4, 1)).amount_pence == 1400
    assert services.current_fee("death", "standard", datetime.date(2020, 1, 1)) is None


def test_the_api_lists_the_fees_in_force(client, fees):
    response = client.get("/api/certificates/fees")
    assert response.status_code == 200
    rows = response.json()
    assert len(rows) == 8
    assert {"certificate_type": "birth", "service_level": "priority", "amount_pence": 3850}.items() <= rows[
        1
    ].items()


def test_administrators_edit_fees_in_the_admin_and_registrars_cannot(client, fees):
    client.force_login(make_staff(roles.ADMINISTRATOR))
    fee = Fee.objects.first()
    assert client.get("/admin/certificates/fee/").status_code == 200
    assert client.get(f"/admin/certificates/fee/{fee.pk}/change/").status_code == 200
    client.force_login(make_staff(roles.REGISTRAR))
    assert client.get("/admin/certificates/fee/").status_code == 302  # not staff: sent to admin sign-in
