"""Repository pages of this app, at Kallithea's paths: the changeset feeds
(``/REPO/feed/rss``, ``/REPO/feed/atom``), the followers
(``/REPO/followers``) and the statistics (``/REPO/statistics``).

Each first checks that the viewer may read the repository (a 404
otherwise, the same as for a name that does not exist). The feeds take an
API key (``?api_key=`` or a Bearer header) so a feed reader can follow a
private repository; a wrong key is a 403 and counts toward the login
throttle (``lindos.api.web_access``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from lindos.activity import charts, following, statistics
from lindos.activity.feeds import Feed, changeset_items, render_feed
from lindos.activity.models import RepositoryStatistics
from lindos.activity.statistics_queue import queue_statistics
from lindos.api.web_access import api_key_allowed
from lindos.appsettings.current import current_app_settings
from lindos.notifications.links import request_base_url
from lindos.repos.browse import links
from lindos.repos.browse.common import base_context, open_browse
from lindos.repos.browse.revisions import get_changeset_or_404
from lindos.repos.permissions import get_repository_or_404

#: Seconds a rendered feed is reused for the same tip (a feed reader polls).
FEED_CACHE_SECONDS = 300


@require_safe
@api_key_allowed
def repository_feed(request, repo_name: str, fmt: str):
    browse = open_browse(request, repo_name)
    config = settings.LINDOS
    base = request_base_url(request)
    vcs, name = browse.vcs, browse.name
    tip = "" if vcs.is_empty() else get_changeset_or_404(vcs, None, browse.default).id
    key = (
        f"lindos:feed:{browse.db.pk}:{fmt}:{tip}:{base}:{config.rss_items_per_page}:{config.rss_include_diff}"
    )
    cached = cache.get(key)
    if cached is None:
        items = []
        if tip:
            items = changeset_items(
                vcs,
                tip,
                name,
                base,
                limit=config.rss_items_per_page,
                cut_off=config.rss_cut_off_limit,
                include_diff=config.rss_include_diff,
            )
        site = current_app_settings().title
        feed = Feed(
            title=f"{site} {name} feed",
            link=base + links.summary_url(name),
            description=f"Changes on {name} repository",
            feed_url=base + request.path,
            items=items,
        )
        cached = render_feed(feed, fmt)
        cache.set(key, cached, FEED_CACHE_SECONDS)
    body, content_type = cached
    return HttpResponse(body, content_type=content_type)


@require_safe
def followers(request, repo_name: str):
    repo = get_repository_or_404(request, repo_name, need="read")
    page = Paginator(following.repository_followers(repo), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "activity/followers.html",
        {
            "repo": repo,
            "repo_name": repo.name,
            "active_tab": "followers",
            "page": page,
            "following": following.is_following_repository(request.user, repo),
        },
    )


@require_safe
def statistics_page(request, repo_name: str):
    browse = open_browse(request, repo_name)
    if not browse.db.enable_statistics:
        # Kallithea's page says so and shows no figures, even ones counted
        # before the switch was turned off; nothing is queued.
        return render(request, "activity/statistics.html", base_context(browse, "statistics", disabled=True))
    stats = RepositoryStatistics.objects.filter(repository=browse.db).first()
    empty = browse.vcs.is_empty()
    current = empty or statistics.is_current(stats, browse.vcs)
    if not current:
        queue_statistics(browse.db.pk)
    activity = stats.activity if stats is not None else {}
    context = base_context(
        browse,
        "statistics",
        empty=empty,
        counting=not current,
        stats=stats,
        chart=charts.build_chart_data(activity),
        authors=charts.author_rows(activity)[: charts.TABLE_AUTHORS],
    )
    return render(request, "activity/statistics.html", context)
