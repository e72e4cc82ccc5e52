"""Admin > Users: list, search, create, edit, deactivate, toggle admin."""

from django.contrib import messages
from django.contrib.auth.decorators import user_passes_test
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from lindos.accounts.forms import AdminUserForm
from lindos.accounts.models import User
from lindos.accounts.registration import do_create_user
from lindos.activity.log import client_address, record_action


def admin_required(view):
    """Admins only; anyone else is sent to log in (then gets a 404)."""

    def check(user):
        if user.is_authenticated and not user.is_superuser:
            from django.http import Http404

            raise Http404
        return user.is_authenticated

    return user_passes_test(check)(view)


@admin_required
def user_list(request):
    # PostgreSQL refuses NUL in text: drop it rather than answer 500.
    query = request.GET.get("q", "").replace("\x00", "").strip()
    users = User.objects.all()
    if query:
        users = users.filter(
            Q(username__icontains=query)
            | Q(email__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
        )
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/admin_user_list.html", {"page": page, "query": query})


@admin_required
def user_create(request):
    form = AdminUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = do_create_user(
            username=data["username"],
            email=data["email"],
            password=data["password"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            is_admin=data["is_superuser"],
            is_active=data["is_active"],
            actor=request.user,
        )
        record_action(
            request.user, "admin_created_user", detail=user.username, address=client_address(request)
        )
        messages.success(request, f"Created user {user.username}.")
        return redirect("admin_users")
    return render(request, "accounts/admin_user_form.html", {"form": form, "creating": True})


@admin_required
def user_edit(request, user_id):
    target = get_object_or_404(User, pk=user_id)
    form = AdminUserForm(request.POST or None, instance=target)
    if request.method == "POST" and form.is_valid():
        if target == request.user and not (
            form.cleaned_data["is_superuser"] and form.cleaned_data["is_active"]
        ):
            messages.error(request, "You cannot remove your own admin flag or deactivate yourself.")
        else:
            user = form.save(commit=False)
            user.is_staff = user.is_superuser
            user.save()
            record_action(
                request.user, "admin_updated_user", detail=user.username, address=client_address(request)
            )
            messages.success(request, f"Updated user {user.username}.")
            return redirect("admin_users")
    return render(request, "accounts/admin_user_form.html", {"form": form, "target": target})


@admin_required
@require_POST
def user_toggle(request, user_id, flag):
    """Flip the admin or active flag from the list page."""
    if flag not in ("admin", "active"):
        from django.http import Http404

        raise Http404
    target = get_object_or_404(User, pk=user_id)
    if target == request.user:
        messages.error(request, "You cannot change your own admin or active flag here.")
        return redirect("admin_users")
    if flag == "admin":
        target.is_superuser = target.is_staff = not target.is_superuser
        state = "now an admin" if target.is_superuser else "no longer an admin"
    else:
        target.is_active = not target.is_active
        state = "active" if target.is_active else "deactivated"
    target.save(update_fields=["is_superuser", "is_staff", "is_active"])
    messages.success(request, f"{target.username} is {state}.")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = "admin_users"  # never bounce to another site
    return redirect(back or "admin_users")
