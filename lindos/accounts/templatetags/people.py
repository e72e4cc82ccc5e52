"""``{{ user|profile_link }}``: a person's name, linked to their profile
page when there is one to see (active users; a deactivated one's profile is
a 404, so their name stays plain text)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()


@register.filter
def profile_link(person):
    if person is None:
        return ""
    name = person.full_name_or_username
    if not person.is_active:
        return name
    return format_html(
        '<a class="person" href="{}">{}</a>', reverse("user_profile", args=[person.username]), name
    )
