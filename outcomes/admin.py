from django.contrib import admin

from accounts.admin import ReadOnlyAdmin
from outcomes.models import Certificate, Feedback

# Read-only, as every row the services write (see webinars/admin.py).


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAdmin):
    list_display = ["offering", "session", "rating", "anonymous", "created_at"]
    list_filter = ["rating", "anonymous"]
    # Who answered is never shown here: an anonymous answer stays anonymous to everyone
    # (docs/feedback-and-certificates.md); the registration link serves only the one-answer
    # rule and erasure.
    exclude = ["registration"]


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["course_title", "name", "office_name", "issued_at", "voided_at"]
    list_filter = ["voided_at"]
    search_fields = ["name", "course_title"]
    # The code is the verification address's secret part.
    exclude = ["code", "registration"]
