"""Comments and statuses on a changeset, through the pages, with the mails
they leave in the outbox."""

import pytest

from lindos.repos.actions import do_set_permission
from lindos.review.models import ChangesetStatus, Comment
from tests.review.conftest import clear_outbox, outbox, parsed, recipients

pytestmark = pytest.mark.django_db


def post(client, project, rev, **data):
    data.setdefault("token", "")
    return client.post(project.url(f"changeset_comment/{rev}"), data)


def test_general_comment_shows_and_mails_the_changeset_author(client, project, people):
    client.force_login(people["carol"])
    rev = project.ids[0]  # by alice@example.com, who has an account
    response = post(client, project, rev, text="Nice **work**")
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/project/changeset/{rev}#comment-{comment.pk}"
    page = client.get(project.url(f"changeset/{rev}")).content.decode()
    assert "<strong>work</strong>" in page and "1 general comment" in page
    [(to, subject, kind, message)] = outbox()
    assert to == "alice@example.com"
    assert subject == f'[Lindos] [Comment] project changeset {rev[:12]} "Initial import" by alice'
    assert kind == "cs_comment"
    mail = parsed(message)
    assert mail["X-Kallithea-Notification-Type"] == "cs_comment"
    assert mail["From"] == '"carol (no-reply)" <lindos@example.com>'


def test_comment_deleted_before_the_worker_expands_it_mails_nobody(client, project, people, caplog):
    from lindos.notifications.models import PendingNotification

    client.force_login(people["carol"])
    post(client, project, project.ids[0], text="Oops, wrong changeset")
    Comment.objects.get().delete()
    assert outbox() == []  # not the fallback to the administrators
    assert PendingNotification.objects.get().state == "expanded"
    assert "ChangesetCommented: what it is about no longer exists" in caplog.text


def test_without_an_author_account_the_owner_is_told(client, project, people):
    client.force_login(people["carol"])
    post(client, project, project.ids[1], text="Hmm")
    assert recipients(outbox()) == ["olga@example.com"]


def test_earlier_commenters_and_mentions_are_told_but_not_the_actor(client, project, people):
    rev = project.ids[1]
    client.force_login(people["dave"])
    post(client, project, rev, text="First")
    clear_outbox()
    client.force_login(people["carol"])
    post(client, project, rev, text="Second, cc @bob and @carol")
    assert recipients(outbox()) == ["bob@example.com", "dave@example.com", "olga@example.com"]


def test_status_with_comment_shows_on_page_and_in_subject(client, project, people):
    client.force_login(people["carol"])
    rev = project.ids[0]
    post(client, project, rev, text="", status="rejected")
    [(_, subject, _, _)] = outbox()
    assert subject.startswith("[Lindos] [Not approved: Comment] project changeset")
    client.force_login(people["dave"])
    post(client, project, rev, text="ok", status="approved")
    page = client.get(project.url(f"changeset/{rev}")).content.decode()
    assert 'id="changeset-status">Not approved' in page
    assert 'carol</strong> <span class="badge status-rejected">Not approved' in page
    assert 'dave</strong> <span class="badge status-approved">Approved' in page
    client.force_login(people["carol"])
    post(client, project, rev, status="approved")
    page = client.get(project.url(f"changeset/{rev}")).content.decode()
    assert 'id="changeset-status">Approved' in page


def test_inline_comments_on_either_side(client, project, people):
    client.force_login(people["carol"])
    rev = project.ids[1]  # changes line 5 of src/app.py
    assert (
        post(client, project, rev, text="new side", path="src/app.py", line="5", side="new").status_code
        == 302
    )
    assert (
        post(client, project, rev, text="old side", path="src/app.py", line="5", side="old").status_code
        == 302
    )
    page = client.get(project.url(f"changeset/{rev}")).content.decode()
    assert 'data-path="src/app.py" data-side="new" data-line="5"' in page
    assert "src/app.py:5 (old)" in page
    message = outbox()[0][3]
    text = parsed(message).get_body(("plain",)).get_content()
    assert "On src/app.py, line 5 (new version):" in text
    assert ">    5      return 2" in text


@pytest.mark.parametrize(
    "line, side, path",
    [
        ("99", "new", "src/app.py"),
        ("0", "new", "src/app.py"),
        ("1", "new", "missing.py"),
    ],
)
def test_line_outside_the_file_is_404(client, project, people, line, side, path):
    client.force_login(people["carol"])
    response = post(client, project, project.ids[1], text="x", path=path, line=line, side=side)
    assert response.status_code == 404
    assert Comment.objects.count() == 0 and outbox() == []


def test_line_past_the_end_and_old_side_of_root_are_404(client, project, people):
    client.force_login(people["carol"])
    assert (
        post(client, project, project.ids[1], text="x", path="src/app.py", line="9", side="new").status_code
        == 404
    )
    assert (
        post(client, project, project.ids[0], text="x", path="src/app.py", line="1", side="old").status_code
        == 404
    )


def test_unknown_revision_is_404(client, project, people):
    client.force_login(people["carol"])
    assert post(client, project, "0123456789abcdef" * 2 + "01234567", text="x").status_code == 404
    assert post(client, project, "no-such-branch", text="x").status_code == 404


def test_repository_you_cannot_read_is_404(client, project, people):
    project.row.private = True
    project.row.save()
    client.force_login(people["carol"])
    assert post(client, project, project.ids[0], text="x").status_code == 404
    assert Comment.objects.count() == 0


def test_anonymous_must_log_in(client, project):
    response = post(client, project, project.ids[0], text="x")
    assert response.status_code == 302 and "/_admin/login" in response["Location"]


def test_empty_comment_without_status_is_refused_with_a_message(client, project, people):
    client.force_login(people["carol"])
    response = post(client, project, project.ids[0], text="   ")
    assert response.status_code == 400
    assert "Please write a comment or choose a status." in response.content.decode()
    assert Comment.objects.count() == 0 and outbox() == []


def test_double_submit_stores_one_comment_and_one_mail(client, project, people):
    client.force_login(people["carol"])
    page = client.get(project.url(f"changeset/{project.ids[0]}")).content.decode()
    token = page.split('name="token" value="', 1)[1].split('"', 1)[0]
    assert len(token) == 32
    first = post(client, project, project.ids[0], text="Once", status="approved", token=token)
    second = post(client, project, project.ids[0], text="Once", status="approved", token=token)
    assert first["Location"] == second["Location"]
    assert Comment.objects.count() == 1 and ChangesetStatus.objects.count() == 1
    assert len(outbox()) == 1


def test_authors_delete_their_own_admins_any(client, project, people):
    client.force_login(people["carol"])
    post(client, project, project.ids[0], text="mine")
    comment = Comment.objects.get()
    client.force_login(people["dave"])
    assert client.post(project.url(f"comments/{comment.pk}/delete")).status_code == 403
    page = client.get(project.url(f"changeset/{project.ids[0]}")).content.decode()
    assert "comments/%d/delete" % comment.pk not in page
    client.force_login(people["carol"])
    assert (
        "comments/%d/delete" % comment.pk
        in client.get(project.url(f"changeset/{project.ids[0]}")).content.decode()
    )
    assert client.post(project.url(f"comments/{comment.pk}/delete")).status_code == 302
    assert Comment.objects.count() == 0
    post(client, project, project.ids[0], text="again", token="t2")
    client.force_login(people["admin"])
    assert client.post(project.url(f"comments/{Comment.objects.get().pk}/delete")).status_code == 302
    assert Comment.objects.count() == 0


def test_script_and_links_are_inert_in_page_and_mail(client, project, people):
    client.force_login(people["carol"])
    text = '<script>alert("x")</script> [click](javascript:alert(1)) <b onclick="y">raw</b>'
    post(client, project, project.ids[0], text=text)
    page = client.get(project.url(f"changeset/{project.ids[0]}")).content.decode()
    body = page.split('id="comments"', 1)[1]
    assert '<script>alert("x")' not in body and "javascript:" not in body
    assert "<b onclick" not in body
    html = parsed(outbox()[0][3]).get_body(("html",)).get_content()
    assert "<script" not in html and "javascript:" not in html and "<b onclick" not in html
    # The mail shows the comment as the page does: the typed HTML as text.
    shown = '&lt;script&gt;alert("x")&lt;/script&gt; <a rel="nofollow noopener noreferrer">click</a>'
    assert shown in body and shown in html


def test_mentioned_user_without_read_access_gets_no_mail(client, project, people):
    # A private repository: a grant of "none" would take nothing away from
    # a public one's default (the strongest permission wins).
    project.row.private = True
    project.row.save()
    do_set_permission(project.row, people["alice"], "read")
    do_set_permission(project.row, people["carol"], "read")
    do_set_permission(project.row, people["dave"], "none")
    client.force_login(people["carol"])
    post(client, project, project.ids[0], text="cc @dave")
    assert recipients(outbox()) == ["alice@example.com"]


def test_changelog_helper_gives_latest_votes(client, project, people):
    from django.template import Context, Template

    client.force_login(people["carol"])
    post(client, project, project.ids[1], status="under_review")
    post(client, project, project.ids[1], status="approved", token="t2")
    out = Template(
        "{% load review %}{% changeset_statuses repo rows as st %}"
        "{% for v in st|votes_for:rev %}{{ v.username }}={{ v.label }};{% endfor %}"
        "{{ st|votes_for:rev|overall|status_label }}"
    ).render(
        Context(
            {
                "repo": project.row,
                "rev": project.ids[1],
                "rows": [{"cs": type("C", (), {"id": i})} for i in project.ids],
            }
        )
    )
    assert out == "carol=Approved;Approved"


def test_changelog_shows_the_latest_status(client, project, people):
    client.force_login(people["carol"])
    post(client, project, project.ids[1], status="rejected")
    client.force_login(people["dave"])
    post(client, project, project.ids[1], status="approved", token="t2")
    page = client.get(project.url("changelog")).content.decode()
    assert (
        'class="badge status-rejected review-status" href="/project/changeset/%s#comments" '
        'title="carol: Not approved, dave: Approved">Not approved</a>' % project.ids[1]
    ) in page
    assert page.count("review-status") == 1


def test_one_comment_mails_at_most_twenty_of_the_people_it_mentions(client, project, people):
    """Hardening issue, item 5: mail one person can cause to others.  The
    first 20 users named get mail; the rest are linked but not mailed."""
    from lindos.accounts.models import User

    for n in range(30):
        User.objects.create_user(f"user{n:02}", f"user{n:02}@example.com", "pw")
    client.force_login(people["carol"])
    words = " ".join(f"@nobody{n}" for n in range(1500))  # many @words, few users
    text = " ".join(f"@user{n:02}" for n in range(30)) + " " + words
    response = post(client, project, project.ids[1], text=text)
    assert response.status_code == 302
    mailed = recipients(outbox())
    assert mailed == sorted(["olga@example.com"] + [f"user{n:02}@example.com" for n in range(20)])
    page = client.get(project.url(f"changeset/{project.ids[1]}")).content.decode()
    assert page.count('class="mention"') == 30


def test_a_comment_writes_kallithea_s_admin_log_line(client, project, people):
    from lindos.activity.models import ActionLog

    client.force_login(people["carol"])
    rev = project.ids[0]
    post(client, project, rev, text="")  # refused: empty
    assert not ActionLog.objects.exists()
    post(client, project, rev, text="Nice")
    [line] = ActionLog.objects.all()
    assert (line.username, line.action, line.repository_name, line.detail, line.address) == (
        "carol",
        "user_commented_revision",
        "project",
        rev,
        "127.0.0.1",
    )
