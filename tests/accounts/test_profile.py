"""``/_profile/USERNAME``: what others may see of a user, where @mentions link."""

import pytest

from lindos.review.markup import render_markdown
from lindos.review.models import PullRequest
from tests.repos.fixtures import make_repo, make_user, repo_root  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def olga(make_user):
    user = make_user("olga")
    user.first_name, user.last_name = "Olga", "Owner"
    user.save()
    return user


def open_pull_request(repo, owner, title):
    return PullRequest.objects.create(
        title=title,
        owner=owner,
        source_repo=repo,
        source_ref="feature",
        target_repo=repo,
        target_branch="master",
    )


def page(client, username="olga"):
    response = client.get(f"/_profile/{username}")
    return response.status_code, response.content.decode()


def test_shows_name_and_what_the_viewer_may_read(client, olga, make_user, make_repo):
    make_repo("public-one", owner=olga, description="Everybody sees this")
    make_repo("secret-one", owner=olga, private=True)
    make_repo("someone-elses", owner=make_user("zed"))
    client.force_login(make_user("viewer"))
    status, html = page(client)
    assert status == 200
    assert "Olga Owner" in html and "@olga" in html
    assert 'href="/public-one"' in html and "Everybody sees this" in html
    assert "secret-one" not in html and "someone-elses" not in html
    assert "olga@example.com" not in html  # never the address


def test_the_owner_and_admins_see_private_repositories(client, olga, make_user, make_repo):
    make_repo("secret-one", owner=olga, private=True)
    client.force_login(olga)
    assert 'href="/secret-one"' in page(client)[1]
    client.force_login(make_user("root", admin=True))
    status, html = page(client)
    assert 'href="/secret-one"' in html
    assert f'href="/_admin/users/{olga.pk}/edit"' in html  # admins get the edit link


def test_anonymous_visitors_see_the_public_part(client, olga, make_repo):
    make_repo("public-one", owner=olga)
    make_repo("secret-one", owner=olga, private=True)
    status, html = page(client)
    assert status == 200 and 'href="/public-one"' in html and "secret-one" not in html
    assert "/_admin/users/" not in html


def test_open_pull_requests_into_readable_repositories(client, olga, make_user, make_repo):
    public = make_repo("public-one", owner=make_user("zed"))
    secret = make_repo("secret-one", owner=make_user("yan"), private=True)
    shown = open_pull_request(public, olga, "Make it <faster>")
    open_pull_request(secret, olga, "Hidden work")
    closed = open_pull_request(public, olga, "Old idea")
    closed.state = PullRequest.CLOSED
    closed.save()
    status, html = page(client)
    assert f'href="{shown.url}"' in html and "Make it &lt;faster&gt;" in html
    assert "Hidden work" not in html and "Old idea" not in html


@pytest.mark.parametrize("username", ["nobody", "..", "olga%2Fx"])
def test_unknown_users_are_404(client, olga, username):
    assert page(client, username)[0] == 404


def test_deactivated_users_are_404(client, make_user):
    make_user("gone", active=False)
    assert page(client, "gone")[0] == 404


def test_only_get_and_head(client, olga):
    assert client.post("/_profile/olga").status_code == 405
    assert client.head("/_profile/olga").status_code == 200


def test_a_mention_links_to_a_page_any_reader_can_open(client, olga, make_user):
    html = render_markdown("Thanks @olga")
    assert 'href="/_profile/olga"' in html
    client.force_login(make_user("viewer"))
    assert page(client)[0] == 200


def test_names_link_to_profiles_while_the_user_is_active(make_user):
    from django.template import Context, Template

    link = Template("{% load people %}{{ person|profile_link }}")
    olga = make_user("olga")
    olga.first_name = "<Olga>"
    olga.save()
    assert (
        link.render(Context({"person": olga})) == '<a class="person" href="/_profile/olga">&lt;Olga&gt;</a>'
    )
    olga.is_active = False
    assert link.render(Context({"person": olga})) == "&lt;Olga&gt;"
