"""After a push (git or hg), the background worker brings the index up
to date: the push's signal spools a job, the search loop takes it."""

import os

import pytest
from django.contrib.auth.models import AnonymousUser

from lindos.search import queue
from lindos.search.indexer import do_index_repository
from lindos.search.results import run_search

pytestmark = pytest.mark.django_db


@pytest.mark.django_db(transaction=True)  # the worker's pass closes its connections, as in production
@pytest.mark.parametrize("kind", ["git", "hg"])
def test_a_push_is_searchable_after_the_worker_pass(make_indexed_repo, working_copy, kind):
    row = make_indexed_repo("project", [{"files": {"a.txt": "first\n"}}], kind=kind)
    do_index_repository(row.pk)
    work = working_copy(row)
    work.commit({"b.txt": "cassowary\n"}, "Add the cassowary")
    queue.take_jobs()  # the job of the new repository row
    work.push(row)
    assert queue.take_jobs() == [row.pk]  # spooled by the push's signal
    queue.enqueue_index(row.pk)
    assert run_search(AnonymousUser(), "cassowary", "content").count == 0
    assert queue.index_spooled(close_at_end=True) == 1
    assert run_search(AnonymousUser(), "cassowary", "content").count == 1
    assert run_search(AnonymousUser(), "cassowary", "commit").count == 1


def test_many_pushes_to_one_repository_are_one_job(search_home):
    for _ in range(3):
        queue.enqueue_index(7)
    queue.enqueue_index(8)
    assert sorted(os.listdir(queue.spool_dir())) == ["7", "8"]
    assert sorted(queue.take_jobs()) == [7, 8]
    assert queue.take_jobs() == []


def test_a_new_repository_is_queued_when_its_row_commits(
    make_indexed_repo, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        row = make_indexed_repo("forked", [{"files": {"a.txt": "emu\n"}}])
    assert queue.take_jobs() == [row.pk]


def test_the_loop_wakes_for_a_job(search_home):
    woken = []
    queue.set_waker(lambda: woken.append(True))
    try:
        queue.enqueue_index(3)
    finally:
        queue.set_waker(None)
    assert woken == [True]


def test_a_job_for_a_deleted_repository_is_dropped(search_home):
    queue.enqueue_index(424242)
    assert queue.index_spooled() == 1
    assert queue.take_jobs() == []


def test_stray_files_in_the_spool_are_ignored(search_home):
    os.makedirs(queue.spool_dir(), exist_ok=True)
    open(os.path.join(queue.spool_dir(), "not-a-number"), "w").close()
    assert queue.take_jobs() == []
