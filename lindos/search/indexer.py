"""Bringing a repository's index in line with its branches.

``do_index_repository`` compares each branch tip on disk with the tip the
index holds (``SearchState``).  For a branch that moved, the new tip's
tree is listed (names and blob ids only, which is cheap) and compared
with the branch's ``SearchFile`` rows: only files whose blob id changed
are read, and only contents the repository's index does not hold yet
(under any branch or path) are stored.  The commits the push brought are
added; a branch that is gone takes its file rows with it; contents and
paths no branch uses any more are removed.

Because it compares with what the index holds rather than trusting the
push's description, a job is idempotent, a crash half-way is mended by
the next pass, and force pushes and deleted branches need no special case.
Work is written in batches, each its own short transaction, so an initial
index of a big repository never holds SQLite's write lock for long.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable

from django.db import transaction

from lindos.repos.models import Repository
from lindos.search.models import SearchBlob, SearchCommit, SearchFile, SearchPath, SearchState
from lindos.vcs import RepositoryNotFound, RevisionNotFound, open_repository
from lindos.vcs.text import display_name

log = logging.getLogger(__name__)

#: Files bigger than this are found by path only: their content is not
#: stored or searched (a generated bundle or a data dump would swamp
#: every result list, and storing it would double the repository's size).
MAX_FILE_BYTES = 1024 * 1024
#: Files written per transaction.
BATCH = 500
#: Commit messages are cut to this many characters in the index.
MAX_MESSAGE_CHARS = 64 * 1024


@dataclasses.dataclass
class IndexReport:
    branches: int = 0
    files_added: int = 0
    files_removed: int = 0
    contents_read: int = 0
    commits: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.files_added or self.files_removed or self.commits)

    def __str__(self):
        return (
            f"{self.branches} branch(es) moved, {self.files_added} file(s) added or changed, "
            f"{self.files_removed} removed, {self.contents_read} content(s) read, {self.commits} commit(s)"
        )


def clean_text(text: str) -> str:
    """PostgreSQL refuses NUL in text; nothing searchable is lost."""
    return text.replace("\x00", " ")


def decode_content(data: bytes) -> str:
    try:
        return clean_text(data.decode("utf-8"))
    except UnicodeDecodeError:
        return clean_text(data.decode("latin-1"))


def do_index_repository(
    repository_id: int, *, full: bool = False, on_file: Callable[[], None] | None = None
) -> IndexReport | None:
    """Bring the index of one repository up to date (see module doc);
    ``full`` drops what it holds first.  None when the repository is gone
    or unreadable on disk."""
    repo = Repository.objects.filter(pk=repository_id).first()
    if repo is None:
        return None
    if full:
        do_drop_repository_index(repo.pk)
    try:
        vcs_repo = open_repository(repo.path)
    except (RepositoryNotFound, OSError) as exc:
        log.warning("not indexing %s: %s", repo.name, exc)
        return None
    report = IndexReport()
    state = SearchState.objects.filter(repository=repo).first()
    indexed = dict(state.branches) if state is not None else {}
    current = {} if vcs_repo.is_empty() else {display_name(k): v for k, v in vcs_repo.branches.items()}

    for branch in set(indexed) - set(current):
        report.files_removed += SearchFile.objects.filter(repository=repo, branch=branch).delete()[0]
    seen_commits: set[str] = set()
    for branch, tip in sorted(current.items()):
        if indexed.get(branch) == tip:
            continue
        report.branches += 1
        changeset = vcs_repo.get_changeset(tip)
        _index_tree(repo, branch, changeset, report, on_file)
        base = indexed.get(branch) or next(iter(indexed.values()), None)
        report.commits += _index_commits(repo, vcs_repo, base, tip, seen_commits)
    if report.files_removed or report.files_added:
        _drop_unused(repo)
    SearchState.objects.update_or_create(repository=repo, defaults={"branches": current})
    return report


def do_drop_repository_index(repository_id: int) -> None:
    """Forget everything the index holds of a repository."""
    with transaction.atomic():
        for model in (SearchFile, SearchBlob, SearchPath, SearchCommit, SearchState):
            model.objects.filter(repository_id=repository_id).delete()


def _index_tree(repo, branch: str, changeset, report: IndexReport, on_file) -> None:
    held = {
        path: (file_id, blob_hex)
        for file_id, path, blob_hex in SearchFile.objects.filter(repository=repo, branch=branch).values_list(
            "id", "path__path", "blob_hex"
        )
    }
    wanted = []
    on_disk = set()
    for node in changeset.iter_files():
        path = display_name(node.path)
        on_disk.add(path)
        if held.get(path, (None, None))[1] != node.blob_id:
            wanted.append((path, node))
    gone = [file_id for path, (file_id, _) in held.items() if path not in on_disk]
    for start in range(0, len(gone), BATCH):
        report.files_removed += SearchFile.objects.filter(id__in=gone[start : start + BATCH]).delete()[0]
    for start in range(0, len(wanted), BATCH):
        batch = wanted[start : start + BATCH]
        _write_files(repo, branch, batch, held, report)
        if on_file is not None:
            for _ in batch:
                on_file()


def _text_of(node) -> str | None:
    """The content to index, or None for a file found by path only."""
    if node.is_symlink or node.size > MAX_FILE_BYTES or node.is_binary:
        return None
    return decode_content(node.content)


def _write_files(repo, branch: str, batch: list, held: dict, report: IndexReport) -> None:
    paths = [path for path, _ in batch]
    hexes = {node.blob_id for _, node in batch}
    known_blobs = dict(
        SearchBlob.objects.filter(repository=repo, blob_hex__in=hexes).values_list("blob_hex", "id")
    )
    new_blobs = {}
    for _, node in batch:
        if node.blob_id in known_blobs or node.blob_id in new_blobs:
            continue
        text = _text_of(node)
        report.contents_read += text is not None
        new_blobs[node.blob_id] = text
    with transaction.atomic():
        SearchPath.objects.bulk_create(
            [SearchPath(repository=repo, path=path) for path in paths], ignore_conflicts=True
        )
        path_ids = dict(SearchPath.objects.filter(repository=repo, path__in=paths).values_list("path", "id"))
        SearchBlob.objects.bulk_create(
            [
                SearchBlob(repository=repo, blob_hex=blob_hex, content=text)
                for blob_hex, text in new_blobs.items()
                if text is not None
            ],
            ignore_conflicts=True,
        )
        if new_blobs:
            known_blobs.update(
                SearchBlob.objects.filter(repository=repo, blob_hex__in=list(new_blobs)).values_list(
                    "blob_hex", "id"
                )
            )
        replaced = [held[path][0] for path in paths if path in held]
        SearchFile.objects.filter(id__in=replaced).delete()
        SearchFile.objects.bulk_create(
            [
                SearchFile(
                    repository=repo,
                    branch=branch,
                    path_id=path_ids[path],
                    blob_id=known_blobs.get(node.blob_id),
                    blob_hex=node.blob_id,
                )
                for path, node in batch
            ],
            ignore_conflicts=True,
        )
    report.files_added += len(batch)


def _index_commits(repo, vcs_repo, base: str | None, tip: str, seen: set[str]) -> int:
    """Add the commits reachable from ``tip`` but not from ``base`` (all of
    its history when ``base`` is unknown or gone); returns how many."""
    try:
        changesets = vcs_repo.changesets_between(base, tip) if base else None
    except RevisionNotFound:  # the old tip went with a force push and gc
        changesets = None
    if changesets is None:
        changesets = list(reversed(vcs_repo.iter_changesets(start_rev=tip, limit=None)))
    fresh = [cs for cs in changesets if cs.id not in seen]
    seen.update(cs.id for cs in fresh)
    for start in range(0, len(fresh), BATCH):
        SearchCommit.objects.bulk_create(
            [
                SearchCommit(
                    repository=repo,
                    changeset_id=cs.id,
                    author=clean_text(cs.author),
                    message=clean_text(cs.message[:MAX_MESSAGE_CHARS]),
                    date=cs.date,
                )
                for cs in fresh[start : start + BATCH]
            ],
            ignore_conflicts=True,
        )
    return len(fresh)


def _drop_unused(repo) -> None:
    """Remove contents and paths no file row of the repository uses."""
    from django.db.models import Exists, OuterRef

    with transaction.atomic():
        SearchBlob.objects.filter(repository=repo).exclude(
            Exists(SearchFile.objects.filter(blob_id=OuterRef("pk")))
        ).delete()
        SearchPath.objects.filter(repository=repo).exclude(
            Exists(SearchFile.objects.filter(path_id=OuterRef("pk")))
        ).delete()
