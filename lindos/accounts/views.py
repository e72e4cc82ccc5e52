"""Login, logout, registration, password reset and "my account"."""

from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.views.decorators.http import require_POST

from lindos.accounts.addresses import (
    ConfirmationRefused,
    TooMany,
    count_reset_request,
    do_confirm_email_change,
    do_confirm_registration,
    do_request_email_change,
    do_request_registration,
    email_change,
    pending_registration,
)
from lindos.accounts.forms import (
    ProfileForm,
    RegistrationForm,
    ThrottledAuthenticationForm,
    ThrottledPasswordChangeForm,
)
from lindos.accounts.models import User
from lindos.accounts.urls_external import absolute_url
from lindos.appsettings.current import current_app_settings
from lindos.externalauth.identities import source_of
from lindos.notifications import notify
from lindos.notifications.events import PasswordChanged, PasswordManagedElsewhere, PasswordResetRequested


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    form_class = ThrottledAuthenticationForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.refusal is not None:
            response.status_code = 429
            response["Retry-After"] = str(form.refusal.retry_after)
        return response


def logout_view(request):
    from django.contrib.auth import logout

    if request.method == "POST":
        logout(request)
        messages.info(request, "You have been logged out.")
        return redirect("home")
    return render(request, "accounts/logout.html")


def register(request):
    """The answer is the same whether or not the address is in use: a link
    to finish registering goes to a free address, a warning to a used one's
    owner (``addresses``)."""
    mode = current_app_settings().registration
    if mode == "disabled":
        raise Http404("Registration is disabled")
    form = RegistrationForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            do_request_registration(
                username=data["username"],
                email=data["email"],
                password=data["password"],
                first_name=data["firstname"],
                last_name=data["lastname"],
                client_address=request.META.get("REMOTE_ADDR"),
                confirm_url_for=lambda token: absolute_url(request, "register_confirm", token),
            )
        except TooMany as exc:
            form.add_error(None, str(exc))
            status = 429
        else:
            return render(request, "accounts/register_sent.html", {"mode": mode})
    return render(request, "accounts/register.html", {"form": form, "mode": mode}, status=status)


def register_confirm(request, token):
    """The link from the registration mail: GET asks, POST makes the account
    (a mail scanner fetching the link makes nothing)."""
    mode = current_app_settings().registration
    if mode == "disabled":
        raise Http404("Registration is disabled")
    pending = pending_registration(token)
    if pending is None:
        return render(request, "accounts/confirm.html", {"invalid": True}, status=400)
    if request.method != "POST":
        return render(request, "accounts/confirm.html", {"pending": pending})
    try:
        user = do_confirm_registration(pending, active=(mode == "automatic"))
    except ConfirmationRefused as exc:
        return render(request, "accounts/confirm.html", {"refused": str(exc)}, status=409)
    if user.is_active:
        login(request, user, backend="lindos.externalauth.backends.InternalBackend")
        messages.success(request, "Welcome! Your account has been created.")
        return redirect("home")
    messages.info(
        request, "Your account has been created. An administrator must activate it before you can log in."
    )
    return redirect("login")


def password_reset(request):
    """Ask for a reset link.  The answer is the same whether or not the
    address belongs to anyone, so the form cannot be used to probe; requests
    are limited per client and per address (counted either way).

    An account whose password an outside source keeps (LDAP, a container
    login: ``lindos.externalauth``) gets no link, whose password login would
    refuse anyway, but a mail saying where its password is changed; the
    page is the same."""
    sent, refused = False, None
    if request.method == "POST":
        email = request.POST.get("email", "").strip()[:254].replace("\x00", "")
        if email:
            try:
                count_reset_request(email, request.META.get("REMOTE_ADDR"))
            except TooMany as exc:
                refused = exc
        user = (
            User.objects.filter(email__iexact=email, is_active=True).first()
            if email and refused is None
            else None
        )
        source = source_of(user) if user is not None else "internal"
        if source != "internal":
            with transaction.atomic():
                notify(PasswordManagedElsewhere(actor_id=None, user_id=user.pk, source=source))
        elif user is not None:
            token = default_token_generator.make_token(user)
            uid = urlsafe_base64_encode(force_bytes(user.pk))
            url = absolute_url(request, "password_reset_confirmation", uid, token)
            with transaction.atomic():
                notify(PasswordResetRequested(actor_id=None, user_id=user.pk, reset_url=url))
        sent = bool(email) and refused is None
    from django.conf import settings

    from lindos.appsettings.current import current_app_settings
    from lindos.notifications.mail_health import sends_no_mail

    no_mail = sends_no_mail(settings.LINDOS, getattr(request, "app_settings", None) or current_app_settings())
    response = render(
        request,
        "accounts/password_reset.html",
        {"sent": sent, "refused": str(refused) if refused else "", "no_mail": no_mail},
    )
    if refused is not None:
        response.status_code = 429
        response["Retry-After"] = str(refused.retry_after)
    return response


def password_reset_confirmation(request, uidb64, token):
    """Set a new password from an emailed link.  Django's tokens are bound to
    the password hash and last login, so a link works once, and expire after
    PASSWORD_RESET_TIMEOUT."""
    try:
        user = User.objects.get(pk=int(urlsafe_base64_decode(uidb64).decode()))
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        user = None
    if (
        user is None
        or not default_token_generator.check_token(user, token)
        # A link mailed before the account became an outside source's.
        or source_of(user) != "internal"
    ):
        return render(request, "accounts/password_reset_invalid.html", status=400)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            notify(PasswordChanged(actor_id=None, user_id=user.pk))
        messages.success(request, "Your password has been changed. You can log in now.")
        return redirect("login")
    return render(request, "accounts/password_reset_confirm.html", {"form": form})


@login_required
def my_account(request):
    user = request.user
    profile_form = ProfileForm(instance=user, prefix="profile")
    address = request.META.get("REMOTE_ADDR")
    password_form = ThrottledPasswordChangeForm(user, prefix="password", address=address)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "profile":
            old_email = user.email
            profile_form = ProfileForm(request.POST, instance=user, prefix="profile")
            if profile_form.is_valid():
                new_email = user.email  # as is_valid() put it on the instance, normalised
                user.email = old_email
                if new_email.lower() == old_email.lower():
                    user.email = new_email  # the same address, other capitals
                    user.save(update_fields=["first_name", "last_name", "email"])
                    messages.success(request, "Your account has been updated.")
                    return redirect("my_account")
                try:
                    do_request_email_change(
                        user,
                        new_email,
                        confirm_url_for=lambda token: absolute_url(request, "confirm_email", token),
                    )
                except TooMany as exc:
                    profile_form.add_error("email", str(exc))
                    status = 429
                else:
                    user.save(update_fields=["first_name", "last_name"])
                    messages.success(
                        request,
                        f"Your account has been updated. We sent a link to {new_email}: "
                        "your address changes when you follow it.",
                    )
                    return redirect("my_account")
        elif action == "password":
            password_form = ThrottledPasswordChangeForm(
                user, request.POST, prefix="password", address=address
            )
            if password_form.is_valid():
                password_form.save()
                update_session_auth_hash(request, password_form.user)
                messages.success(request, "Your password has been changed.")
                return redirect("my_account")
    # Django focuses "old password"; on this page the profile comes first.
    password_form.fields["old_password"].widget.attrs.pop("autofocus", None)
    response = render(
        request,
        "accounts/my_account.html",
        {"profile_form": profile_form, "password_form": password_form},
        status=status,
    )
    if password_form.refusal is not None:
        response.status_code = 429
        response["Retry-After"] = str(password_form.refusal.retry_after)
    return response


@login_required
@require_POST
def reset_api_key(request):
    request.user.reset_api_key()
    messages.success(request, "A new API key has been made; the old one no longer works.")
    return redirect("my_account")


def confirm_email(request, token):
    """The link from an address-change mail: GET asks, POST changes it."""
    change = email_change(token)
    if change is None:
        return render(request, "accounts/confirm.html", {"invalid": True}, status=400)
    user, new_email = change
    if request.method != "POST":
        return render(request, "accounts/confirm.html", {"change_user": user, "new_email": new_email})
    try:
        do_confirm_email_change(user, new_email)
    except ConfirmationRefused as exc:
        return render(request, "accounts/confirm.html", {"refused": str(exc)}, status=409)
    messages.success(request, f"The address of {user.username} is now {new_email}.")
    return redirect("my_account" if request.user == user else "home")
