"""Parsing unified diffs (git's format, as both backends write it)."""

from lindos.repos.browse import diffs

MODIFY = b"""diff --git a/src/app.py b/src/app.py
index 1111111..2222222 100644
--- a/src/app.py
+++ b/src/app.py
@@ -1,3 +1,3 @@ def main():
 a
-b
+B
 c
\\ No newline at end of file
"""

RENAME_BINARY_QUOTED = b"""diff --git a/old name.txt b/new name.txt
similarity index 100%
rename from old name.txt
rename to new name.txt
diff --git a/img.png b/img.png
new file mode 100644
index 0000000..3333333
Binary files /dev/null and b/img.png differ
diff --git "a/caf\\303\\251.txt" "b/caf\\303\\251.txt"
deleted file mode 100644
index 4444444..0000000
--- "a/caf\\303\\251.txt"
+++ /dev/null
@@ -1 +0,0 @@
-gone
diff --git a/run.sh b/run.sh
old mode 100644
new mode 100755
"""


def test_modification_rows_and_numbers():
    parsed = diffs.parse_diff(MODIFY)
    [fd] = parsed.files
    assert (fd.path, fd.status, fd.added, fd.deleted) == ("src/app.py", "M", 1, 1)
    assert [(r.kind, r.old_no, r.new_no, r.text) for r in fd.lines] == [
        ("hunk", None, None, "@@ -1,3 +1,3 @@ def main():"),
        ("ctx", 1, 1, "a"),
        ("del", 2, None, "b"),
        ("add", None, 2, "B"),
        ("ctx", 3, 3, "c"),
        ("note", None, None, "No newline at end of file"),
    ]


def test_renames_binaries_quoted_names_and_mode_changes():
    files = diffs.parse_diff(RENAME_BINARY_QUOTED).files
    assert [(f.status, f.old_path, f.path) for f in files] == [
        ("R", "old name.txt", "new name.txt"),
        ("A", "img.png", "img.png"),
        ("D", "café.txt", "café.txt"),
        ("M", "run.sh", "run.sh"),
    ]
    assert files[1].binary and not files[0].binary
    assert files[2].deleted == 1
    assert files[3].notes == ["old mode 100644", "new mode 100755"]


def test_hg_binary_notice():
    data = b"diff --git a/x.bin b/x.bin\nnew file mode 100644\nBinary file x.bin has changed\n"
    [fd] = diffs.parse_diff(data).files
    assert fd.binary and fd.status == "A"


def test_non_utf8_lines_are_decoded_as_latin1():
    data = MODIFY.replace(b"+B", b"+caf\xe9")
    assert diffs.parse_diff(data).files[0].lines[3].text == "café"


def test_file_over_the_line_limit_keeps_counts_only(monkeypatch):
    monkeypatch.setattr(diffs, "MAX_FILE_LINES", 5)
    [fd] = diffs.parse_diff(MODIFY).files
    assert fd.too_large and fd.lines == []
    assert (fd.added, fd.deleted) == (1, 1)


def test_total_line_budget_applies_across_files(monkeypatch):
    monkeypatch.setattr(diffs, "MAX_TOTAL_LINES", 12)
    two = MODIFY + MODIFY.replace(b"src/app.py", b"src/other.py")
    first, second = diffs.parse_diff(two).files
    assert not first.too_large and second.too_large


def test_whole_diff_over_the_byte_limit_is_not_parsed(monkeypatch):
    monkeypatch.setattr(diffs, "MAX_DIFF_BYTES", 10)
    parsed = diffs.parse_diff(MODIFY)
    assert parsed.too_large
    assert parsed.files[0].lines == [] and parsed.files[0].added == 1


def test_rows_are_highlighted_and_escaped():
    [fd] = diffs.parse_diff(MODIFY.replace(b"+B", b'+x = "<b>"')).files
    diffs.highlight_file_diff(fd)
    html = diffs.render_rows(fd)
    assert "&lt;b&gt;" in html and "<b>" not in html
    assert '<span class="s2">' in html  # a Python string token
    assert html.count("<tr") == 6


def test_unquote_git_path():
    assert diffs.unquote_git_path(b'"a/tab\\there\\"q\\\\"') == b'a/tab\there"q\\'
    assert diffs.unquote_git_path(b"plain") == b"plain"
