"""The registry of mail types: every event has its one mail type, every
mail type its templates, sample and a Kallithea header value."""

import pytest
from django.template.loader import get_template

from lindos.notifications import events as ev
from lindos.notifications import mailtypes
from lindos.notifications.samples import samples

KALLITHEA_TYPES = {"cs_comment", "pull_request", "pull_request_comment", "registration", "message", None}


def test_every_event_has_exactly_one_mail_type():
    assert set(mailtypes.BY_EVENT) == set(ev.EVENT_TYPES.values())
    assert len(mailtypes.BY_EVENT) == len([t for t in mailtypes.MAIL_TYPES if t.event])


def test_names_are_unique_and_headers_are_kallitheas():
    names = [t.name for t in mailtypes.MAIL_TYPES]
    assert len(names) == len(set(names))
    assert {t.header for t in mailtypes.MAIL_TYPES} <= KALLITHEA_TYPES


@pytest.mark.parametrize("mail_type", mailtypes.MAIL_TYPES, ids=lambda t: t.name)
def test_each_type_has_templates_a_loader_and_a_sample(mail_type):
    get_template(f"notifications/mail/{mail_type.template_name}.txt")
    get_template(f"notifications/mail/{mail_type.template_name}.html")
    if mail_type.event is not None:
        assert callable(mailtypes._import(mail_type.loader))
    assert any(mailtypes.for_facts(facts) is mail_type for facts, _ in samples().values())


@pytest.mark.parametrize(
    "name, expected",
    [
        ("cs_comment", "cs_comment"),
        ("pull_request_comment_closing", "pull_request_comment"),
        ("pull_request", "pull_request"),
        ("pull_request_reviewers_added", "pull_request_reviewers"),
        ("error", "error"),
        ("undeliverable", "undeliverable"),
        ("test_mail", "test_mail"),
    ],
)
def test_facts_find_their_type(name, expected):
    facts, _ = samples()[name]
    assert mailtypes.for_facts(facts).name == expected


def test_an_event_stored_by_an_older_lindos_still_finds_its_type():
    # no base_url, no reviewer_ids: as stored before those were carried
    event = ev.event_from_json('{"type": "PullRequestCommented", "actor_id": 3, "comment_id": 9}')
    assert mailtypes.for_event(event).name == "pull_request_comment"
    assert mailtypes.dedupe_scope(event) == "pr_comment:9"
    reviewers = ev.event_from_json(
        '{"type": "PullRequestReviewersAdded", "actor_id": 3, "pull_request_id": 4, "reviewer_ids": [7, 5]}'
    )
    assert mailtypes.dedupe_scope(reviewers) == "pr_reviewers:4:[5, 7]"


def test_unknown_facts_or_events_are_refused():
    with pytest.raises(LookupError):
        mailtypes.for_facts(object())
    with pytest.raises(LookupError):
        mailtypes.for_event(object())
