import pytest

from lindos.kallithea_import.steps.pull_requests import parse_ref


@pytest.mark.parametrize(
    "ref,expected",
    [
        ("branch:master:" + "a" * 40, ("branch", "master", "a" * 40)),
        ("book:topic:" + "b" * 40, ("bookmark", "topic", "b" * 40)),
        ("tag:v1:" + "c" * 40, ("tag", "v1", "c" * 40)),
        ("rev:" + "d" * 40 + ":" + "d" * 40, ("rev", "d" * 40, "d" * 40)),
        ("weird", ("rev", "", "")),
        ("branch:only-a-name", ("branch", "only-a-name", "")),
    ],
)
def test_parse_ref(ref, expected):
    assert parse_ref(ref) == expected
