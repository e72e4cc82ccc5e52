"""``do_import``: one import from Kallithea, all or nothing.

Every step runs inside one database transaction: a failure half-way leaves
the Lindos database as it was (the only change outside it, Kallithea's git
hooks moved aside, is harmless to redo).  The Kallithea database is only
read.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from lindos.kallithea_import.context import IdMap, ImportContext, Summary
from lindos.kallithea_import.models import ImportRun
from lindos.kallithea_import.progress import Progress
from lindos.kallithea_import.source import KNOWN_REVISIONS, KallitheaDatabase, SourceError, read_kallithea_ini
from lindos.kallithea_import.steps import STEPS


class ImportRefused(Exception):
    """The import cannot start; one line saying why and what to do."""


def lindos_contents() -> dict[str, int]:
    """What the Lindos database already holds, for the emptiness check."""
    from lindos.accounts.models import User
    from lindos.repos.models import Repository
    from lindos.review.models import Comment, PullRequest

    counts = {
        "users": User.objects.count(),
        "repositories": Repository.objects.count(),
        "pull requests": PullRequest.objects.count(),
        "comments": Comment.objects.count(),
    }
    return {k: v for k, v in counts.items() if v}


def same_folder(a: str, b: str) -> bool:
    return bool(a) and bool(b) and os.path.realpath(a) == os.path.realpath(b)


def check_repository_folder(kallithea_base: str, repos: str | None, ask: Callable[[str], str] | None) -> None:
    """Lindos serves the repositories in its ``base_path``; Kallithea's
    folders are used in place, so they must be there.

    When Kallithea's base path is Lindos's, nothing is asked.  Otherwise the
    folder they are in now comes from ``--repos`` or, on a terminal, from a
    question; it must then be Lindos's ``base_path``.
    """
    lindos_base = settings.LINDOS.base_path
    if same_folder(kallithea_base, lindos_base):
        return
    if repos is None and ask is not None:
        repos = (
            ask(
                f"Kallithea kept its repositories in {kallithea_base or '(unknown)'}; "
                f"Lindos serves those in {lindos_base}. Where are they now? [{lindos_base}] "
            ).strip()
            or lindos_base
        )
    if repos is None:
        raise ImportRefused(
            f"Kallithea kept its repositories in {kallithea_base or '(unknown)'}, Lindos's base_path is "
            f"{lindos_base}: give --repos DIR, the folder they are in now"
        )
    if not os.path.isdir(repos):
        raise ImportRefused(f"--repos {repos}: no such folder")
    if not same_folder(repos, lindos_base):
        raise ImportRefused(
            f"the repositories are in {repos} but Lindos serves base_path = {lindos_base}: set "
            f"base_path = {repos} in Lindos's ini file (or move them into {lindos_base}) and run this again"
        )


def do_import(
    kallithea_ini: str,
    *,
    merge: bool = False,
    repos: str | None = None,
    ask: Callable[[str], str] | None = None,
    progress: Progress | None = None,
) -> tuple[Summary, ImportRun]:
    """Import everything Lindos has a place for; return the summary."""
    try:
        ini = read_kallithea_ini(kallithea_ini)
        db = KallitheaDatabase(ini.database_url)
    except SourceError as exc:
        raise ImportRefused(str(exc))
    try:
        try:
            version = db.schema_version()
            kallithea_base = db.base_path() or ini.base_path
        except SourceError as exc:
            raise ImportRefused(str(exc))
        if not merge:
            found = lindos_contents()
            if found:
                held = ", ".join(f"{n} {what}" for what, n in found.items())
                raise ImportRefused(
                    f"the Lindos database is not empty ({held}): import into a new database, "
                    "or give --merge to add what is missing"
                )
        check_repository_folder(kallithea_base, repos, ask)
        ctx = ImportContext(
            db=db,
            kallithea_base_path=kallithea_base,
            lindos_base_path=settings.LINDOS.base_path,
            summary=Summary(),
            ids=IdMap(),
            progress=progress or Progress(enabled=False),
            merge=merge,
        )
        with transaction.atomic():
            run = ImportRun.objects.create(source=ini.path, schema_version=version)
            ctx.ids.load()
            for name in STEPS:
                importlib.import_module(name).run(ctx)
                ctx.ids.flush()
            run.summary = {"kallithea": KNOWN_REVISIONS[version], **ctx.summary.as_json()}
            run.finished_at = timezone.now()
            run.save(update_fields=["summary", "finished_at"])
        return ctx.summary, run
    finally:
        db.close()


def render_summary(summary: Summary, version: str = "") -> str:
    """The text printed at the end: counts per kind, every skipped row with
    why, and what Lindos has no place for."""
    lines = [f"Imported from Kallithea{f' {version}' if version else ''}:"]
    kinds = list(dict.fromkeys([*summary.imported, *summary.already]))
    for kind in kinds:
        extra = f" ({summary.already[kind]} already there)" if summary.already.get(kind) else ""
        lines.append(f"  {kind:<26} {summary.imported.get(kind, 0):>8}{extra}")
    if summary.skipped:
        lines.append(f"Skipped ({len(summary.skipped)}):")
        lines += [f"  {kind}: {row}: {why}" for kind, row, why in summary.skipped]
    if summary.not_imported:
        lines.append("Not imported:")
        lines += [f"  {what}: {n} ({why})" for what, n, why in summary.not_imported]
    return "\n".join(lines)
