"""Comment text: Markdown rendered safely, mentions of existing users linked."""

import pytest

from lindos.review.markup import render_markdown


@pytest.mark.django_db
def test_markdown_formats():
    html = render_markdown("Some **bold**, `code` and [a link](https://example.com/x).")
    assert "<strong>bold</strong>" in html and "<code>code</code>" in html
    assert 'href="https://example.com/x"' in html and 'rel="nofollow noopener noreferrer"' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text, forbidden",
    [
        ("<script>alert(1)</script>", "<script"),
        ("<img src=x onerror=alert(1)>", "<img"),
        ('<div onclick="steal()">x</div>', "<div"),
        ("[click](javascript:alert(1))", "javascript:"),
        ('<a href="javascript:alert(1)">x</a>', "<a href"),
        ("[x](data:text/html;base64,PHNjcmlwdD4=)", "data:"),
    ],
)
def test_raw_html_and_script_links_are_inert(text, forbidden):
    html = render_markdown(text)
    assert forbidden not in html


@pytest.mark.django_db
def test_raw_html_is_shown_as_typed():
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in render_markdown("<script>alert(1)</script>")


@pytest.mark.django_db
def test_mentions_link_existing_users_only(make_user):
    make_user("bob")
    html = render_markdown("Hi @bob and @nobody, see `@bob` and mail bob@example.com")
    assert html.count('class="mention"') == 1
    assert 'href="/_profile/bob"' in html and ">@bob</a>" in html
    assert "@nobody" in html and "<code>@bob</code>" in html
    assert "bob@example.com" in html  # an address is not a mention


@pytest.mark.django_db
def test_inactive_users_are_not_linked(make_user):
    make_user("gone", active=False)
    assert "mention" not in render_markdown("@gone")
