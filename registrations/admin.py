from django.contrib import admin

from registrations.models import JoinLink, Message, Notification, Question, Registration


class JoinLinkInline(admin.TabularInline):
    model = JoinLink
    extra = 0
    fields = ["session", "first_joined_at", "last_joined_at", "join_count", "revoked_at"]
    readonly_fields = ["session", "first_joined_at", "last_joined_at", "join_count"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    # Status changes go through the services (seats, waitlist, emails), never the admin form.
    list_display = ["name", "email", "offering", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["name", "email"]
    raw_id_fields = ["offering", "user"]
    readonly_fields = ["status", "revision", "optin_expires_at", "confirmed_at", "waitlisted_at", "cancelled_at"]
    exclude = ["optin_token", "manage_token"]
    inlines = [JoinLinkInline]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["label", "kind", "required", "offering"]
    raw_id_fields = ["offering"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["kind", "to_email", "state", "due_at", "attempts", "sent_at"]
    list_filter = ["state", "kind"]
    search_fields = ["to_email"]
    raw_id_fields = ["registration", "session", "message"]
    readonly_fields = ["claimed_until", "claimed_by", "attempts", "last_error", "sent_at"]


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["subject", "audience", "offering", "created_at", "sent_at"]
    raw_id_fields = ["offering", "author"]
