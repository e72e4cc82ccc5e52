"""README rendering: Markdown and reStructuredText, sanitised."""

from lindos.repos.browse.readme import README_NAMES, render_markup


def test_markdown_is_rendered_and_sanitised():
    html = render_markup(
        "README.md",
        b"# T\n\n<script>x()</script>\n<img src=x onerror=alert(1)>\n[a](javascript:alert(1)) `code`\n",
    )
    assert "<h1>T</h1>" in html and "<code>code</code>" in html
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html


def test_rst_is_rendered_without_file_insertion_or_raw_html(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    html = render_markup(
        "README.rst",
        (
            f"Title\n=====\n\n*em*\n\n.. include:: {secret}\n\n.. raw:: html\n\n   <script>x()</script>\n"
        ).encode(),
    )
    assert "Title" in html and "<em>em</em>" in html
    assert "TOP SECRET" not in html and "<script" not in html


def test_plain_and_latin1_text():
    assert render_markup("README", b"caf\xe9 <b>") == "<pre>café &lt;b&gt;</pre>"


def test_readme_md_preferred():
    assert README_NAMES.index("README.md") < README_NAMES.index("README.rst") < README_NAMES.index("README")
