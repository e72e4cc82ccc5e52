"""Site-wide activity pages at Kallithea's paths: the journal of what one
follows (``/_admin/journal``), the public journal
(``/_admin/public_journal``), their RSS and Atom feeds, the follow toggle
(``POST /_admin/toggle_following``) and the admin log (``/_admin``).

The journal feeds take an API key (``?api_key=`` or a Bearer header,
through ``lindos.api.web_access``: a wrong key is a 403 and counts toward
the login throttle), so a feed reader can read a private journal.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from lindos.accounts.admin_views import admin_required
from lindos.activity import following, journals
from lindos.activity.feeds import Feed, render_feed
from lindos.activity.journal_feeds import journal_items
from lindos.activity.log import admin_log_keys
from lindos.activity.models import ActionLog
from lindos.api.web_access import api_key_allowed
from lindos.appsettings.current import current_app_settings
from lindos.notifications.links import request_base_url
from lindos.repos.models import JournalEntry


def _page(request, entries, size=journals.PAGE_SIZE):
    entries = entries.select_related("user", "repository")
    return Paginator(entries, size).get_page(request.GET.get("page"))


def _filter_text(request) -> str:
    return (request.GET.get("filter") or "")[: journals.MAX_FILTER].replace("\x00", "")


def _journal_context(request, entries, **extra):
    search = _filter_text(request)
    page = _page(request, journals.apply_filter(entries, search))
    context = {
        "page": page,
        "days": journals.by_day(journals.with_changes(list(page.object_list))),
        "search": search,
    }
    context.update(extra)
    return context


@require_safe
@login_required
def journal(request):
    context = _journal_context(
        request,
        journals.followed_entries(request.user),
        followed=following.followed_by(request.user),
        feed_key=request.user.api_key,
    )
    return render(request, "activity/journal.html", context)


@require_safe
def public_journal(request):
    return render(
        request,
        "activity/public_journal.html",
        _journal_context(request, journals.public_entries(request.user)),
    )


def _journal_feed(request, entries, fmt: str, title: str, page_path: str):
    base = request_base_url(request)
    site = current_app_settings().title
    config_limit = _feed_limit()
    entries = journals.apply_filter(entries, _filter_text(request)).select_related("user", "repository")
    items = journal_items(journals.with_changes(list(entries[:config_limit])), base)
    feed = Feed(
        title=f"{site} {title}",
        link=base + page_path,
        description=f"{site} {title}",
        feed_url=base + request.path,
        items=items,
    )
    body, content_type = render_feed(feed, fmt)
    return HttpResponse(body, content_type=content_type)


def _feed_limit() -> int:
    from django.conf import settings

    return settings.LINDOS.rss_items_per_page


@require_safe
@api_key_allowed
def journal_feed(request, fmt: str):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return _journal_feed(request, journals.followed_entries(request.user), fmt, "Journal", "/_admin/journal")


@require_safe
@api_key_allowed
def public_journal_feed(request, fmt: str):
    return _journal_feed(
        request, journals.public_entries(request.user), fmt, "Public Journal", "/_admin/public_journal"
    )


@require_POST
def toggle_following(request):
    """Kallithea's toggle: ``follows_repository_id`` or ``follows_user_id``;
    answers ``ok`` (or, from the page's form without script, goes back to
    ``next``). Unknown, unreadable or malformed targets are all a 400."""
    if not request.user.is_authenticated:
        return HttpResponse("Log in to follow.\n", status=403, content_type="text/plain")
    address = request.META.get("REMOTE_ADDR", "")
    repository_id = request.POST.get("follows_repository_id")
    user_id = request.POST.get("follows_user_id")
    try:
        if repository_id:
            now = following.do_toggle_following_repository(request.user, repository_id, address=address)
        elif user_id:
            now = following.do_toggle_following_user(request.user, user_id, address=address)
        else:
            return HttpResponseBadRequest("Nothing to follow.\n", content_type="text/plain")
    except following.NotFollowable:
        return HttpResponseBadRequest("Nothing to follow.\n", content_type="text/plain")
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    response = HttpResponse("ok", content_type="text/plain")
    response["X-Following"] = "true" if now else "false"
    return response


@require_safe
@admin_required
def admin_log(request):
    """Every repository's journal and the admin actions, newest first."""
    search = _filter_text(request)
    entries = journals.apply_filter(JournalEntry.objects.all(), search)
    actions = ActionLog.objects.all()
    q = journals.filter_q(search)
    if q is not None:
        actions = actions.filter(journals.action_filter_q(search))
    page = Paginator(admin_log_keys(entries, actions), 20).get_page(request.GET.get("page"))
    keys = list(page.object_list)
    by_id = {
        0: JournalEntry.objects.select_related("user", "repository").in_bulk(
            [i for k, i, _ in keys if k == 0]
        ),
        1: ActionLog.objects.select_related("user").in_bulk([i for k, i, _ in keys if k == 1]),
    }
    rows = []
    for kind, pk, _when in keys:
        row = by_id[kind].get(pk)
        if row is not None:
            rows.append({"kind": "journal" if kind == 0 else "action", "row": row})
    journals.with_changes([r["row"] for r in rows if r["kind"] == "journal"])
    return render(request, "activity/admin_log.html", {"page": page, "rows": rows, "search": search})
