"""The Django admin for accounts, and which roles can reach it."""

import pytest
from django.contrib.auth.models import Group

from digitalcov.accounts.models import User
from digitalcov.core import roles
from digitalcov.core.models import AuditEvent
from digitalcov.core.testing.factories import make_resident, make_staff

pytestmark = pytest.mark.django_db


def test_administrators_find_people_by_email_or_name(client):
    client.force_login(make_staff(roles.ADMINISTRATOR))
    make_resident(email="priya@example.com", full_name="Priya Shah")
    make_resident(email="tom@example.com", full_name="Tom Jones")
    by_email = client.get("/admin/accounts/user/", {"q": "priya@"}).content.decode()
    assert "priya@example.com" in by_email and "tom@example.com" not in by_email
    by_name = client.get("/admin/accounts/user/", {"q": "Jones"}).content.decode()
    assert "tom@example.com" in by_name and "priya@example.com" not in by_name


def test_administrators_assign_roles_and_never_see_a_password_field(client):
    client.force_login(make_staff(roles.ADMINISTRATOR))
    resident = make_resident(email="sam@example.com")
    page = client.get(f"/admin/accounts/user/{resident.pk}/change/").content.decode()
    assert 'name="groups"' in page
    assert 'name="password"' not in page
    assert resident.password not in page
    registrar = Group.objects.get(name=roles.REGISTRAR)
    data = {
        "email": "sam@example.com",
        "email_verified": "on",
        "pending_email": "",
        "full_name": resident.full_name,
        "phone": resident.phone,
        "address_line_1": resident.address_line_1,
        "address_line_2": "",
        "town": "Coventry",
        "postcode": "CV1 5RR",
        "is_active": "on",
        "groups": [registrar.pk],
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
    }
    response = client.post(f"/admin/accounts/user/{resident.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(User.objects.get(pk=resident.pk).groups.values_list("name", flat=True)) == [roles.REGISTRAR]
    audited = AuditEvent.objects.filter(object_id=str(resident.pk)).values_list("action", flat=True)
    assert {"admin.user_viewed", "admin.user_changed"} <= set(audited)


@pytest.mark.parametrize("role", [roles.CUSTOMER_SERVICE_AGENT, roles.RECYCLING_SITE_STAFF, roles.REGISTRAR])
def test_other_staff_roles_cannot_reach_the_accounts_admin(client, role):
    client.force_login(make_staff(role))
    assert client.get("/admin/accounts/user/").status_code == 302  # the admin's own sign-in page


def test_residents_cannot_reach_the_accounts_admin(client):
    client.force_login(make_resident())
    assert client.get("/admin/accounts/user/").status_code == 302


def test_a_superuser_adds_a_member_of_staff_by_email_with_an_argon2_password(client):
    client.force_login(
        User.objects.create_superuser(email="root@example.gov.uk", password="unused-long-pass")
    )
    assert client.get("/admin/accounts/user/add/").status_code == 200
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "email": "new.staff@example.gov.uk",
            "full_name": "New Staff",
            "usable_password": "true",
            "password1": "granite-orchard-sparrow",
            "password2": "granite-orchard-sparrow",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = User.objects.get(email="new.staff@example.gov.uk")
    assert created.password.startswith("argon2")
