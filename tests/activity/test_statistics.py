"""Commit statistics: counting (``lindos.activity.statistics``), the chart
data (``lindos.activity.charts``), the background queue and the page."""

import datetime
import shutil

import pytest

from lindos.activity import charts, statistics
from lindos.activity.models import RepositoryStatistics

DAY = 86400
START = 1_700_000_000  # 2023-11-14


def commits(spec):
    """``[(author, day offset), ...]`` -> commit dicts."""
    return [
        {"author": author, "date": START + offset * DAY, "files": {"f.txt": f"{i}\n"}, "message": f"c{i}"}
        for i, (author, offset) in enumerate(spec)
    ]


ZOE = "Zoë <zoe@example.com>"
BOB = "Bob <bob@example.com>"


@pytest.mark.parametrize("kind", ["git", "hg"])
def test_counts_every_changeset_by_author_and_day(history_repo, kind):
    spec = [(ZOE, 0), (ZOE, 0), (BOB, 1), (ZOE, 8)]
    repo = history_repo(kind, "proj", commits(spec))
    assert statistics.do_update_statistics(repo.pk) is True
    stats = RepositoryStatistics.objects.get(repository=repo)
    assert stats.commits == 4 and stats.complete
    assert stats.activity == {
        "zoe@example.com": {"name": "Zoë", "days": {"2023-11-14": 2, "2023-11-22": 1}},
        "bob@example.com": {"name": "Bob", "days": {"2023-11-15": 1}},
    }


@pytest.mark.parametrize("kind", ["git", "hg"])
def test_branches_count_once_and_updates_are_incremental(history_repo, repo_root, kind):
    spec = commits([(ZOE, 0), (BOB, 1)])
    spec.append({"author": BOB, "date": START + 2 * DAY, "branch": "feature", "files": {"g": "1\n"}})
    repo = history_repo(kind, "proj", spec)
    statistics.do_update_statistics(repo.pk)
    assert RepositoryStatistics.objects.get(repository=repo).commits == 3
    # More history: rebuilt with the same first commits (same ids) plus one.
    longer = spec + [{"author": ZOE, "date": START + 3 * DAY, "files": {"f.txt": "new\n"}}]
    shutil.rmtree(repo_root / "proj")
    from lindos.vcs.testing import make_git_repo, make_hg_repo

    (make_git_repo if kind == "git" else make_hg_repo)(repo_root / "proj", longer)
    assert statistics.do_update_statistics(repo.pk) is True
    stats = RepositoryStatistics.objects.get(repository=repo)
    assert stats.commits == 4
    assert stats.activity["zoe@example.com"]["days"] == {"2023-11-14": 1, "2023-11-17": 1}


def test_a_rewritten_history_is_counted_again(history_repo, repo_root):
    from lindos.vcs.testing import make_git_repo

    repo = history_repo("git", "proj", commits([(ZOE, 0), (ZOE, 1), (ZOE, 2)]))
    statistics.do_update_statistics(repo.pk)
    shutil.rmtree(repo_root / "proj")
    make_git_repo(repo_root / "proj", commits([(BOB, 5)]))
    statistics.do_update_statistics(repo.pk)
    stats = RepositoryStatistics.objects.get(repository=repo)
    assert stats.commits == 1 and list(stats.activity) == ["bob@example.com"]


@pytest.mark.parametrize("kind", ["git", "hg"])
def test_a_long_history_is_counted_over_several_passes(history_repo, kind, monkeypatch):
    monkeypatch.setattr(statistics, "CLOCK_EVERY", 2)
    repo = history_repo(kind, "proj", commits([(ZOE, i) for i in range(7)]))
    # A budget already spent: each pass reads CLOCK_EVERY changesets, then stops.
    passes = 0
    while statistics.do_update_statistics(repo.pk, budget=-1) is False:
        passes += 1
        assert passes < 10
    stats = RepositoryStatistics.objects.get(repository=repo)
    assert passes == 3 and stats.commits == 7 and stats.complete
    assert sum(stats.activity["zoe@example.com"]["days"].values()) == 7


def test_next_heads_keeps_an_ancestry_closed_frontier():
    read = {"c2": ["c1"], "c1": ["h0"], "x": ["h0"]}
    assert statistics.next_heads(["h0", "other"], read) == ["c2", "other", "x"]


def test_author_keys():
    assert statistics.author_key("Zoë <ZOE@Example.com>") == ("zoe@example.com", "Zoë")
    assert statistics.author_key("just a name") == ("just a name", "just a name")
    assert statistics.author_key("") == ("unknown", "unknown")


def test_chart_data_weekly_with_top_authors_and_others():
    activity = {f"a{n}": {"name": f"A{n}", "days": {"2024-01-01": n + 1}} for n in range(7)}
    activity["a0"]["days"]["2024-01-10"] = 1
    data = charts.build_chart_data(activity)
    assert data["unit"] == "week"
    assert data["labels"] == ["2024-01-01", "2024-01-08"]
    assert [s["name"] for s in data["series"]] == ["A6", "A5", "A4", "A3", "A2", "Others"]
    assert data["series"][-1]["data"] == [1 + 2, 1]
    assert data["total"] == sum(range(1, 8)) + 1


def test_chart_data_monthly_for_long_histories():
    activity = {"a": {"name": "A", "days": {"2015-03-04": 1, "2024-05-06": 2}}}
    data = charts.build_chart_data(activity)
    assert data["unit"] == "month"
    assert data["labels"][0] == "2015-03" and data["labels"][-1] == "2024-05"
    assert len(data["labels"]) == 12 * 9 + 3
    assert charts.build_chart_data({})["labels"] == []


@pytest.mark.django_db(transaction=True)
def test_a_push_queues_one_statistics_pass_run_by_the_prepare_loop(history_repo, settings, tmp_path):
    import dataclasses
    import os

    from lindos.background import prepare_queue
    from lindos.repos.journal import RefChange, record_push

    settings.LINDOS = dataclasses.replace(settings.LINDOS, cache_dir=str(tmp_path / "cache"))
    repo = history_repo("git", "proj", commits([(ZOE, 0), (BOB, 1)]))
    for _ in range(2):  # two pushes before the worker looks: one statistics job
        record_push(repo, repo.owner, [RefChange("refs/heads/master", "0" * 40, repo.ids[-1])])
    names = sorted(os.listdir(prepare_queue.spool_dir()))
    assert [n for n in names if n.startswith("statistics")] == [f"statistics-{repo.pk}.json"]
    assert len(names) == 3  # and each push's page preparation
    assert prepare_queue.prepare_spooled() == 3
    assert RepositoryStatistics.objects.get(repository=repo).commits == 2
    assert os.listdir(prepare_queue.spool_dir()) == []


@pytest.mark.django_db(transaction=True)
def test_a_long_history_queues_its_next_pass(history_repo, settings, tmp_path, monkeypatch):
    import dataclasses

    from lindos.background import prepare_queue

    settings.LINDOS = dataclasses.replace(settings.LINDOS, cache_dir=str(tmp_path / "cache"))
    monkeypatch.setattr(statistics, "CLOCK_EVERY", 1)
    monkeypatch.setattr(statistics, "BUDGET_SECONDS", -1)
    repo = history_repo("hg", "proj", commits([(ZOE, i) for i in range(4)]))
    from lindos.activity.statistics_queue import queue_statistics

    assert queue_statistics(repo.pk)
    # One pass per job (one changeset each here); each unfinished pass
    # queues the next, and the last finds nothing left.
    assert prepare_queue.prepare_spooled() == 5
    stats = RepositoryStatistics.objects.get(repository=repo)
    assert stats.complete and stats.commits == 4


def test_celery_mode_publishes_a_task(settings, monkeypatch):
    import dataclasses

    from lindos import celery_app
    from lindos.activity.statistics_queue import queue_statistics

    sent = []
    settings.LINDOS = dataclasses.replace(settings.LINDOS, use_celery=True)
    monkeypatch.setattr(celery_app.update_statistics_task, "apply_async", lambda **kw: sent.append(kw))
    assert queue_statistics(7) is True
    assert sent == [{"args": [7], "retry": False}]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["git", "hg"])
def test_statistics_page_queues_then_draws(client, history_repo, settings, tmp_path, kind):
    import dataclasses

    from lindos.background import prepare_queue

    settings.LINDOS = dataclasses.replace(settings.LINDOS, cache_dir=str(tmp_path / "cache"))
    history_repo(kind, "proj", commits([(ZOE, 0), (BOB, 1), (BOB, 2)]))
    first = client.get("/proj/statistics")
    assert first.status_code == 200
    assert "being counted" in first.content.decode()
    prepare_queue.prepare_spooled()
    page = client.get("/proj/statistics").content.decode()
    assert "being counted" not in page
    assert 'id="statistics-data"' in page and "chart.umd.min.js" in page
    assert "<td>Bob</td><td>2</td>" in page and "<td>Zoë</td><td>1</td>" in page


def test_statistics_page_escapes_author_names_in_its_json(client, history_repo, settings, tmp_path):
    import dataclasses

    settings.LINDOS = dataclasses.replace(settings.LINDOS, cache_dir=str(tmp_path / "cache"))
    # hg takes any author text (git's ident format would refuse the '>').
    evil = "</script><script>alert(1)</script> <x@example.com>"
    repo = history_repo("hg", "proj", commits([(evil, 0)]))
    statistics.do_update_statistics(repo.pk)
    page = client.get("/proj/statistics").content.decode()
    assert "<script>alert(1)" not in page
    assert "\\u003C/script\\u003E" in page


def test_statistics_of_an_empty_and_a_private_repository(client, make_repo, make_user):
    make_repo("empty")
    assert "No changesets yet" in client.get("/empty/statistics").content.decode()
    owner = make_user("owner")
    make_repo("secret", owner=owner, private=True)
    assert client.get("/secret/statistics").status_code == 404
    client.force_login(make_user("stranger"))
    assert client.get("/secret/statistics").status_code == 404
    client.force_login(owner)
    assert client.get("/secret/statistics").status_code == 200


def test_statistics_of_a_deleted_repository_is_nothing(db):
    assert statistics.do_update_statistics(987654) is None


def test_today_is_not_needed(history_repo):
    # Buckets come from the history itself, never from the clock.
    assert datetime.date.fromisoformat(
        charts.build_chart_data({"a": {"name": "A", "days": {"2001-02-03": 1}}})["labels"][0]
    ) == datetime.date(2001, 1, 29)


def switch_off(repo):
    repo.enable_statistics = False
    repo.save(update_fields=["enable_statistics"])


@pytest.mark.parametrize("kind", ["git", "hg"])
def test_statistics_switched_off_count_nothing(history_repo, kind, monkeypatch):
    repo = history_repo(kind, "proj", commits([(ZOE, 0), (BOB, 1)]))
    switch_off(repo)
    opened = []
    monkeypatch.setattr(statistics, "open_repository", lambda path: opened.append(path))
    assert statistics.do_update_statistics(repo.pk) is None
    assert opened == []  # the repository is not even opened
    assert not RepositoryStatistics.objects.filter(repository=repo).exists()


@pytest.mark.django_db(transaction=True)
def test_a_push_to_a_repository_with_statistics_off_queues_nothing(history_repo, settings, tmp_path):
    import dataclasses
    import os

    from lindos.background import prepare_queue
    from lindos.repos.journal import RefChange, record_push

    settings.LINDOS = dataclasses.replace(settings.LINDOS, cache_dir=str(tmp_path / "cache"))
    repo = history_repo("git", "proj", commits([(ZOE, 0), (BOB, 1)]))
    switch_off(repo)
    record_push(repo, repo.owner, [RefChange("refs/heads/master", "0" * 40, repo.ids[-1])])
    names = os.listdir(prepare_queue.spool_dir())
    assert not [n for n in names if n.startswith("statistics")]
    prepare_queue.prepare_spooled()
    assert not RepositoryStatistics.objects.filter(repository=repo).exists()


@pytest.mark.django_db(transaction=True)
def test_a_job_queued_before_the_switch_went_off_does_no_work(history_repo, settings, tmp_path):
    import dataclasses

    from lindos.activity.statistics_queue import queue_statistics
    from lindos.background import prepare_queue

    settings.LINDOS = dataclasses.replace(settings.LINDOS, cache_dir=str(tmp_path / "cache"))
    repo = history_repo("git", "proj", commits([(ZOE, 0)]))
    assert queue_statistics(repo.pk)
    switch_off(repo)
    prepare_queue.prepare_spooled()
    assert not RepositoryStatistics.objects.filter(repository=repo).exists()


@pytest.mark.django_db(transaction=True)
def test_the_page_of_a_repository_with_statistics_off_says_so_and_queues_nothing(
    client, history_repo, settings, tmp_path
):
    import dataclasses
    import os

    from lindos.background import prepare_queue

    settings.LINDOS = dataclasses.replace(settings.LINDOS, cache_dir=str(tmp_path / "cache"))
    repo = history_repo("git", "proj", commits([(ZOE, 0), (BOB, 1)]))
    statistics.do_update_statistics(repo.pk)  # counted while on
    switch_off(repo)
    response = client.get("/proj/statistics")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Statistics are disabled for this repository." in page
    # Figures counted before the switch went off are not shown.
    assert 'id="statistics-data"' not in page and "<td>Bob</td>" not in page
    assert "settings#id_enable_statistics" not in page  # visitors get no link to the settings
    spool = prepare_queue.spool_dir()
    assert not os.path.isdir(spool) or not os.listdir(spool)
    client.force_login(repo.owner)
    assert "settings#id_enable_statistics" in client.get("/proj/statistics").content.decode()


def test_a_private_repository_with_statistics_off_stays_404(client, make_repo, make_user):
    repo = make_repo("secret", private=True)
    switch_off(repo)
    client.force_login(make_user("stranger"))
    assert client.get("/secret/statistics").status_code == 404
