"""Login, logout, registration, password reset and "my account"."""

from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.views.decorators.http import require_POST

from lindos.accounts.forms import ProfileForm, RegistrationForm
from lindos.accounts.models import User
from lindos.accounts.registration import do_create_user
from lindos.accounts.urls_external import absolute_url
from lindos.appsettings.current import current_app_settings
from lindos.notifications import notify
from lindos.notifications.events import PasswordChanged, PasswordResetRequested


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


def logout_view(request):
    from django.contrib.auth import logout

    if request.method == "POST":
        logout(request)
        messages.info(request, "You have been logged out.")
        return redirect("home")
    return render(request, "accounts/logout.html")


def register(request):
    mode = current_app_settings().registration
    if mode == "disabled":
        raise Http404("Registration is disabled")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = do_create_user(
            username=data["username"], email=data["email"], password=data["password"],
            first_name=data["firstname"], last_name=data["lastname"],
            is_active=(mode == "automatic"), self_registered=True)
        if user.is_active:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Welcome! Your account has been created.")
            return redirect("home")
        messages.info(request, "Your account has been created. An administrator "
                               "must activate it before you can log in.")
        return redirect("login")
    return render(request, "accounts/register.html", {"form": form, "mode": mode})


def password_reset(request):
    """Ask for a reset link.  The answer is the same whether or not the
    address belongs to anyone, so the form cannot be used to probe."""
    sent = False
    if request.method == "POST":
        email = request.POST.get("email", "").strip()
        user = User.objects.filter(email__iexact=email, is_active=True).first() if email else None
        if user is not None:
            token = default_token_generator.make_token(user)
            uid = urlsafe_base64_encode(force_bytes(user.pk))
            url = absolute_url(request, "password_reset_confirmation", uid, token)
            with transaction.atomic():
                notify(PasswordResetRequested(actor_id=None, user_id=user.pk, reset_url=url))
        sent = bool(email)
    from django.conf import settings

    from lindos.appsettings.current import current_app_settings
    from lindos.notifications.mail_health import sends_no_mail

    no_mail = sends_no_mail(settings.LINDOS,
                            getattr(request, "app_settings", None) or current_app_settings())
    return render(request, "accounts/password_reset.html", {"sent": sent, "no_mail": no_mail})


def password_reset_confirmation(request, uidb64, token):
    """Set a new password from an emailed link.  Django's tokens are bound to
    the password hash and last login, so a link works once, and expire after
    PASSWORD_RESET_TIMEOUT."""
    try:
        user = User.objects.get(pk=int(urlsafe_base64_decode(uidb64).decode()))
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        user = None
    if user is None or not default_token_generator.check_token(user, token):
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
    password_form = PasswordChangeForm(user, prefix="password")
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "profile":
            profile_form = ProfileForm(request.POST, instance=user, prefix="profile")
            if profile_form.is_valid():
                profile_form.save()
                messages.success(request, "Your account has been updated.")
                return redirect("my_account")
        elif action == "password":
            password_form = PasswordChangeForm(user, request.POST, prefix="password")
            if password_form.is_valid():
                password_form.save()
                update_session_auth_hash(request, password_form.user)
                messages.success(request, "Your password has been changed.")
                return redirect("my_account")
    # Django focuses "old password"; on this page the profile comes first.
    password_form.fields["old_password"].widget.attrs.pop("autofocus", None)
    return render(request, "accounts/my_account.html",
                  {"profile_form": profile_form, "password_form": password_form})


@login_required
@require_POST
def reset_api_key(request):
    request.user.reset_api_key()
    messages.success(request, "A new API key has been made; the old one no longer works.")
    return redirect("my_account")
