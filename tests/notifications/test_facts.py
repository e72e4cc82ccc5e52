"""Facts helpers read users as plain values; the Persons are those the
model instances give."""

import pytest

from lindos.accounts.models import User
from lindos.notifications import facts as f


@pytest.mark.django_db
def test_people_read_as_values_equal_people_from_users():
    User.objects.create_user("plain", "plain@example.com", "pw")
    User.objects.create_user("named", "named@example.com", "pw", first_name="Ann", last_name="Lee")
    User.objects.create_user("first", "first@example.com", "pw", first_name=" Jürgen ")
    User.objects.create_user("last", "last@example.com", "pw", last_name="O'Neil")
    User.objects.create_user("gone", "gone@example.com", "pw", is_active=False, is_superuser=True)
    User.objects.create_user("boss", "Boss@Example.com", "pw", is_superuser=True, first_name="B")
    users = User.objects.order_by("pk")
    assert f.people(users) == [f.person(u) for u in users]
    assert f.people_by_ids([u.pk for u in users][::-1]) == tuple(f.person(u) for u in users)[::-1]
    assert [p.username for p in f.people_by_usernames(["NAMED", "gone", "first"])] == ["named", "first"]
    assert f.admins() == (f.person(User.objects.get(username="boss")),)
    assert f.person_by_email(" boss@example.COM ") == f.person(User.objects.get(username="boss"))
    assert f.person_by_email("nobody@example.com") is None
