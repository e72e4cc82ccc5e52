"""Accounts test helpers: users, logged-in clients, and the events the
account pages hand to the notification pipeline."""

import re
from html import unescape

import pytest

from lindos.accounts.models import User
from lindos.appsettings.current import save_app_settings

PASSWORD = "correct-horse"


@pytest.fixture
def events(monkeypatch):
    """Every event the account code passes to ``notify``, in order.

    The notification pipeline (outbox, rendering, delivery) is tested on its
    own; here what matters is which event the account action recorded."""
    recorded = []

    def notify(event, **kwargs):
        recorded.append(event)

    monkeypatch.setattr("lindos.accounts.views.notify", notify)
    monkeypatch.setattr("lindos.accounts.registration.notify", notify)
    monkeypatch.setattr("lindos.accounts.addresses.notify", notify)
    return recorded


@pytest.fixture
def make_user(db):
    def make(username, email=None, password=PASSWORD, **fields):
        user = User(username=username, email=email or f"{username}@example.com", **fields)
        user.set_password(password)
        user.save()
        return user

    return make


@pytest.fixture
def alice(make_user):
    return make_user("alice", first_name="Alice", last_name="Liddell")


@pytest.fixture
def admin(make_user):
    return make_user("root", first_name="Ada", last_name="Admin", is_superuser=True, is_staff=True)


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


@pytest.fixture
def registration(db):
    def set_mode(mode):
        save_app_settings(registration=mode)

    return set_mode


def text(response) -> str:
    """A page's visible text, tags removed and whitespace collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def header_name(response) -> str | None:
    """The logged-in name the header shows, or None when logged out."""
    match = re.search(r'<a class="who" href="/_admin/my_account"[^>]*>([^<]*)</a>', response.content.decode())
    return match.group(1) if match else None


def csrf_free(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
