"""Forms for comments and pull requests.

Every comment form carries a fresh ``token`` (made when the form is shown)
so a double submit stores one comment (``actions.comments``).
"""

from __future__ import annotations

import re
import uuid

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from lindos.review.models import Status

STATUS_CHOICES = [("", "No status change")] + list(Status.choices)


def new_token() -> str:
    return uuid.uuid4().hex


class Form(forms.Form):
    """Labels without a colon, as the rest of Lindos."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class CommentForm(Form):
    text = forms.CharField(
        label="Comment",
        required=False,
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Markdown; @username mentions notify that user (the first 20 named).",
    )
    status = forms.ChoiceField(label="Status", choices=STATUS_CHOICES, required=False)
    path = forms.CharField(label="File", required=False, max_length=1000)
    line = forms.IntegerField(label="Line", required=False)  # range: inline.check_line (404)
    side = forms.ChoiceField(
        label="Side", required=False, choices=[("new", "new version"), ("old", "old version")]
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("token", new_token())

    def clean(self):
        data = super().clean()
        if data.get("path") and data.get("line") is None:
            self.add_error("line", "Give the line the comment is about.")
        if data.get("line") is not None and not data.get("path"):
            self.add_error("path", "Choose the file the line is in.")
        data["side"] = data.get("side") or "new"
        return data


class PullRequestCommentForm(CommentForm):
    close = forms.BooleanField(label="Close the pull request", required=False)


def parse_usernames(text: str) -> list[str]:
    """Usernames separated by commas or white space, without repeats."""
    names = [n.lstrip("@") for n in re.split(r"[\s,]+", text or "") if n.strip()]
    return list(dict.fromkeys(n for n in names if n))


def users_by_name(text: str):
    """The active users named in `text`; ValidationError naming any unknown."""
    names = parse_usernames(text)
    User = get_user_model()
    users = []
    missing = []
    for name in names:
        user = User.objects.filter(username__iexact=name, is_active=True).first()
        (users if user else missing).append(user or name)
    if missing:
        raise ValidationError("No such user: %s" % ", ".join(missing))
    return list(dict.fromkeys(users))


class ReviewersField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", "Usernames, separated by commas or spaces.")
        super().__init__(**kwargs)

    def clean(self, value):
        return users_by_name(super().clean(value))


REF_GROUPS = [("branch", "Branches"), ("book", "Bookmarks"), ("tag", "Tags")]


def build_ref_choices(refs, extra_rev: str | None = None) -> list:
    """Grouped ``<select>`` choices for a repository's named refs (values
    ``kind:name``, as Kallithea spelled them), plus ``rev:ID`` for a
    revision that was asked for and has no name."""
    groups = []
    for kind, label in REF_GROUPS:
        options = [(r.value, r.name) for r in refs if r.kind == kind]
        if options:
            groups.append((label, options))
    if extra_rev:
        groups.append(("Changeset", [(f"rev:{extra_rev}", extra_rev[:12])]))
    return groups


def parse_ref(value: str) -> tuple[str, str]:
    """``kind:name`` -> (kind, name); a bare name (older forms and scripts)
    is ("", name) for the caller to resolve."""
    kind, sep, name = (value or "").partition(":")
    if sep and kind in ("branch", "book", "tag", "rev"):
        return kind, name
    return "", value or ""


class RefField(forms.CharField):
    """A ref chosen from a list; its choices are set per request (they
    depend on the repository chosen) and checked against the VCS."""

    widget = forms.Select

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 300)
        super().__init__(**kwargs)


class PullRequestForm(Form):
    source_repo = forms.ChoiceField(label="From repository", required=False)
    source_ref = RefField(label="From branch, bookmark or tag")
    # Repositories are optional: the page's defaults (REPO; the parent of a
    # fork) when not posted.
    target_repo = forms.ChoiceField(label="Into repository", required=False)
    target_ref = RefField(label="Into branch, bookmark or tag")
    title = forms.CharField(max_length=255)
    description = forms.CharField(
        required=False,
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Markdown; @username mentions notify that user (the first 20 named).",
    )
    reviewers = ReviewersField()

    def __init__(
        self,
        *args,
        source_repos=(),
        target_repos=(),
        source_refs=(),
        target_refs=(),
        previewing=False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["source_repo"].choices = [(r.name, r.name) for r in source_repos]
        self.fields["target_repo"].choices = [(r.name, label) for r, label in target_repos]
        self.fields["source_ref"].widget.choices = list(source_refs)
        self.fields["target_ref"].widget.choices = list(target_refs)
        # A preview needs only the two sides; the title is asked for on creation.
        self.fields["title"].required = not previewing


class EditPullRequestForm(Form):
    title = forms.CharField(max_length=255)
    description = forms.CharField(
        required=False, max_length=100_000, widget=forms.Textarea(attrs={"rows": 6})
    )


class ReviewersForm(Form):
    add = ReviewersField(label="Add reviewers")
    # Check boxes, never a multi-select: an unselected list item can look
    # selected, and removing a reviewer must be a visible, deliberate tick.
    remove = forms.TypedMultipleChoiceField(
        label="Remove reviewers", required=False, coerce=int, choices=[], widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, reviewers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["remove"].choices = [(u.pk, u.username) for u in reviewers]
