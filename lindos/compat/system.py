"""Admin > Settings > System: what this server runs (Kallithea's "System
Info" tab). ``build_system_info`` gathers the figures; the page shows them."""

from __future__ import annotations

import platform
import subprocess
import sys

import django
from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_safe

from lindos.accounts.admin_views import admin_required


def _git_version() -> str:
    from lindos.vcs.process import GIT_BINARY

    try:
        out = subprocess.run(
            [GIT_BINARY, "--version"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=10
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return "not found"
    return out.decode("utf-8", "replace").strip().removeprefix("git version ") or "not found"


def _hg_version() -> str:
    try:
        from mercurial import util

        import lindos.vcs.hg  # noqa: F401  (sets mercurial up before its modules load)
    except ImportError:
        return "not installed"
    version = util.version()
    return version.decode() if isinstance(version, bytes) else str(version)


def build_system_info() -> list[tuple[str, str]]:
    """``(label, value)`` rows: versions, then where things are."""
    from lindos.cli import version

    config = settings.LINDOS
    database = settings.DATABASES["default"]
    return [
        ("Lindos", version()),
        ("Python", f"{platform.python_version()} ({sys.executable})"),
        ("Django", django.get_version()),
        ("git", _git_version()),
        ("Mercurial", _hg_version()),
        ("Platform", platform.platform()),
        ("Configuration file", config.path),
        ("Repositories", config.base_path),
        ("Database", database["ENGINE"].rsplit(".", 1)[-1]),
    ]


@admin_required
@require_safe
def system_info(request):
    return render(request, "compat/system.html", {"rows": build_system_info()})
