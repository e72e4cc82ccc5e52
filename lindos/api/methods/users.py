"""Users: get_user, get_users, create_user, update_user, delete_user.

Creation goes through ``do_create_user`` (the admin page's action) and
the names and addresses are checked by the same rules as the forms.
"""

from __future__ import annotations

import logging

from django import forms
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import ProtectedError

from lindos.accounts.forms import clean_available_username, clean_unique_email, username_validator
from lindos.accounts.models import User
from lindos.accounts.registration import do_create_user
from lindos.api import action_log
from lindos.api.errors import JSONRPCError
from lindos.api.jsonrpc import Bool, Id, Str, api_method
from lindos.api.methods.common import get_user_or_error
from lindos.api.serialize import user_data, user_permissions

log = logging.getLogger("lindos.api")


@api_method()
def get_user(call, userid: Id = None):
    if not call.user.is_superuser:
        # A regular user may only ask about themselves (Kallithea compares ids).
        if userid is not None and userid != call.user.pk:
            raise JSONRPCError("userid is not the same as your user")
    if userid is None:
        userid = call.user.pk
    user = get_user_or_error(userid)
    data = user_data(user, details=True)
    data["permissions"] = user_permissions(user)
    return data


@api_method(admin=True)
def get_users(call):
    return [
        user_data(u, details=True)
        for u in User.objects.order_by("username").prefetch_related("allowed_networks")
    ]


def _valid(check, value) -> bool:
    try:
        check(value)
        return True
    except forms.ValidationError:
        return False


@api_method(admin=True)
def create_user(
    call,
    username: Str,
    email: Str,
    password: Str = "",
    firstname: Str = "",
    lastname: Str = "",
    active: Bool = True,
    admin: Bool = False,
    extern_type: Str = "internal",
    extern_name: Str = "",
):
    if User.objects.filter(username__iexact=username).exists():
        raise JSONRPCError("user `%s` already exist" % (username,))
    if User.objects.filter(email__iexact=email.strip()).exists():
        raise JSONRPCError("email `%s` already exist" % (email,))
    if not (
        _valid(username_validator, username)
        and _valid(clean_available_username, username)
        and _valid(validate_email, email.strip())
    ):
        raise JSONRPCError("failed to create user `%s`" % (username,))
    try:
        user = do_create_user(
            username=username,
            email=email,
            password=password or None,
            first_name=firstname[:150],
            last_name=lastname[:150],
            is_admin=admin,
            is_active=active,
            actor=call.user,
        )
    except Exception:
        log.exception("create_user failed")
        raise JSONRPCError("failed to create user `%s`" % (username,))
    action_log.record(call, action_log.CREATED_USER, detail=user.username)
    return {"msg": "created new user `%s`" % username, "user": user_data(user, details=True)}


@api_method(admin=True)
def update_user(
    call,
    userid: Id,
    username: Str = None,
    email: Str = None,
    password: Str = None,
    firstname: Str = None,
    lastname: Str = None,
    active: Bool = None,
    admin: Bool = None,
    extern_type: Str = None,
    extern_name: Str = None,
):
    user = get_user_or_error(userid)
    failure = JSONRPCError("failed to update user `%s`" % (userid,))
    if username is not None and username != user.username:
        if not (
            _valid(username_validator, username)
            and _valid(lambda u: clean_available_username(u, exclude_pk=user.pk), username)
        ):
            raise failure
        user.username = username
    if email is not None:
        if not (
            _valid(validate_email, email.strip())
            and _valid(lambda e: clean_unique_email(e, exclude_pk=user.pk), email.strip())
        ):
            raise failure
        user.email = email.strip()
    if user.pk == call.user.pk and (active is False or admin is False):
        # The admin pages refuse this too: nobody locks themselves out.
        raise failure
    if firstname is not None:
        user.first_name = firstname[:150]
    if lastname is not None:
        user.last_name = lastname[:150]
    if active is not None:
        user.is_active = active
    if admin is not None:
        user.is_superuser = user.is_staff = admin
    if password is not None:
        user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except Exception:
        log.exception("update_user failed")
        raise failure
    action_log.record(call, action_log.UPDATED_USER, detail=user.username)
    return {"msg": "updated user ID:%s %s" % (user.pk, user.username), "user": user_data(user, details=True)}


@api_method(admin=True)
def delete_user(call, userid: Id):
    user = get_user_or_error(userid)
    said, name = "ID:%s %s" % (user.pk, user.username), user.username
    failure = JSONRPCError("failed to delete user %s" % said)
    if user.pk == call.user.pk:
        raise failure
    if user.owned_repositories.exists():
        # Kallithea refuses too (the owner would be lost) and says only this.
        raise failure
    try:
        with transaction.atomic():
            user.delete()
    except ProtectedError:  # owns pull requests: kept, as the page keeps them
        raise failure
    except Exception:
        log.exception("delete_user failed")
        raise failure
    action_log.record(call, action_log.DELETED_USER, detail=name)
    return {"msg": "deleted user %s" % said, "user": None}
