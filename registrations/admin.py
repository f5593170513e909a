from django.contrib import admin

from accounts.admin import ReadOnlyAdmin, ReadOnlyInline
from registrations.models import ExportRecord, JoinLink, Message, Notification, PrivacyRecord, Question, Registration

# Read-only: every change goes through registrations/services.py (see webinars/admin.py).


class JoinLinkInline(ReadOnlyInline):
    model = JoinLink
    fields = ["session", "first_joined_at", "last_joined_at", "join_count", "revoked_at"]


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ["name", "email", "offering", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["name", "email"]
    exclude = ["optin_token", "manage_token"]
    inlines = [JoinLinkInline]


@admin.register(Question)
class QuestionAdmin(ReadOnlyAdmin):
    list_display = ["label", "kind", "required", "offering"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["kind", "to_email", "state", "due_at", "attempts", "sent_at"]
    list_filter = ["state", "kind"]
    search_fields = ["to_email"]
    # The payload may hold what an email's links are built from: never shown.
    exclude = ["payload"]


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ["subject", "audience", "offering", "created_at", "sent_at"]


@admin.register(PrivacyRecord)
class PrivacyRecordAdmin(ReadOnlyAdmin):
    """What erasures and the retention task did, in counts (docs/privacy.md)."""

    list_display = ["kind", "created_at", "counts"]
    list_filter = ["kind"]


@admin.register(ExportRecord)
class ExportRecordAdmin(ReadOnlyAdmin):
    list_display = ["offering", "user", "created_at", "row_count"]
