"""``|ago``: times under a minute are "just now"."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import timezone

from lindos.timefmt import build_ago

NOW = datetime.datetime(2026, 12, 1, 12, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    "delta,shown",
    [
        (datetime.timedelta(0), "just now"),
        (datetime.timedelta(seconds=59), "just now"),
        (datetime.timedelta(seconds=-30), "just now"),  # a clock slightly ahead
        (datetime.timedelta(minutes=1), "1\xa0minute ago"),
        (datetime.timedelta(hours=3, minutes=2), "3\xa0hours, 2\xa0minutes ago"),
    ],
)
def test_ago(delta, shown):
    assert build_ago(NOW - delta, NOW) == shown


def test_every_template_has_the_filter():
    rendered = Template("{{ t|ago }}|{{ none|ago }}").render(Context({"t": timezone.now(), "none": None}))
    assert rendered == "just now|"


@pytest.mark.django_db
def test_the_home_page_says_just_now_for_a_new_repository(client, django_user_model):
    from lindos.repos.models import Repository

    owner = django_user_model.objects.create_user("olga", "o@example.com", "pw123456")
    Repository.objects.create(name="fresh", kind="git", owner=owner, updated_at=timezone.now())
    page = client.get("/").content.decode()
    assert "just now" in page and "0\xa0minutes ago" not in page
