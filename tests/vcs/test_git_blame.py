"""Parsing ``git blame --porcelain`` (lindos/vcs/git/blame.py)."""

import datetime

from lindos.vcs.git.blame import parse_blame_porcelain, parse_tz

A = b"a" * 40
B = b"b" * 40

PORCELAIN = b"\n".join(
    [
        A + b" 1 1 2",
        b"author Zo\xc3\xab",
        b"author-mail <zoe@example.com>",
        b"author-time 1700000000",
        b"author-tz +0100",
        b"committer Zo\xc3\xab",
        b"summary first",
        b"boundary",
        b"filename f.txt",
        b"\tline one",
        A + b" 2 2",
        b"\tline two\r",
        B + b" 3 3 1",
        b"author Bob",
        b"author-mail <bob@example.com>",
        b"author-time 1700000060",
        b"author-tz -0530",
        b"previous " + A + b" f.txt",
        b"filename f.txt",
        b"\t\tindented caf\xe9",
        b"",
    ]
)


def test_parse_blame_porcelain():
    lines = parse_blame_porcelain(PORCELAIN)
    assert [(l.line_no, l.changeset_id, l.author, l.line) for l in lines] == [
        (1, "a" * 40, "Zoë <zoe@example.com>", b"line one"),
        (2, "a" * 40, "Zoë <zoe@example.com>", b"line two\r"),
        (3, "b" * 40, "Bob <bob@example.com>", b"\tindented caf\xe9"),
    ]
    assert lines[0].date.isoformat() == "2023-11-14T23:13:20+01:00"
    assert lines[2].date.utcoffset() == -datetime.timedelta(hours=5, minutes=30)


def test_parse_empty_output():
    assert parse_blame_porcelain(b"") == []


def test_parse_tz():
    assert parse_tz(b"+0000").utcoffset(None) == datetime.timedelta(0)
    assert parse_tz(b"+1345").utcoffset(None) == datetime.timedelta(hours=13, minutes=45)
