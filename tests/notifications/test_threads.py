"""Message identity and threading headers, as exact strings."""

import re

import pytest

from lindos.notifications import threads


@pytest.mark.parametrize("canonical, sender, host", [
    ("https://code.example.org", "x@mail.example.org", "code.example.org"),
    ("https://Code.Example.org:8443/lindos", "x@mail.example.org", "code.example.org"),
    ("", "Lindos <noreply@mail.example.org>", "mail.example.org"),
])
def test_mail_host(canonical, sender, host):
    assert threads.mail_host(canonical, sender) == host


@pytest.mark.parametrize("value, expected", [
    (threads.changeset_root_id(7, "0123abcd" * 5, "h.example"),
     "<lindos.cs.7.0123abcd0123abcd0123abcd0123abcd0123abcd@h.example>"),
    (threads.pull_request_root_id(12, "h.example"), "<lindos.pr.12@h.example>"),
    (threads.list_label("group/widgets", "h.example"), "group.widgets.h.example"),
    (threads.list_label('we"ird repo/x_y', "h.example"), "we-ird-repo.x-y.h.example"),
    (threads.list_label("../", "h.example"), "repository.h.example"),
])
def test_exact_strings(value, expected):
    assert value == expected


def test_message_ids_are_unique_and_well_formed():
    ids = {threads.new_message_id("h.example") for _ in range(1000)}
    assert len(ids) == 1000
    assert all(re.fullmatch(r"<lindos\.[0-9a-f]{32}@h\.example>", i) for i in ids)
