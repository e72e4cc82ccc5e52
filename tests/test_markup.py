"""lindos.markup: the one Markdown policy of pages and mails."""

import re

import pytest

from lindos import markup
from lindos.notifications.facts import Person

BOB = Person(2, "bob", "Bob Builder", "bob@example.com")
PIXEL = "https://tracker.example/pixel.gif"


def test_images_become_links_on_pages_too():
    html = markup.render_markdown(f'![the logo]({PIXEL} "Logo") and ![]({PIXEL})')
    assert "<img" not in html
    assert f'<a href="{PIXEL}" title="Logo" rel="nofollow noopener noreferrer">the logo</a>' in html
    assert f'<a href="{PIXEL}" rel="nofollow noopener noreferrer">{PIXEL}</a>' in html


def test_an_image_inside_a_link_becomes_its_alt_text():
    html = markup.render_markdown(f"[![badge]({PIXEL})](https://example.com/ci)")
    assert "<img" not in html and PIXEL not in html
    assert (
        '<a href="https://example.com/ci" rel="nofollow noopener noreferrer"><span>badge</span></a>' in html
    )


@pytest.mark.parametrize(
    "text",
    [
        f'<img src="{PIXEL}">',
        "![x](data:image/png;base64,iVBORw0KGgo=)",
        f'<picture><source srcset="{PIXEL}"></picture>',
        f'<div style="background:url({PIXEL})">',
        "![x](javascript:alert(1))",
    ],
)
def test_nothing_loads_a_remote_resource(text):
    tags = re.findall(r"<[a-z][^>]*>", markup.render_markdown(text))
    assert tags and all(re.match(r"<(p|a|span)[ >]", t) for t in tags), tags
    assert not any(re.search(r"\b(src|srcset|style)=|href=\"(javascript|data)", t) for t in tags)


def test_mentions_and_site_links_take_the_link_base():
    text = "@bob see [the repo](/group/widgets), [elsewhere](//cdn.example/x) and [abs](https://e.example/)"
    page = markup.render_markdown(text, (BOB,))
    mail = markup.render_markdown(text, (BOB,), link_base="https://code.example.org/")
    assert 'href="/_profile/bob" title="Bob Builder"' in page
    assert 'href="https://code.example.org/_profile/bob"' in mail
    assert 'href="/group/widgets"' in page and 'href="https://code.example.org/group/widgets"' in mail
    assert 'href="//cdn.example/x"' in mail and 'href="https://e.example/"' in mail
    assert (
        page.replace('href="/_', 'href="https://code.example.org/_').replace(
            'href="/group', 'href="https://code.example.org/group'
        )
        == mail
    )


def test_mentions_only_of_the_people_given():
    html = markup.render_markdown("@bob @Bob @carol `@bob`", (BOB,))
    assert html.count('class="mention"') == 2 and "@carol" in html and "<code>@bob</code>" in html


def test_a_reused_converter_renders_like_a_fresh_one():
    # The converter is reused (and results remembered): nothing from one
    # text (reference links, stashed code or HTML, mentions, the link base)
    # may show in the next.
    texts = [
        ("[ref]: https://a.example/x\n\nsee [the link][ref]\n", (), ""),
        (
            "```python\nx = '<b>'\n```\n\n<div>raw html</div>\n\nsee [the link][ref] @bob\n",
            (BOB,),
            "https://s.example",
        ),
        ("| a | b |\n|---|---|\n| 1 | 2 |\n\n1. one\n2. two\n\n* star @bob [x](/y)\n", (), ""),
        ("", (), ""),
        ("plain *text* with `code` ![i](/p.png)\n", (), "https://s.example"),
        ("[ref]: https://a.example/x\n\nsee [the link][ref] @bob\n", (BOB,), ""),
    ]
    for text, people, base in texts + texts[::-1]:
        cached = markup.render_markdown(text, people, base)
        markup._local.md = None
        assert markup._render(text, people, base) == cached


def test_long_texts_are_rendered_but_not_remembered():
    text = "word " * (markup.CACHED_TEXT // 4)
    before = markup._remembered.cache_info().currsize
    assert markup.render_markdown(text).startswith("<p>word word")
    assert markup._remembered.cache_info().currsize == before
