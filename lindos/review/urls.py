"""Code review URLs, at Kallithea's paths where it had them.

Included before the repository URLs.  Every pattern names a route word
after REPO (``pull-request``, ``changeset_comment``, ``comments``; see
``lindos.repos.storage.ROUTE_WORDS``), which no repository name segment can
be, so these never shadow a repository page.  REPO may contain slashes and
is matched lazily up to the first route word, as in the browser.

    /my_pullrequests                      mine, and awaiting my review
    /REPO/pull-request                    open (?closed=1: closed) pull requests
    /REPO/pull-request/new                create (target: REPO's parent, or REPO)
    /REPO/pull-request/new/preview        GET: the preview fragment of a choice
    /REPO/pull-request/new/refs?repo=R    GET: R's branches, bookmarks, tags (JSON)
    /REPO/pull-request/N[/SLUG]           the pull request; POST: its forms
    /REPO/changeset_comment/REV           POST: comment on a changeset
    /REPO/comments/ID/delete              POST: delete a comment
"""

from django.urls import re_path

from lindos.review.views import changeset, lists, pull_request, pull_request_new

REPO = r"(?P<repo_name>[^/_][^/]*(?:/[^/]+)*?)"

urlpatterns = [
    re_path(r"^my_pullrequests/?$", lists.my_pull_requests, name="my_pullrequests"),
    re_path(rf"^{REPO}/pull-request/?$", lists.pull_request_list, name="pullrequest_show_all"),
    re_path(rf"^{REPO}/pull-request/new/?$", pull_request_new.new, name="pullrequest_home"),
    re_path(rf"^{REPO}/pull-request/new/preview$", pull_request_new.preview, name="pullrequest_preview"),
    re_path(rf"^{REPO}/pull-request/new/refs$", pull_request_new.refs, name="pullrequest_refs"),
    re_path(rf"^{REPO}/pull-request/(?P<pr_id>\d+)(?:/.*)?$", pull_request.show, name="pullrequest_show"),
    re_path(
        rf"^{REPO}/changeset_comment/(?P<rev>[^/].*?)/?$", changeset.post_comment, name="changeset_comment"
    ),
    re_path(
        rf"^{REPO}/comments/(?P<comment_id>\d+)/delete/?$", changeset.delete_comment, name="comment_delete"
    ),
]
