"""The one place that decides what an organiser may see and change.

Every workspace view scopes its querysets with `scope_to_organiser` (or asks
`can_manage`) so that an organiser of one office gets 404 for everything that
belongs to another office, drafts included.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.db import connection
from django.db.models import QuerySet
from django.http import Http404
from django.views.decorators.cache import never_cache

from accounts.models import Membership, Organisation


def managed_organisations(user) -> QuerySet[Organisation]:
    """The organisations whose sessions, courses and resources `user` may manage."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user).distinct()


def is_organiser(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    # Asked on every signed-in page (the navigation): a fixed statement costs a fraction of
    # the ORM's compiled EXISTS (docs/performance.md).
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {Membership._meta.db_table} WHERE user_id = %s LIMIT 1", [user.pk])
        return cursor.fetchone() is not None


def can_manage(user, organisation: Organisation | None) -> bool:
    if organisation is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return Membership.objects.filter(user=user, organisation=organisation).exists()


def scope_to_organiser(queryset: QuerySet, user, field: str = "organisation") -> QuerySet:
    """Restrict `queryset` to rows whose `field` is an organisation `user` manages."""
    return queryset.filter(**{f"{field}__in": managed_organisations(user)})


def organiser_required(view):
    """Anonymous visitors go to the login page; signed-in non-organisers get 404. The workspace's
    pages list registrants, their answers and exports: never stored by a browser or proxy."""

    @wraps(view)
    @never_cache
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_organiser(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper
