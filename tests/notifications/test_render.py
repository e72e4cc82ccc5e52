"""Bodies: HTML escapes user text, Markdown is sanitised, links are absolute,
inline comments show their code."""

from dataclasses import replace

import pytest

from lindos.notifications import facts as f
from lindos.notifications.contexts import markdown_html
from lindos.notifications.render import context_for, render_bodies
from lindos.notifications.samples import PR, samples
from tests.notifications import factories as x

SITE = "https://code.example.org"


def test_html_escapes_user_text():
    pr = replace(x.PR, title='<img src=x onerror="alert(1)"> & co')
    text, html = render_bodies(x.pr_comment(pull_request=pr), SITE)
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; co" in html
    assert "<img" not in html
    assert '"<img src=x onerror="alert(1)"> & co"' in text  # text shows it as written


def test_markdown_is_rendered_and_sanitised():
    html = markdown_html("**bold** <script>x()</script> [l](javascript:alert(1)) <b onclick=x>b</b>")
    assert "<strong>bold</strong>" in html
    assert "&lt;script&gt;x()&lt;/script&gt;" in html  # shown as typed, as on the page
    assert "<script" not in html and "javascript:" not in html and "<b " not in html


TRACKER = "https://tracker.example/pixel.gif?u=alice"


def test_raw_html_and_remote_images_do_not_reach_the_mail():
    """They did: mail rendered raw HTML with nh3's defaults, which allow
    <img>, so a comment could put a tracking pixel in every mail."""
    text = (
        f'<img src="{TRACKER}"> ![logo]({TRACKER}) <b>raw</b> '
        f'<a href="{TRACKER}">x</a> <p style="x">styled</p>'
    )
    _, html = render_bodies(x.cs_comment(text=text), SITE)
    assert "<img" not in html
    comment = context_for(x.cs_comment(text=text), SITE)["comment_html"]
    assert comment in html
    assert "<b>" not in comment and "<p style" not in comment
    assert "&lt;a href=" in comment and "&lt;b&gt;raw&lt;/b&gt;" in comment
    assert '&lt;img src="https://tracker.example/pixel.gif?u=alice"&gt;' in html
    # The Markdown image is a link to it, as on the page.
    assert f'<a href="{TRACKER.replace("&", "&amp;")}" rel="nofollow noopener noreferrer">logo</a>' in html


def test_mentions_link_to_absolute_profiles():
    _, html = render_bodies(x.cs_comment(text="Hi @frank and @nobody", mentioned=(x.FRANK,)), SITE)
    assert (
        f'<a class="mention" href="{SITE}/_profile/frank" title="Frank Mention" '
        f'rel="nofollow noopener noreferrer">@frank</a>'
    ) in html
    assert "@nobody" in html and "_profile/nobody" not in html


def test_the_description_links_its_own_mentions():
    _, html = render_bodies(x.pr_created(), SITE)  # description mentions @frank
    assert f'href="{SITE}/_profile/frank"' in html


def test_links_use_canonical_url():
    text, html = render_bodies(x.cs_comment(), SITE)
    url = f"{SITE}/group/widgets/changeset/{x.RAW_ID}#comment-100"
    assert f"Comment:    {url}" in text and f"View Comment: {url}" in text
    # Kallithea's "View" button
    assert (
        f'<a href="{url}" style="color:#395fa0;font-weight:700;text-decoration:none;'
        f'white-space:nowrap">View Comment</a>'
    ) in html


def test_repository_and_each_changeset_are_linked_with_the_authors_full_name():
    text, html = render_bodies(x.pr_created(), SITE)
    cs_url = f"{SITE}/group/widgets/changeset/{x.RAW_ID}"
    assert f"Repository: {SITE}/group/widgets\n" in text
    assert (
        f"  0123456789ab Fix the frobnicator so that it no longer explodes on empty input "
        f"(Alice Liddell)\n    {cs_url}\n" in text
    )
    assert f'<a href="{cs_url}"><code>0123456789ab</code></a>' in html
    assert f'<a href="{SITE}/group/widgets"><b>group/widgets</b></a>' in html
    text, _ = render_bodies(x.cs_comment(changeset_author=x.ALICE), SITE)
    assert '"Fix the frobnicator so that it no longer explodes on empty input" by Alice Liddell' in text


def test_the_reader_is_told_why():
    text, html = render_bodies(x.cs_comment(), SITE, why="You get this mail because you were mentioned.")
    assert text.startswith("You get this mail because you were mentioned.\n\n")
    assert (
        '<p style="color:#656d76;font-style:italic">You get this mail because you were mentioned.</p>' in html
    )
    text, _ = render_bodies(x.cs_comment(), SITE)
    assert "You get this mail" not in text


@pytest.mark.parametrize(
    "facts",
    [
        x.cs_comment(),
        x.pr_created(),
        x.pr_comment(),
        f.PasswordChangedFacts(user=x.BOB),
        f.TestMailFacts(address="a@b.c", site_title="Our Code"),
        f.RegistrationFacts(actor=x.BOB, user=x.BOB, admins=()),
    ],
)
def test_bodies_name_the_instance_not_the_product(facts):
    text, html = render_bodies(facts, SITE, title="Our Code")
    assert "Lindos" not in text and "Lindos" not in html
    assert "Sent by Our Code at" in text and "Sent by Our Code at" in html


def test_inline_comment_shows_file_line_and_code():
    text, html = render_bodies(x.cs_comment(), SITE)
    assert "On src/frob.py, line 42 (new version):\n" in text
    assert ">   42          return None  # <- here\n" in text
    assert "    41      if not items:\n" in text
    assert "<b>src/frob.py</b>, line 42 (new version)" in html
    assert "return None  # &lt;- here" in html


def test_status_and_closing_are_stated():
    text, _ = render_bodies(x.pr_comment(status_change="Approved", closing=True), SITE)
    assert "The comment closed the pull request with status: Approved." in text
    text, _ = render_bodies(x.pr_comment(status_change="Not approved"), SITE)
    assert "Status: Not approved" in text


def test_every_sample_renders_both_bodies():
    for name, (facts, _) in samples().items():
        text, html = render_bodies(facts, SITE)
        assert "\n-- \nSent by Lindos at https://code.example.org" in text, name
        assert html.startswith("<!DOCTYPE html>") and "</html>" in html, name
    assert PR.id == 12


# The page renders with lindos.review.markup; the mail must show the same.
COMMENTS = [
    "Looks **good**, `code`, [a link](https://example.com/x) and a [site link](/group/widgets)",
    "<script>alert(1)</script> <b>bold</b> <img src=x onerror=alert(1)>",
    f"![pixel]({TRACKER}) and [![nested]({TRACKER})](https://example.com)",
    "@alice and @Frank, but not `@carol` or mail@example.com\n\n```\n@dave\n```",
    "[x](javascript:alert(1)) [y](data:text/html;base64,PHNjcmlwdD4=)",
    "| a | b |\n|---|---|\n| <i>1</i> | 2 |\n\n1. one\n2. two",
]


@pytest.mark.django_db
@pytest.mark.parametrize("text", COMMENTS)
def test_a_mail_shows_a_comment_as_its_page_does(text, people):
    from lindos.review.facts import mentioned
    from lindos.review.markup import render_markdown

    page = render_markdown(text)
    _, html = render_bodies(x.cs_comment(text=text, mentioned=mentioned(text)), SITE)
    assert page.replace('href="/', f'href="{SITE}/') in html
