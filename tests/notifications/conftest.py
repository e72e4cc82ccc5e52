import pytest

from tests.smtpd import smtp_server_factory, smtpd  # noqa: F401


@pytest.fixture
def people(db):
    """Users matching the hand-built facts in ``factories`` (same ids)."""
    from lindos.accounts.models import User
    from tests.notifications import factories

    for p in (
        factories.ALICE,
        factories.BOB,
        factories.CAROL,
        factories.DAVE,
        factories.ERIN,
        factories.FRANK,
    ):
        first, _, last = p.full_name.partition(" ")
        User.objects.create_user(p.username, p.email, "pw", pk=p.id, first_name=first, last_name=last)


@pytest.fixture
def hand_loaded(monkeypatch):
    """``hand_loaded(EventClass, facts)``: that event now loads these facts.
    Everyone may read every repository unless ``hand_loaded.blocked`` says so."""
    from lindos.notifications import pipeline

    blocked = set()

    def load(event_class, facts):
        with_loader(monkeypatch, event_class, lambda event: facts)

    monkeypatch.setattr(
        pipeline, "readers", lambda repo_id, user_ids: {u for u in user_ids if u not in blocked}
    )
    load.blocked = blocked
    return load


def with_loader(monkeypatch, event_class, loader):
    """Make `loader` the facts loader of `event_class`'s mail type."""
    import dataclasses

    from lindos.notifications import mailtypes

    mail_type = dataclasses.replace(mailtypes.BY_EVENT[event_class], loader=loader)
    monkeypatch.setitem(mailtypes.BY_EVENT, event_class, mail_type)
