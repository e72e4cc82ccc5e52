"""Facts built by hand, as the review app's loaders will build them."""

from lindos.notifications import facts as f

ALICE = f.Person(1, "alice", "Alice Liddell", "alice@example.com")
BOB = f.Person(2, "bob", "Bob Builder", "bob@example.com")
CAROL = f.Person(3, "carol", "", "carol@example.com")
DAVE = f.Person(4, "dave", "Dave Null", "dave@example.com")
ERIN = f.Person(5, "erin", "Erin Owner", "erin@example.com")
FRANK = f.Person(6, "frank", "Frank Mention", "frank@example.com")

REPO = f.Repo(id=7, name="group/widgets", owner=ERIN)
RAW_ID = "0123456789abcdef0123456789abcdef01234567"
CHANGESET = f.Changeset(
    raw_id=RAW_ID,
    short_id=RAW_ID[:12],
    message="Fix the frobnicator so that it no longer explodes on empty input\n\nLong body.",
    branch="default",
    author_name="Alice Liddell",
    author_email="alice@example.com",
    url_path=f"/group/widgets/changeset/{RAW_ID}",
)
INLINE = f.InlineContext(
    path="src/frob.py",
    line=42,
    side="new",
    lines=(
        f.CodeLine(40, "def frob(items):"),
        f.CodeLine(41, "    if not items:"),
        f.CodeLine(42, "        return None  # <- here", is_target=True),
        f.CodeLine(43, "    return items[0]"),
    ),
)
PR = f.PullRequest(
    id=12,
    title="Make the widgets configurable through the INI file, finally",
    description="This adds `widgets.*` keys.\n\n@frank please check <b>the docs</b>.",
    source_branch="feature-config",
    target_branch="default",
    owner=BOB,
    reviewers=(ALICE, CAROL),
    url_path="/group/widgets/pull-request/12/_/feature-config",
    source_repo_name="bob/widgets-fork",
    changesets=(CHANGESET,),
)


def cs_comment(**overrides):
    values = dict(
        actor=BOB,
        repo=REPO,
        comment_id=100,
        text="Looks **good**, but <script>alert(1)</script> see line 42.",
        url_path=f"/group/widgets/changeset/{RAW_ID}#comment-100",
        changeset=CHANGESET,
        inline=INLINE,
        changeset_author=ALICE,
        earlier_commenters=(CAROL,),
        open_pr_reviewers=(DAVE,),
        mentioned=(),
    )
    values.update(overrides)
    return f.CommentFacts(**values)


def pr_comment(**overrides):
    values = dict(
        actor=CAROL,
        repo=REPO,
        comment_id=200,
        text="Please rename `frob`.",
        url_path="/group/widgets/pull-request/12/_/feature-config#comment-200",
        pull_request=PR,
        earlier_commenters=(DAVE,),
        mentioned=(),
    )
    values.update(overrides)
    return f.CommentFacts(**values)


def pr_created(**overrides):
    values = dict(
        actor=BOB, repo=REPO, pull_request=PR, new_reviewers=(ALICE, CAROL), mentioned=(FRANK,), is_new=True
    )
    values.update(overrides)
    return f.PullRequestFacts(**values)
