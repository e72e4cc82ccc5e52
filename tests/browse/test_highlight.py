"""Syntax highlighting, one HTML fragment per line."""

from lindos.repos.browse import highlight


def test_lines_match_the_files_lines():
    text = 'x = """a\nb"""\n# done\n'
    lines = highlight.render_highlighted(text, "f.py")
    assert len(lines) == 3
    assert lines[1] == '<span class="s2">b"""</span>'
    assert lines[2] == '<span class="c1"># done</span>'


def test_no_trailing_newline_and_blank_lines_keep_numbering():
    assert len(highlight.render_highlighted("a\n\n\nb", "f.txt")) == 4


def test_crlf_and_lone_cr_keep_gits_numbering():
    lines = highlight.render_highlighted("a\r\nb\rc\n", "f.txt")
    assert lines == ["a", "b\u240dc"]


def test_unknown_names_are_plain_text_and_escaped():
    assert highlight.render_highlighted("<script>\n", "NOTES") == ["&lt;script&gt;"]


def test_big_files_are_escaped_not_highlighted(monkeypatch):
    monkeypatch.setattr(highlight, "HIGHLIGHT_LIMIT", 5)
    assert highlight.highlighted_lines("b1", "x.py", b"import os\n") == ["import os"]


def test_cached_by_blob_id(monkeypatch):
    from django.core.cache import cache

    cache.clear()
    calls = []
    real = highlight.render_highlighted
    monkeypatch.setattr(highlight, "render_highlighted", lambda *a: calls.append(1) or real(*a))
    assert highlight.highlighted_lines("blob-1", "a.py", b"x = 1\n") == highlight.highlighted_lines(
        "blob-1", "b.py", b"ignored: same blob and lexer\n"
    )
    assert len(calls) == 1
    highlight.highlighted_lines("blob-1", "a.rs", b"x = 1\n")  # another lexer
    assert len(calls) == 2
