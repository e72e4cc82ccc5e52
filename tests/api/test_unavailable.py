"""Gists: Kallithea's argument checks, then "not available"."""

import pytest

from lindos.api.methods.unavailable import UNAVAILABLE_METHODS


@pytest.mark.parametrize("method", UNAVAILABLE_METHODS)
def test_methods_lindos_lacks_say_not_available(api, admin, method):
    from lindos.api.jsonrpc import REGISTRY

    args = {p.name: (["x"] if p.name == "files" else "x") for p in REGISTRY[method].params if p.required}
    if method == "create_gist":
        args["files"] = {"a": {"content": "b"}}
    error = api.error(admin.api_key, method, **args)
    assert error.startswith(f"method `{method}` is not available: Lindos has no ")


def test_not_available_still_checks_arguments_first(api, admin, alice):
    assert api.error(admin.api_key, "get_gist") == "Missing non optional `gistid` arg in JSON DATA"
