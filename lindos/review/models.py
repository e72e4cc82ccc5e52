"""Code review: comments, statuses and pull requests.

Kallithea's data model, with two changes: a pull request keeps every
iteration of its source (``PullRequestIteration``) instead of being
replaced by a new pull request when the source moves, and a comment carries
an idempotency token so a double submit stores it once.

Pull request numbers are global, as in Kallithea: ``#N`` is the row's id,
so ``/REPO/pull-request/N`` links from Kallithea keep working.
"""

from django.conf import settings
from django.db import models

from lindos.repos.models import Repository


class Status(models.TextChoices):
    """Kallithea's four review statuses (``rejected`` reads "Not approved")."""

    NOT_REVIEWED = "not_reviewed", "Not reviewed"
    UNDER_REVIEW = "under_review", "Under review"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Not approved"


class PullRequest(models.Model):
    OPEN = "open"
    CLOSED = "closed"

    title = models.CharField(max_length=255)
    description = models.TextField(blank=True, default="")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="pull_requests"
    )
    # Where the changes come from: a branch or (hg) bookmark, followed when
    # it moves, or a fixed revision, in the target repository or a fork.
    source_repo = models.ForeignKey(
        Repository, on_delete=models.CASCADE, related_name="outgoing_pull_requests"
    )
    # "branch" | "bookmark" (hg; both followed when a push moves them) |
    # "tag" | "rev" (fixed).
    source_ref_kind = models.CharField(max_length=8, default="branch")
    source_ref = models.CharField(max_length=255)
    target_repo = models.ForeignKey(Repository, on_delete=models.CASCADE, related_name="pull_requests")
    target_branch = models.CharField(max_length=255)
    state = models.CharField(max_length=8, default=OPEN, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self):
        return f"#{self.pk} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.state == self.OPEN

    @property
    def number(self) -> int:
        return self.pk

    @property
    def slug(self) -> str:
        from django.utils.text import slugify

        return slugify(self.title)[:60].strip("-") or "_"

    @property
    def url(self) -> str:
        return f"/{self.target_repo.name}/pull-request/{self.pk}/{self.slug}"

    #: Source kinds that name a ref followed when a push moves it.
    FOLLOWED_KINDS = ("branch", "bookmark")

    @property
    def source_label(self) -> str:
        """What mails call the source: the branch, bookmark or tag, or the short revision."""
        return self.source_ref if self.source_ref_kind != "rev" else self.source_ref[:12]

    def latest_iteration(self):
        return self.iterations.order_by("-number").first()


class PullRequestIteration(models.Model):
    """The pull request's changesets at one moment; a push to the source
    branch adds a new iteration, older ones stay visible."""

    pull_request = models.ForeignKey(PullRequest, on_delete=models.CASCADE, related_name="iterations")
    number = models.PositiveIntegerField()
    source_rev = models.CharField(max_length=64)  # head of the source
    target_rev = models.CharField(max_length=64)  # target branch tip then
    base_rev = models.CharField(max_length=64)  # common ancestor: diff base
    revisions = models.JSONField(default=list)  # full ids, oldest first
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["pull_request", "number"], name="pr_iteration_unique")]


class PullRequestReviewer(models.Model):
    pull_request = models.ForeignKey(PullRequest, on_delete=models.CASCADE, related_name="reviewers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_requests"
    )

    class Meta:
        ordering = ["user__username"]
        constraints = [models.UniqueConstraint(fields=["pull_request", "user"], name="pr_reviewer_unique")]


class Comment(models.Model):
    """A comment on a changeset (``revision`` set, no pull request) or on a
    pull request (``pull_request`` set; ``revision`` is the source head it
    was made on).  Inline comments name a file, a line and the side of the
    diff (``old`` or ``new``)."""

    repository = models.ForeignKey(Repository, on_delete=models.CASCADE, related_name="review_comments")
    revision = models.CharField(max_length=64, blank=True, default="", db_index=True)
    pull_request = models.ForeignKey(
        PullRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_comments"
    )
    text = models.TextField(blank=True, default="")
    path = models.CharField(max_length=1000, blank=True, default="")
    line = models.PositiveIntegerField(null=True, blank=True)
    side = models.CharField(max_length=3, blank=True, default="")  # "old" | "new"
    closes = models.BooleanField(default=False)  # the comment that closed a PR
    # One per submitted form: a second POST of the same form finds this row.
    token = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    @property
    def is_inline(self) -> bool:
        return bool(self.path)

    @property
    def anchor(self) -> str:
        return f"comment-{self.pk}"


class ChangesetStatus(models.Model):
    """One vote: a user's status for a changeset, or for a pull request
    (then ``revision`` is its source head at the time).  The latest row per
    user counts; older rows are the history."""

    repository = models.ForeignKey(Repository, on_delete=models.CASCADE, related_name="review_statuses")
    revision = models.CharField(max_length=64, db_index=True)
    pull_request = models.ForeignKey(
        PullRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="statuses"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_statuses"
    )
    status = models.CharField(max_length=16, choices=Status.choices)
    # The comment that carried the change; kept if the comment is deleted.
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.SET_NULL, related_name="status_changes"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["repository", "revision"], name="review_status_rev")]
