"""Decoding policies for display text and round-tripping names."""

import pytest

from lindos.vcs.text import decode_text, display_name, format_author, name_bytes, name_str, split_author


@pytest.mark.parametrize(
    "raw, text",
    [
        (b"plain", "plain"),
        ("Zoë".encode(), "Zoë"),
        (b"Caf\xe9", "Café"),  # not UTF-8: Latin-1
        (b"\xff\xfe\x00", "ÿþ\x00"),  # anything decodes
    ],
)
def test_decode_text(raw, text):
    assert decode_text(raw) == text


def test_names_round_trip_undecodable_bytes():
    raw = b"caf\xe9/na\xc3\xafve"
    assert name_str(raw) == "caf\udce9/naïve"
    assert name_bytes(name_str(raw)) == raw
    assert display_name(name_str(raw)) == "caf\ufffd/naïve"


@pytest.mark.parametrize(
    "author, parts",
    [
        ("Zoë Ærø <zoe@example.com>", ("Zoë Ærø", "zoe@example.com")),
        ("  Spaced  <  s@x.org >", ("Spaced", "s@x.org")),
        ("<only@mail.org>", ("only", "only@mail.org")),
        ("bare@mail.org", ("bare", "bare@mail.org")),
        ("Just A Name", ("Just A Name", "")),
    ],
)
def test_split_author(author, parts):
    assert split_author(author) == parts


def test_format_author():
    assert format_author("Zoë", "z@x.org") == "Zoë <z@x.org>"
    assert format_author("Zoë", "") == "Zoë"
