"""The after-push queue: a push (through the journal's signal, as git and
hg record it) spools one job, wakes the prepare loop, and the loop renders
the pages; bad, deleted or excessive input is dropped, never an error."""

import dataclasses
import json
import os

import pytest

from lindos.background import prepare_queue, tasks
from lindos.repos.journal import RefChange, record_push
from tests.browse.conftest import _fresh_cache, built_roots, git_repo  # noqa: F401  (fixtures)
from tests.repos.fixtures import make_user  # noqa: F401  (a fixture)

ZERO = "0" * 40


class Spool:
    def __init__(self, folder):
        self.folder = folder
        self.wakes = []


@pytest.fixture
def spool(settings, tmp_path, monkeypatch):
    settings.LINDOS = dataclasses.replace(settings.LINDOS, cache_dir=str(tmp_path))
    spool = Spool(tmp_path / "prepare")
    monkeypatch.setattr(prepare_queue, "_waker", lambda: spool.wakes.append(1))
    return spool


def jobs_in(spool) -> list[dict]:
    folder = spool.folder
    return [json.loads((folder / n).read_text()) for n in sorted(os.listdir(folder)) if n.endswith(".json")]


def test_build_job_keeps_moved_heads_only():
    assert prepare_queue.build_job(7, [("a" * 40, ZERO), (ZERO, "")]) is None
    job = prepare_queue.build_job("7", [(ZERO, "b" * 40), ("a" * 40, "c" * 40), (None, "d" * 40)])
    assert job == {"repository_id": 7, "heads": [[None, "b" * 40], ["a" * 40, "c" * 40], [None, "d" * 40]]}
    many = prepare_queue.build_job(1, [(None, f"{n:040x}") for n in range(1, 1000)])
    assert len(many["heads"]) == prepare_queue.MAX_HEADS


@pytest.mark.django_db(transaction=True)
def test_a_recorded_push_spools_one_job_and_wakes_the_loop(spool, git_repo):
    ids = git_repo.ids
    record_push(
        git_repo.row,
        None,
        [RefChange("refs/heads/master", ids[-2], ids[-1]), RefChange("refs/heads/gone", ids[1], ZERO)],
    )
    # The repository's statistics are queued too (lindos.activity).
    assert jobs_in(spool) == [
        {"repository_id": git_repo.row.pk, "heads": [[ids[-2], ids[-1]]]},
        {"statistics": git_repo.row.pk},
    ]
    assert spool.wakes == [1, 1]


@pytest.mark.django_db(transaction=True)
def test_the_loop_takes_each_job_once_and_prepares_it(spool, git_repo):
    from django.core.cache import cache

    ids = git_repo.ids
    assert prepare_queue.after_push(git_repo.row.pk, [(ids[-2], ids[-1])])
    assert prepare_queue.prepare_spooled() == 1
    assert jobs_in(spool) == []
    assert prepare_queue.prepare_spooled() == 0
    key = f"lindos:diff:1:git:{ids[-1]}"
    assert cache.get(key) is not None


@pytest.mark.django_db(transaction=True)
def test_broken_and_foreign_files_in_the_spool_are_dropped(spool, git_repo):
    spool.folder.mkdir()
    (spool.folder / "1-bad.json").write_text("{not json")
    (spool.folder / "2-list.json").write_text("[1, 2]")
    (spool.folder / "3-gone.json").write_text(
        json.dumps({"repository_id": 10**9, "heads": [[None, "a" * 40]]})
    )
    assert prepare_queue.prepare_spooled() == 1  # the unknown repository: nothing to do, no error
    assert os.listdir(spool.folder) == []


def test_a_full_spool_drops_new_jobs(spool, monkeypatch):
    monkeypatch.setattr(prepare_queue, "MAX_SPOOLED", 2)
    assert prepare_queue.after_push(1, [(None, "a" * 40)])
    assert prepare_queue.after_push(1, [(None, "b" * 40)])
    assert not prepare_queue.after_push(1, [(None, "c" * 40)])
    assert len(jobs_in(spool)) == 2


def test_celery_mode_publishes_instead_of_spooling(spool, settings, monkeypatch):
    published = []

    class FakeTask:  # the broker is out of reach here; Celery's own API is what is called
        @staticmethod
        def apply_async(args, retry):
            published.append(args)

    import lindos.celery_app

    monkeypatch.setattr(lindos.celery_app, "prepare_pages_task", FakeTask)
    settings.LINDOS = dataclasses.replace(settings.LINDOS, use_celery=True)
    assert prepare_queue.after_push(3, [(None, "a" * 40)])
    assert published == [[3, [[None, "a" * 40]]]] and not spool.folder.exists()
