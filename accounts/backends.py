"""The authentication backends, with the signed-in user read by a fixed statement.

Every signed-in request loads its user (`get_user`); Django's backend compiles
`User.objects.get(pk=…)` for it each time, which cost more CPU than the rest of the session
handling together (docs/performance.md, "Registration rush"). Everything else (passwords,
permissions, allauth's email login) is the parent classes' own.
"""

from __future__ import annotations

from allauth.account import auth_backends as allauth_backends
from django.contrib.auth import backends as django_backends
from django.core.exceptions import ValidationError

from accounts.models import User
from config.rows import columns, rows_fetch


def user_by_id(user_id) -> User | None:
    try:
        pk = User._meta.pk.to_python(user_id)
    except ValidationError:
        return None
    table, key = User._meta.db_table, User._meta.pk.column
    found = rows_fetch(User, f"SELECT {columns(User)} FROM {table} WHERE {key} = %s", [pk])
    return found[0] if found else None


class FastUserMixin:
    def get_user(self, user_id):
        user = user_by_id(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(FastUserMixin, django_backends.ModelBackend):
    pass


class AuthenticationBackend(FastUserMixin, allauth_backends.AuthenticationBackend):
    pass
