import pytest

from lindos.kallithea_import.steps.comments import parse_line


@pytest.mark.parametrize(
    "line_no,expected",
    [
        ("n12", (12, "new")),
        ("o5", (5, "old")),
        (" n1 ", (1, "new")),
        ("", (None, "")),
        (None, (None, "")),
        ("x3", (None, "")),
        ("n", (None, "")),
        ("n-1", (None, "")),
        ("n１２", (None, "")),  # full-width digits are not a line number
    ],
)
def test_parse_line(line_no, expected):
    assert parse_line(line_no) == expected
