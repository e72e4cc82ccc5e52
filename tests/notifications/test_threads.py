"""Message identity and threading headers, as exact strings."""

import re

import pytest

from lindos.notifications import threads


@pytest.mark.parametrize(
    "canonical, sender, host",
    [
        ("https://code.example.org", "x@mail.example.org", "code.example.org"),
        ("https://Code.Example.org:8443/lindos", "x@mail.example.org", "code.example.org"),
        ("", "Lindos <noreply@mail.example.org>", "mail.example.org"),
    ],
)
def test_mail_host(canonical, sender, host):
    assert threads.mail_host(canonical, sender) == host


@pytest.mark.parametrize(
    "value, expected",
    [
        (
            threads.changeset_root_id(7, "0123abcd" * 5, "h.example"),
            "<lindos.cs.7.0123abcd0123abcd0123abcd0123abcd0123abcd@h.example>",
        ),
        (threads.pull_request_root_id(12, "h.example"), "<lindos.pr.12@h.example>"),
        (threads.list_label("group/widgets", "h.example"), "group.widgets.h.example"),
        (threads.list_label('we"ird repo/x_y', "h.example"), "we-ird-repo.x-y.h.example"),
        (threads.list_label("../", "h.example"), "repository.h.example"),
    ],
)
def test_exact_strings(value, expected):
    assert value == expected


def test_message_ids_are_unique_and_well_formed():
    ids = {threads.new_message_id("h.example") for _ in range(1000)}
    assert len(ids) == 1000
    assert all(re.fullmatch(r"<lindos\.[0-9a-f]{32}@h\.example>", i) for i in ids)


def test_inline_comments_share_their_lines_thread():
    from tests.notifications import factories as x

    root = threads.pull_request_root_id(12, "h.example")
    line = threads.line_id(root, "src/frob.py", "new", 42)
    assert line == "<lindos.pr.12.line.dfb958431aba3a5a@h.example>"
    # another line, side or file is another thread; the same line the same
    assert threads.line_id(root, "src/frob.py", "old", 42) != line
    assert threads.line_id(root, "src/frob.py", "new", 43) != line
    assert threads.line_id(root, "src/frob.py\n>", "new", 42) != line
    assert threads.comment_thread(x.pr_comment(inline=x.INLINE), "h.example") == [root, line]
    assert threads.comment_thread(x.pr_comment(inline=None), "h.example") == [root]
    # a path with odd characters still gives a valid msg-id
    odd = threads.line_id(root, 'a b/<x>@"y"', "new", 1)
    assert re.fullmatch(r"<lindos\.pr\.12\.line\.[0-9a-f]{16}@h\.example>", odd)
