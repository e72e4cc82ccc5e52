"""POST /_admin/repos with Kallithea's create form fields."""

from lindos.repos.models import Repository


def test_create_with_kallithea_fields(client, site):
    client.force_login(site.ulla)
    group = site.public.name.split("/")[0]
    from lindos.repos.models import RepoGroup

    group_id = RepoGroup.objects.get(name=group).pk
    response = client.post(
        "/_admin/repos",
        {
            "repo_name": "fresh",
            "repo_type": "hg",
            "repo_description": "made the Kallithea way",
            "repo_private": "on",
            "repo_group": "-1",
        },
    )
    assert response.status_code == 302
    repo = Repository.objects.get(name="fresh")
    assert (repo.kind, repo.description, repo.private, repo.owner) == (
        "hg",
        "made the Kallithea way",
        True,
        site.ulla,
    )
    client.force_login(site.admin)
    client.post("/_admin/repos", {"repo_name": "inner", "repo_type": "git", "repo_group": str(group_id)})
    assert Repository.objects.get(name="team/inner").kind == "git"


def test_bad_input_is_a_form_error_not_a_500(client, site):
    client.force_login(site.ulla)
    response = client.post("/_admin/repos", {"repo_name": "../x", "repo_type": "svn"})
    assert response.status_code == 200
    assert not Repository.objects.filter(name__contains="x").exclude(name__startswith="team").exists()
    assert client.post("/_admin/repos", {"repo_name": "a", "repo_group": "abc"}).status_code == 404
    assert client.post("/_admin/repos", {"repo_name": "a", "repo_group": "9" * 40}).status_code == 404


def test_a_group_one_may_not_read_is_a_404(client, site, make_repo):
    from lindos.repos.models import RepoGroup

    make_repo("closed/thing", private=True)
    RepoGroup.objects.filter(name="closed").update(default_permission="none")
    client.force_login(site.ulla)
    closed = RepoGroup.objects.get(name="closed").pk
    assert client.post("/_admin/repos", {"repo_name": "a", "repo_group": str(closed)}).status_code == 404


def test_anonymous_is_sent_to_log_in(client, site):
    response = client.post("/_admin/repos", {"repo_name": "anon", "repo_type": "git"})
    assert response.status_code == 302 and response["Location"].startswith("/_admin/login")
    assert not Repository.objects.filter(name="anon").exists()


def test_csrf_is_checked(site):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(site.ulla)
    response = client.post("/_admin/repos", {"repo_name": "forged", "repo_type": "git"})
    assert response.status_code == 403
    assert not Repository.objects.filter(name="forged").exists()
