"""Snippets: matching lines with context, terms marked, text escaped."""

from lindos.search.snippets import MAX_LINE_CHARS, MAX_MATCH_LINES, build_snippet, highlight, term_pattern


def test_matching_lines_with_one_line_of_context_in_groups():
    text = "\n".join(f"line {i}" for i in range(1, 21)) + "\n"
    text = text.replace("line 5\n", "line 5 needle\n").replace("line 15\n", "line 15 NEEDLE\n")
    groups = build_snippet(text, ["needle"])
    assert [[(line.number, line.matched) for line in group] for group in groups] == [
        [(4, False), (5, True), (6, False)],
        [(14, False), (15, True), (16, False)],
    ]
    assert groups[1][1].html == "line 15 <mark>NEEDLE</mark>"


def test_markup_in_the_file_and_in_the_term_is_escaped():
    groups = build_snippet('<script>alert("x")</script>\n', ["<script>"])
    assert groups[0][0].html == "<mark>&lt;script&gt;</mark>alert(&quot;x&quot;)&lt;/script&gt;"


def test_at_most_a_few_matching_lines_and_long_lines_cut():
    text = "\n".join(["hit"] * 50)
    assert sum(line.matched for group in build_snippet(text, ["hit"]) for line in group) == MAX_MATCH_LINES
    long_line = "x" * 5000 + "needle" + "y" * 5000
    html = build_snippet(long_line, ["needle"])[0][0].html
    assert "<mark>needle</mark>" in html and html.startswith("…") and html.endswith("…")
    assert len(html) < MAX_LINE_CHARS + 40


def test_no_line_matching_alone_shows_the_start():
    groups = build_snippet("first\nsecond\nthird\nfourth\n", ["absent"])
    assert [line.number for line in groups[0]] == [1, 2, 3]


def test_longer_terms_are_marked_first():
    assert highlight("foobar", term_pattern(["foo", "foobar"])) == "<mark>foobar</mark>"
