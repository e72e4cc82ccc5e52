"""``/REPO/settings/webhooks``: a repository admin's webhooks, their recent
deliveries (status code, time, every try) and a redeliver button.  Secrets
are write-only: the page shows their last four characters at most."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from lindos.repos.permissions import get_repository_or_404
from lindos.webhooks.enqueue import redeliver
from lindos.webhooks.forms import WebhookForm
from lindos.webhooks.models import Webhook, WebhookDelivery

SHOWN_DELIVERIES = 50


def _here(repo) -> str:
    return f"/{repo.name}/settings/webhooks"


@login_required
def webhooks_page(request, repo_name):
    repo = get_repository_or_404(request, repo_name, need="admin")
    form = WebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        Webhook.objects.create(
            repository=repo,
            url=data["url"],
            secret=data["secret"],
            events=list(data["events"]),
            created_by=request.user,
        )
        messages.success(request, "Webhook added.")
        return redirect(_here(repo))
    hooks = Webhook.objects.filter(repository=repo)
    deliveries = (
        WebhookDelivery.objects.filter(webhook__repository=repo)
        .select_related("webhook")
        .prefetch_related("tries")[:SHOWN_DELIVERIES]
    )
    return render(
        request,
        "webhooks/settings.html",
        {"repo": repo, "active_tab": "settings", "form": form, "hooks": hooks, "deliveries": deliveries},
        status=400 if request.method == "POST" else 200,
    )


def _hook(repo, hook_id) -> Webhook:
    hook = Webhook.objects.filter(repository=repo, pk=hook_id).first()
    if hook is None:
        raise Http404("No such webhook")
    return hook


@login_required
@require_POST
def webhook_delete(request, repo_name, hook_id):
    repo = get_repository_or_404(request, repo_name, need="admin")
    _hook(repo, hook_id).delete()
    messages.success(request, "Webhook deleted.")
    return redirect(_here(repo))


@login_required
@require_POST
def webhook_toggle(request, repo_name, hook_id):
    repo = get_repository_or_404(request, repo_name, need="admin")
    hook = _hook(repo, hook_id)
    hook.active = not hook.active
    hook.save(update_fields=["active"])
    return redirect(_here(repo))


@login_required
@require_POST
def delivery_redeliver(request, repo_name, delivery_id):
    repo = get_repository_or_404(request, repo_name, need="admin")
    delivery = WebhookDelivery.objects.filter(webhook__repository=repo, pk=delivery_id).first()
    if delivery is None:
        raise Http404("No such delivery")
    row = redeliver(delivery)
    messages.success(request, f"Delivery #{row.pk} queued.")
    return redirect(_here(repo))
