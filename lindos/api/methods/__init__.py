"""The API's methods, one module per family; importing a module registers
its methods (``jsonrpc.api_method``)."""

import importlib

FAMILIES = ["server", "users", "repos", "changesets", "pullrequests", "groups", "repo_groups", "gists"]


def load_all() -> None:
    for family in FAMILIES:
        importlib.import_module(f"lindos.api.methods.{family}")
