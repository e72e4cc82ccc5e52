"""A search from the text in the box to the page of results shown.

``run_search`` finds at most ``CAP + 1`` matching ids (``backends``: the
searcher's permissions are part of that query), orders them for reading
(by repository and path; commits newest first), and builds the rows of
the requested page only: file contents and snippets are read for those
ten, never for every match.
"""

from __future__ import annotations

import dataclasses
import time
from collections import defaultdict

from django.core.paginator import Page, Paginator

from lindos.repos.browse import links
from lindos.search import backends
from lindos.search.models import SearchBlob, SearchCommit, SearchFile, SearchState
from lindos.search.snippets import build_snippet, highlight, term_pattern
from lindos.search.terms import Query, build_query

#: Results per page, as in Kallithea.
PER_PAGE = 10
#: Branches whose tip a result links to first, when they hold the file.
DEFAULT_BRANCHES = ("default", "master", "main", "trunk")


@dataclasses.dataclass
class Outcome:
    query: Query
    count: int = 0
    capped: bool = False
    page: Page | None = None
    seconds: float = 0.0

    @property
    def summary(self) -> str:
        if self.query.problem:
            return self.query.problem
        found = f"more than {backends.CAP}" if self.capped else str(self.count)
        noun = "result" if self.count == 1 and not self.capped else "results"
        return f"{found} {noun} ({self.seconds:.3f} seconds)"


@dataclasses.dataclass
class FileResult:
    repository: str
    path: str
    branches: list[str]
    url: str
    also: list[str] = dataclasses.field(default_factory=list)
    snippet: list = dataclasses.field(default_factory=list)
    path_html: str = ""


@dataclasses.dataclass
class CommitResult:
    repository: str
    changeset_id: str
    date: object
    author: str
    message_html: str
    url: str

    @property
    def short_id(self) -> str:
        return self.changeset_id[:12]


def run_search(user, text: str, kind: str, repository=None, page_number=1) -> Outcome:
    started = time.monotonic()
    query = build_query(text, kind)
    outcome = Outcome(query)
    if query.problem:
        return outcome
    ids = backends.matching_ids(query, user, repository)
    outcome.capped = len(ids) > backends.CAP
    ids = ids[: backends.CAP]
    outcome.count = len(ids)
    ordered = ORDER[query.kind](ids)
    page = Paginator(ordered, PER_PAGE).get_page(page_number)
    page.object_list = BUILD[query.kind](list(page.object_list), query)
    outcome.page = page
    outcome.seconds = time.monotonic() - started
    return outcome


# -- ordering: cheap columns of every match ------------------------------------


def _files_by(field: str, ids: list[int]) -> dict[int, list[tuple]]:
    """``{id: [(repository name, path, branch), ...]}`` for blob or path ids."""
    rows = defaultdict(list)
    for key, name, path, branch in SearchFile.objects.filter(**{f"{field}__in": ids}).values_list(
        field, "repository__name", "path__path", "branch"
    ):
        rows[key].append((name, path, branch))
    return rows


def order_blobs(ids: list[int]) -> list[int]:
    files = _files_by("blob_id", ids)
    return sorted((i for i in ids if files.get(i)), key=lambda i: min(files[i])[:2])


def order_paths(ids: list[int]) -> list[int]:
    files = _files_by("path_id", ids)
    return sorted((i for i in ids if files.get(i)), key=lambda i: min(files[i])[:2])


def order_commits(ids: list[int]) -> list[int]:
    rows = SearchCommit.objects.filter(id__in=ids).values_list("id", "date")
    return [i for i, _ in sorted(rows, key=lambda row: (row[1], row[0]), reverse=True)]


ORDER = {"content": order_blobs, "path": order_paths, "commit": order_commits}


# -- the page: what is shown of each result -------------------------------------


def _tips(repository_ids) -> dict[int, dict[str, str]]:
    return dict(
        SearchState.objects.filter(repository_id__in=set(repository_ids)).values_list(
            "repository_id", "branches"
        )
    )


def _branch_order(branch: str) -> tuple:
    return (
        branch not in DEFAULT_BRANCHES,
        DEFAULT_BRANCHES.index(branch) if branch in DEFAULT_BRANCHES else 0,
        branch,
    )


def file_url(repository: str, tip: str | None, path: str) -> str:
    return links.files_url(repository, tip or "tip", path)


def _file_results(field: str, ids: list[int], query: Query) -> dict[int, FileResult]:
    rows = list(
        SearchFile.objects.filter(**{f"{field}__in": ids}).values_list(
            field, "repository_id", "repository__name", "path__path", "branch"
        )
    )
    tips = _tips(row[1] for row in rows)
    by_id: dict[int, dict] = defaultdict(lambda: {"paths": defaultdict(list)})
    for key, repo_id, name, path, branch in rows:
        entry = by_id[key]
        entry["repo"] = (repo_id, name)
        entry["paths"][path].append(branch)
    pattern = term_pattern(query.terms)
    results = {}
    for key, entry in by_id.items():
        repo_id, name = entry["repo"]
        paths = sorted(entry["paths"])
        branches = sorted(entry["paths"][paths[0]], key=_branch_order)
        tip = tips.get(repo_id, {}).get(branches[0])
        results[key] = FileResult(
            repository=name,
            path=paths[0],
            branches=branches,
            url=file_url(name, tip, paths[0]),
            also=paths[1:],
            path_html=highlight(paths[0], pattern),
        )
    return results


def build_blob_results(ids: list[int], query: Query) -> list[FileResult]:
    found = _file_results("blob_id", ids, query)
    contents = dict(SearchBlob.objects.filter(id__in=ids).values_list("id", "content"))
    results = []
    for i in ids:
        if i in found and i in contents:
            found[i].snippet = build_snippet(contents[i], query.terms)
            results.append(found[i])
    return results


def build_path_results(ids: list[int], query: Query) -> list[FileResult]:
    found = _file_results("path_id", ids, query)
    return [found[i] for i in ids if i in found]


def build_commit_results(ids: list[int], query: Query) -> list[CommitResult]:
    rows = {
        row["id"]: row
        for row in SearchCommit.objects.filter(id__in=ids).values(
            "id", "repository__name", "changeset_id", "date", "author", "message"
        )
    }
    pattern = term_pattern(query.terms)
    results = []
    for i in ids:
        row = rows.get(i)
        if row is None:
            continue
        name = row["repository__name"]
        results.append(
            CommitResult(
                repository=name,
                changeset_id=row["changeset_id"],
                date=row["date"],
                author=row["author"],
                message_html=highlight(row["message"], pattern),
                url=links.changeset_url(name, row["changeset_id"]),
            )
        )
    return results


BUILD = {"content": build_blob_results, "path": build_path_results, "commit": build_commit_results}
