"""One step per kind of Kallithea object, in the order they depend on each
other.  A step is a module with ``KIND`` (a label for the progress bar) and
``run(ctx)``; a step for a kind Lindos gains later is one more module in
``STEPS``."""

STEPS = [
    "lindos.kallithea_import.steps.users",
    "lindos.kallithea_import.steps.external_logins",
    "lindos.kallithea_import.steps.user_keys",
    "lindos.kallithea_import.steps.ip_addresses",
    "lindos.kallithea_import.steps.user_groups",
    "lindos.kallithea_import.steps.site_settings",
    "lindos.kallithea_import.steps.global_permissions",
    "lindos.kallithea_import.steps.repositories",
    "lindos.kallithea_import.steps.repo_groups",
    "lindos.kallithea_import.steps.group_permissions",
    "lindos.kallithea_import.steps.pull_requests",
    "lindos.kallithea_import.steps.comments",
    "lindos.kallithea_import.steps.statuses",
    "lindos.kallithea_import.steps.journal",
    "lindos.kallithea_import.steps.followings",
    "lindos.kallithea_import.steps.gists",
    "lindos.kallithea_import.steps.not_yet",
]
