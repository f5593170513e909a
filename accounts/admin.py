from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.addresses import EmailAddressField
from accounts.ids import BoundedModelMultipleChoiceField
from accounts.models import Membership, Organisation, User

# A posted id longer than a column holds is a form error, not an OverflowError (accounts/ids.py).
BOUNDED_IDS = {models.ManyToManyField: {"form_class": BoundedModelMultipleChoiceField}}
# A user's address and an office's contact address are written into emails: an address the
# mail server cannot carry is refused with a message saying what to change (accounts/addresses.py).
EMAIL_ADDRESSES = {models.EmailField: {"form_class": EmailAddressField}}


class ReadOnly:
    """Staff may look, never add, change or delete: for rows only services may write (the
    webinars', registrations' and library's admins) and for what only its owner changes."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(ReadOnly, admin.ModelAdmin):
    # The read-only view still builds the form; Django 5.2 warns on a URL field without this.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class ReadOnlyInline(ReadOnly, admin.TabularInline):
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    # A plain list of the offices, not autocomplete: re-showing a posted id no column holds,
    # the autocomplete widget queries it and SQLite raises OverflowError (found by the crawler).


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    formfield_overrides = {**BaseUserAdmin.formfield_overrides, **BOUNDED_IDS, **EMAIL_ADDRESSES}
    ordering = ["email"]
    list_display = ["email", "display_name", "preferred_language", "is_staff", "is_active"]
    search_fields = ["email", "display_name"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profil"), {"fields": ["display_name", "preferred_language"]}),
        (_("Tilganger"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Datoer"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    formfield_overrides = EMAIL_ADDRESSES
    list_display = ["name", "short_name", "kind", "region"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["short_name"]}
    inlines = [MembershipInline]


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(BaseGroupAdmin):
    formfield_overrides = {**BaseGroupAdmin.formfield_overrides, **BOUNDED_IDS}


admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(ReadOnlyAdmin):
    """Who has a second factor, never its secret; only its owner turns it on or off (allauth's
    pages ask for the password again). Someone locked out uses a recovery code."""

    list_display = ["user", "type", "created_at", "last_used_at"]
    list_filter = ["type"]
    fields = ["user", "type", "created_at", "last_used_at"]
