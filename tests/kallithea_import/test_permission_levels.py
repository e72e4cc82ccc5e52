"""Reading Kallithea's permission names as Lindos's levels (the default
user's levels are checked end to end by the import tests on the fixtures)."""

import pytest

from lindos.kallithea_import.permission_levels import level


@pytest.mark.parametrize(
    "name, prefix, expected",
    [
        ("repository.write", "repository", "write"),
        ("group.read", "group", "read"),
        ("usergroup.admin", "usergroup", "admin"),
        ("group.none", "group", "none"),
        ("repository.write", "group", None),  # another kind's name
        ("repository.write", None, "write"),  # any kind
        ("hg.admin", None, "admin"),  # any kind: the level part alone counts
        ("hg.create.repository", None, None),  # not a level
        ("repository.owner", "repository", None),
        ("", None, None),
        (None, None, None),
    ],
)
def test_level(name, prefix, expected):
    assert level(name, prefix) == expected
