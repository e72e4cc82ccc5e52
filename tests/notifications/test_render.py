"""Bodies: HTML escapes user text, Markdown is sanitised, links are absolute,
inline comments show their code."""

from dataclasses import replace

from lindos.notifications.render import markdown_html, render_bodies
from lindos.notifications.samples import PR, samples
from tests.notifications import factories as x

SITE = "https://code.example.org"


def test_html_escapes_user_text():
    pr = replace(x.PR, title='<img src=x onerror="alert(1)"> & co')
    text, html = render_bodies(x.pr_comment(pull_request=pr), SITE)
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; co" in html
    assert "<img" not in html
    assert '"<img src=x onerror="alert(1)"> & co"' in text   # text shows it as written


def test_markdown_is_rendered_and_sanitised():
    html = markdown_html("**bold** <script>x()</script> [l](javascript:alert(1)) <b onclick=x>b</b>")
    assert "<strong>bold</strong>" in html
    assert "script" not in html and "javascript:" not in html and "onclick" not in html


def test_links_use_canonical_url():
    text, html = render_bodies(x.cs_comment(), SITE)
    url = f"{SITE}/group/widgets/changeset/{x.RAW_ID}#comment-100"
    assert f"Comment:   {url}" in text
    assert f'<a href="{url}">View the comment</a>' in html


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


def test_reused_markdown_converter_renders_like_a_fresh_one():
    # The converter is reused (and results remembered): nothing from one
    # text (reference links, stashed code or HTML) may show in the next.
    import markdown
    import nh3

    texts = ["[ref]: https://a.example/x\n\nsee [the link][ref]\n",
             "```python\nx = '<b>'\n```\n\n<div>raw html</div>\n\nsee [the link][ref]\n",
             "| a | b |\n|---|---|\n| 1 | 2 |\n\n1. one\n2. two\n\n* star\n",
             "", "plain *text* with `code`\n", "[ref]: https://a.example/x\n\nsee [the link][ref]\n"]
    for text in texts + texts[::-1]:
        fresh = markdown.markdown(text, extensions=["fenced_code", "tables", "sane_lists"])
        assert markdown_html(text) == nh3.clean(fresh)
