"""Making, changing and deleting gists: the row and the repository in step.

One place for the pages and the API (and the rules both share):
- a new gist's repository is made and its one commit written inside the
  transaction that writes its row; if the disk part fails the folder is
  removed and the row rolled back;
- a public gist's access id is its row id (Kallithea's easy number); a
  private one keeps its random id. Should the number be taken already (a
  gist imported with ``--merge`` kept its Kallithea number), the new
  public gist keeps a random id rather than share a link;
- a change is one commit on top of the revision the page was made from
  (``parent``): if the gist changed meanwhile nothing is written
  (``GistConflict``), so nobody's text is lost;
- deleting the row removes the folder once the transaction commits,
  whether the gist was deleted itself or with its owner.

New gists are Mercurial repositories, as Kallithea made them, so a store
stays one kind; reading works on either kind.
"""

from __future__ import annotations

import logging
import os
import shutil

from django.db import transaction
from django.utils import timezone

from lindos import vcs
from lindos.gists.files import GistRefused
from lindos.gists.models import PUBLIC, Gist
from lindos.gists.storage import UnsafeGistPath, gist_path, make_access_id, write_metadata
from lindos.repos.editing import author_of
from lindos.vcs.errors import BranchMoved, CommitRefused, PathNotFound, RepositoryNotFound, VCSError

log = logging.getLogger(__name__)

GIST_KIND = "hg"
#: ``do_update_gist``'s "leave the expiry as it is" (Kallithea's lifetime 0).
KEEP = object()


class GistConflict(GistRefused):
    """The gist changed since the page was made."""

    status = 409


class GistMissing(Exception):
    """The gist's repository is not on disk (or cannot be read)."""


def build_message(verb: str, names) -> str:
    """Kallithea's commit messages: ``added file: a.py``,
    ``updated files: a.py, b.py``."""
    names = list(names)
    return f"{verb} file{'s' if len(names) > 1 else ''}: {', '.join(names)}"


def do_create_gist(
    *,
    owner,
    files: dict[str, bytes],
    description: str = "",
    gist_type: str = PUBLIC,
    expires_at=None,
    actor=None,
) -> Gist:
    """Create gist ``files`` (checked by ``lindos.gists.files``) owned by
    ``owner``, committed by ``actor`` (default: the owner)."""
    with transaction.atomic():
        gist = Gist.objects.create(
            access_id=make_access_id(),
            description=description,
            owner=owner,
            gist_type=gist_type,
            expires_at=expires_at,
        )
        if gist_type == PUBLIC and not Gist.objects.filter(access_id=str(gist.pk)).exists():
            gist.access_id = str(gist.pk)
            gist.save(update_fields=["access_id"])
        path = gist_path(gist.access_id)
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            repo = vcs.init_repository(path, GIST_KIND)
            repo.commit_files(
                branch=repo.default_branch,
                parent=None,
                files=files,
                message=build_message("added", files),
                author=author_of(actor or owner),
            )
            write_metadata(path, gist)
        except CommitRefused as exc:
            shutil.rmtree(path, ignore_errors=True)
            raise GistRefused(f"The gist cannot be saved: {exc}.") from exc
        except BaseException:
            shutil.rmtree(path, ignore_errors=True)
            raise
    return gist


def open_gist(gist: Gist):
    """The gist's repository (``GistMissing`` when it is not on disk)."""
    try:
        return vcs.open_repository(gist_path(gist.access_id))
    except (RepositoryNotFound, UnsafeGistPath, VCSError, OSError) as exc:
        raise GistMissing(str(exc)) from exc


def gist_files(gist: Gist, revision: str | None = None):
    """``(changeset, [file nodes])`` of the gist at ``revision`` (its tip by
    default; Kallithea's ``tip`` too, on either kind)."""
    repo = open_gist(gist)
    if revision in (None, "", "tip"):
        revision = None
    changeset = repo.get_changeset(revision)
    nodes = [n for n in changeset.get_node("").entries() if isinstance(n, vcs.FileNode)]
    return changeset, sorted(nodes, key=lambda n: n.path)


def do_update_gist(
    gist: Gist,
    *,
    actor,
    changes: dict[str, bytes | None],
    parent: str | None = None,
    description: str | None = None,
    expires_at=KEEP,
) -> bool:
    """Save the description and expiry, and commit ``changes`` ({name:
    bytes, or None to delete}) on top of ``parent`` (the tip when None).
    True if the files changed, False if only the row did (Kallithea saved
    the "gist data" then too)."""
    repo = open_gist(gist)
    tip = repo.get_changeset(None).id
    with transaction.atomic():
        if description is not None:
            gist.description = description
        if expires_at is not KEEP:
            gist.expires_at = expires_at
        gist.save()
        changed = False
        if changes:
            try:
                repo.commit_files(
                    branch=repo.get_changeset(tip).branch or repo.default_branch,
                    parent=parent or tip,
                    files=changes,
                    message=build_message("updated", changes),
                    author=author_of(actor),
                )
                changed = True
            except BranchMoved as exc:
                raise GistConflict(
                    "The gist was changed since you started editing. Nothing was saved: "
                    "your text is kept below; compare it with the current version and save again."
                ) from exc
            except CommitRefused as exc:
                if str(exc) != "nothing changes":
                    raise GistRefused(f"The change cannot be saved: {exc}.") from exc
            except PathNotFound as exc:
                raise GistRefused(f"The change cannot be saved: {exc}.") from exc
        write_metadata(repo.path, gist)
    return changed


def do_delete_gist(gist: Gist) -> None:
    """Delete the row; the folder follows when the transaction commits."""
    gist.delete()


def on_gist_deleted(sender, instance: Gist, **kwargs) -> None:
    try:
        path = gist_path(instance.access_id)
    except UnsafeGistPath:
        return

    def remove():
        shutil.rmtree(path, ignore_errors=True)
        log.info("removed gist folder %s", path)

    transaction.on_commit(remove)


def live_gist_or_none(access_id) -> Gist | None:
    """The gist the pages show for ``access_id``: found by its access id
    only (never by row id, so a private gist's number leads nowhere), and
    not expired."""
    if not isinstance(access_id, str) or not access_id or "\x00" in access_id:
        return None
    gist = Gist.objects.live(timezone.now()).select_related("owner").filter(access_id=access_id).first()
    # MySQL compares text without regard to case: a private id must match exactly.
    return gist if gist is not None and gist.access_id == access_id else None
