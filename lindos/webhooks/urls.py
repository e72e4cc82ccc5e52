from django.urls import re_path

from lindos.repos.storage import REPO_NAME_REGEX as REPO
from lindos.webhooks import views

urlpatterns = [
    re_path(rf"^{REPO}/settings/webhooks$", views.webhooks_page, name="repo_webhooks"),
    re_path(
        rf"^{REPO}/settings/webhooks/(?P<hook_id>[0-9]{{1,18}})/delete$",
        views.webhook_delete,
        name="repo_webhook_delete",
    ),
    re_path(
        rf"^{REPO}/settings/webhooks/(?P<hook_id>[0-9]{{1,18}})/toggle$",
        views.webhook_toggle,
        name="repo_webhook_toggle",
    ),
    re_path(
        rf"^{REPO}/settings/webhooks/deliveries/(?P<delivery_id>[0-9]{{1,18}})/redeliver$",
        views.delivery_redeliver,
        name="repo_webhook_redeliver",
    ),
]
