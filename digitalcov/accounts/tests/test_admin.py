"""The Django admin for accounts, and which roles can reach it."""

import pytest
from django.contrib.auth.models import Group, Permission

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


# --- The Administrator role cannot give itself (or anyone) more access ---------------------------------


def change_form_data(person, **changes):
    """Everything the change form posts for `person`, as the admin page would, with `changes` applied."""
    data = {
        "email": person.email or "",
        "email_verified": "on" if person.email_verified else "",
        "pending_email": person.pending_email,
        "full_name": person.full_name,
        "phone": person.phone,
        "address_line_1": person.address_line_1,
        "address_line_2": person.address_line_2,
        "town": person.town,
        "postcode": person.postcode,
        "is_active": "on",
        "groups": list(person.groups.values_list("pk", flat=True)),
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value not in ("", None)}


def change(client, person, **changes):
    return client.post(f"/admin/accounts/user/{person.pk}/change/", change_form_data(person, **changes))


@pytest.fixture
def administrator(client):
    person = make_staff(roles.ADMINISTRATOR)
    client.force_login(person)
    return person


def group(name):
    return Group.objects.get(name=name)


def test_an_administrator_cannot_make_themselves_superuser_or_staff_or_grant_permissions(
    client, administrator
):
    permission = Permission.objects.get(codename="delete_user")
    change(client, administrator, is_superuser="on", is_staff="on", user_permissions=[permission.pk])
    administrator.refresh_from_db()
    assert not administrator.is_superuser
    assert not administrator.user_permissions.exists()


def test_an_administrator_cannot_make_a_resident_superuser_or_staff(client, administrator):
    resident = make_resident()
    response = change(client, resident, is_superuser="on", is_staff="on")
    assert response.status_code == 302
    resident.refresh_from_db()
    assert not resident.is_superuser and not resident.is_staff


def test_the_escalation_fields_are_shown_read_only_to_an_administrator(client, administrator):
    page = client.get(f"/admin/accounts/user/{make_resident().pk}/change/").content.decode()
    for field in ("is_superuser", "is_staff", "user_permissions"):
        assert f'name="{field}"' not in page


def test_an_administrator_cannot_change_their_own_roles(client, administrator):
    change(client, administrator, groups=[group(roles.ADMINISTRATOR).pk, group(roles.REGISTRAR).pk])
    assert set(administrator.groups.values_list("name", flat=True)) == {roles.ADMINISTRATOR}
    page = client.get(f"/admin/accounts/user/{administrator.pk}/change/").content.decode()
    assert 'name="groups"' not in page


def test_an_administrator_cannot_give_anyone_the_administrator_role(client, administrator):
    resident = make_resident()
    response = change(client, resident, groups=[group(roles.ADMINISTRATOR).pk])
    assert response.status_code == 200  # "Select a valid choice": the role is not on offer
    assert not resident.groups.filter(name=roles.ADMINISTRATOR).exists()
    page = client.get(f"/admin/accounts/user/{resident.pk}/change/").content.decode()
    assert f'value="{group(roles.ADMINISTRATOR).pk}"' not in page


def test_an_administrator_gives_and_takes_away_the_non_administrator_roles(client, administrator):
    resident = make_resident()
    chosen = [group(name).pk for name in (roles.CUSTOMER_SERVICE_AGENT, roles.REGISTRAR)]
    assert change(client, resident, groups=chosen).status_code == 302
    assert set(resident.groups.values_list("name", flat=True)) == {
        roles.CUSTOMER_SERVICE_AGENT,
        roles.REGISTRAR,
    }
    assert change(client, resident, groups=[group(roles.RESIDENT).pk]).status_code == 302
    assert list(resident.groups.values_list("name", flat=True)) == [roles.RESIDENT]


def test_changing_roles_keeps_a_role_the_administrator_cannot_give(client, administrator):
    person = make_resident()
    person.groups.add(Group.objects.create(name="Data protection officer"))  # a role only a superuser gives
    assert change(client, person, groups=[group(roles.REGISTRAR).pk]).status_code == 302
    assert set(person.groups.values_list("name", flat=True)) == {"Data protection officer", roles.REGISTRAR}


def test_an_administrator_cannot_change_a_superuser_account(client, administrator):
    root = User.objects.create_superuser(email="root@example.gov.uk", password="unused-long-pass")
    response = change(client, root, email="taken.over@example.com", is_active="")
    assert response.status_code == 403
    root.refresh_from_db()
    assert root.email == "root@example.gov.uk" and root.is_active
    page = client.get(f"/admin/accounts/user/{root.pk}/change/").content.decode()
    assert 'name="email"' not in page  # view only


def test_an_administrator_cannot_change_another_administrators_account_or_roles(client, administrator):
    other = make_staff(roles.ADMINISTRATOR)
    response = change(client, other, email="taken.over@example.com", groups=[group(roles.RESIDENT).pk])
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.email != "taken.over@example.com"
    assert list(other.groups.values_list("name", flat=True)) == [roles.ADMINISTRATOR]


def test_an_administrator_cannot_set_anyones_password(client, administrator):
    for person in (make_resident(), administrator):
        url = f"/admin/accounts/user/{person.pk}/password/"
        assert client.get(url).status_code == 403
        response = client.post(
            url,
            {"usable_password": "true", "password1": "new-pass-phrase-x", "password2": "new-pass-phrase-x"},
        )
        assert response.status_code == 403
        person.refresh_from_db()
        assert not person.check_password("new-pass-phrase-x")


def test_a_superuser_can_still_grant_any_role_and_set_a_password(client):
    client.force_login(
        User.objects.create_superuser(email="root@example.gov.uk", password="unused-long-pass")
    )
    resident = make_resident()
    roles.ensure_roles()
    assert change(client, resident, groups=[group(roles.ADMINISTRATOR).pk], is_staff="on").status_code == 302
    resident.refresh_from_db()
    assert resident.is_staff and resident.groups.filter(name=roles.ADMINISTRATOR).exists()
    assert client.get(f"/admin/accounts/user/{resident.pk}/password/").status_code == 200


# --- Telephone numbers and postcodes are checked in the admin too -------------------------------------


def test_the_admin_refuses_a_phone_number_or_postcode_that_is_not_real(client, administrator):
    resident = make_resident(phone="+447700900123", postcode="CV1 5RR")
    page = change(client, resident, phone="not a phone", postcode="ZZZ").content.decode()
    assert "Enter a telephone number, like 01632 960 001" in page
    assert "Enter a real postcode, like CV1 5RR" in page
    resident.refresh_from_db()
    assert (resident.phone, resident.postcode) == ("+447700900123", "CV1 5RR")


def test_the_admin_stores_phone_numbers_and_postcodes_normalised_and_allows_them_blank(client, administrator):
    resident = make_resident()
    assert change(client, resident, phone="07700 900 982", postcode="cv1 5ea").status_code == 302
    resident.refresh_from_db()
    assert (resident.phone, resident.postcode) == ("+447700900982", "CV1 5EA")
    assert change(client, resident, phone="", postcode="").status_code == 302
    resident.refresh_from_db()
    assert (resident.phone, resident.postcode) == ("", "")
