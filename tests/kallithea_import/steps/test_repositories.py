import pytest

from lindos.kallithea_import.steps.repositories import disable_kallithea_hooks, landing_rev


@pytest.mark.parametrize(
    "value,expected",
    [
        ("rev:tip", ""),
        ("branch:default", "default"),
        ("branch:feature/x", "feature/x"),
        ("tag:v1.0", "v1.0"),
        ("book:topic", "topic"),
        ("", ""),
        (None, ""),
        ("branch:", ""),
        ("rev:0123abcd", ""),
    ],
)
def test_landing_rev(value, expected):
    assert landing_rev(value) == expected


def test_only_kallithea_s_own_hooks_are_moved_aside(tmp_path):
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "post-receive").write_text("#!/usr/bin/python\nKALLITHEA_HOOK_VER = '0.7.0'\n")
    (hooks / "pre-receive").write_text("#!/bin/sh\necho the site's own hook\n")
    assert disable_kallithea_hooks(str(tmp_path)) == 1
    assert (hooks / "post-receive.kallithea").exists() and not (hooks / "post-receive").exists()
    assert (hooks / "pre-receive").exists()
    assert disable_kallithea_hooks(str(tmp_path)) == 0  # a second run finds nothing
