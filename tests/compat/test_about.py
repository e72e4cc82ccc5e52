"""/about: Kallithea's about page; a repository called "about" keeps its page."""

from lindos.cli import version


def test_about_page(client, db):
    response = client.get("/about")
    assert response.status_code == 200
    assert f"Lindos {version()}" in response.content.decode()


def test_a_repository_called_about_keeps_its_address(client, make_repo):
    make_repo("about", description="Our about repository")
    response = client.get("/about")
    assert response.status_code == 200
    assert b'id="about"' not in response.content
    assert b"Our about repository" in response.content


def test_a_private_repository_called_about_is_a_404_for_others(client, make_repo):
    make_repo("about", private=True)
    assert client.get("/about").status_code == 404
