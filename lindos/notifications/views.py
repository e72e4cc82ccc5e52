"""Admin > Email: the settings in effect, a test mail, the outbox; and, with
``debug = true``, a preview of every mail type."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import escape

from lindos.accounts.admin_views import admin_required
from lindos.notifications.delivery import deliver_rows, discard_rows, retry_rows
from lindos.notifications.links import request_base_url
from lindos.notifications.models import OutboxMail, PendingNotification
from lindos.notifications.testmail import send_test_mail

LIST_LIMIT = 100


class TestMailForm(forms.Form):
    address = forms.EmailField(label="Send a test email to")


def settings_in_effect(config) -> list[tuple[str, str]]:
    """The INI file's email keys as Lindos reads them; the password hidden."""

    def yes(value):
        return "true" if value else "false"

    return [
        ("smtp_server", config.smtp_server or "(not set: mails are only logged)"),
        ("smtp_port", str(config.smtp_port)),
        ("smtp_username", config.smtp_username or "(not set)"),
        ("smtp_password", "(set, hidden)" if config.smtp_password else "(not set)"),
        ("smtp_use_ssl", yes(config.smtp_use_ssl)),
        ("smtp_use_tls", yes(config.smtp_use_tls)),
        ("smtp_auth", " ".join(config.smtp_auth) or "(server's choice)"),
        ("smtp_timeout", f"{config.smtp_timeout:g} s"),
        ("app_email_from", config.app_email_from),
        ("error_email_from", config.error_email_from),
        ("email_to", ", ".join(config.email_to) or "(not set)"),
        ("email_prefix", config.email_prefix or "(not set)"),
        ("email_retry_seconds", f"{config.email_retry_seconds} s"),
        ("error_email_interval_seconds", f"{config.error_email_interval_seconds} s"),
        ("canonical_url", config.canonical_url or "(not set)"),
        ("debug", yes(config.debug) + (" (error mails off)" if config.debug else "")),
    ]


def _selected_ids(request) -> list[int]:
    return [int(i) for i in request.POST.getlist("id") if i.isdigit()]


def _handle_post(request):
    action = request.POST.get("action")
    if action == "test":
        form = TestMailForm(request.POST)
        if not form.is_valid():
            return form
        result = send_test_mail(form.cleaned_data["address"], actor_id=request.user.pk)
        if result.ok:
            messages.success(
                request, f"Test email to {result.address} sent. The SMTP server answered: {result.reply}"
            )
        else:
            why = result.error or "no answer from delivery yet"
            messages.error(
                request,
                f"Test email to {result.address} not sent: {why}. It stays in the outbox ({result.state}).",
            )
        return None
    if action in ("mail_off", "mail_on"):
        from lindos.appsettings.current import save_app_settings

        save_app_settings(mail_off=action == "mail_off")
        messages.success(
            request,
            "This install is marked as sending no mail."
            if action == "mail_off"
            else "Mail is expected to work again: problems are shown to admins.",
        )
        return None
    ids = _selected_ids(request)
    if action == "retry_all":
        ids = list(OutboxMail.objects.filter(state=OutboxMail.FAILED).values_list("pk", flat=True))
        action = "retry"
    if action == "retry":
        queued = retry_rows(ids)
        report = deliver_rows(ids)
        messages.info(
            request,
            f"{queued} mail(s) queued again: {report.sent} sent now, "
            f"{report.retrying} waiting to retry, {report.failed} failed.",
        )
    elif action == "discard":
        messages.info(request, f"{discard_rows(ids)} mail(s) discarded.")
    return None


@admin_required
def email_settings(request):
    form = TestMailForm(initial={"address": request.user.email})
    if request.method == "POST":
        invalid = _handle_post(request)
        if invalid is None:
            return redirect("admin_email_settings")
        form = invalid
    counts = dict(OutboxMail.objects.values_list("state").annotate(n=Count("pk")))
    rows = OutboxMail.objects.defer("message").order_by("-pk")
    from lindos.appsettings.current import current_app_settings
    from lindos.notifications.mail_health import build_mail_problem, last_attempt

    app_settings = getattr(request, "app_settings", None) or current_app_settings()
    last = last_attempt()
    return render(
        request,
        "notifications/admin_email.html",
        {
            "form": form,
            "last": last,
            "mail_off": app_settings.mail_off,
            "problem": build_mail_problem(settings.LINDOS.smtp_server, False, last),
            "config_rows": settings_in_effect(settings.LINDOS),
            "counts": [(state, counts.get(state, 0)) for state, _ in OutboxMail.STATES],
            "waiting": PendingNotification.objects.exclude(state=PendingNotification.EXPANDED),
            "pending": rows.filter(state__in=[OutboxMail.PENDING, OutboxMail.SENDING])[:LIST_LIMIT],
            "failed": rows.filter(state=OutboxMail.FAILED)[:LIST_LIMIT],
            "sent": rows.filter(state=OutboxMail.SENT)[:20],
            "preview": settings.LINDOS.debug,
            "config_path": settings.LINDOS.path,
        },
    )


@admin_required
def preview_list(request):
    from lindos.notifications.samples import samples

    if not settings.LINDOS.debug:
        raise Http404("The mail preview is only available with debug = true")
    return render(request, "notifications/admin_preview.html", {"names": sorted(samples())})


MAIL_PREVIEW_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data: https:"


@admin_required
def preview(request, name):
    """One sample mail: its HTML body, ``?part=text`` or ``?part=source``."""
    from lindos.notifications.compose import compose_mails
    from lindos.notifications.recipients import why
    from lindos.notifications.render import render_bodies
    from lindos.notifications.samples import samples
    from lindos.notifications.sender import current_instance_title

    if not settings.LINDOS.debug or name not in samples():
        raise Http404
    facts, recipient = samples()[name]
    title = current_instance_title(settings.LINDOS)
    part = request.GET.get("part", "html")
    if part == "source":
        [mail] = compose_mails(facts, [recipient], settings.LINDOS, title=title)
        return HttpResponse(mail.message, content_type="text/plain; charset=utf-8")
    text, html = render_bodies(facts, request_base_url(request), title=title, why=why(recipient.reason))
    if part == "text":
        return HttpResponse(f"<pre>{escape(text)}</pre>", content_type="text/html; charset=utf-8")
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    # A mail's HTML styles itself inline, as mail clients need; it runs no script.
    response["Content-Security-Policy"] = MAIL_PREVIEW_CSP
    return response
