from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowingConfig(AppConfig):
    name = "following"
    verbose_name = _("Følg kontorer og temaer")

    def ready(self):
        from following.emails import digest_email, digest_prefetch, follow_optin_email
        from following.receivers import connect_receivers
        from following.services import follows_of_user
        from registrations.account_views import register_account_section
        from registrations.emails import register_builder
        from registrations.models import Notification
        from registrations.personal_data import register_person_data

        register_builder(Notification.Kind.FOLLOW_OPTIN, follow_optin_email)
        register_builder(Notification.Kind.DIGEST, digest_email, prefetch=digest_prefetch)
        connect_receivers()
        # Min konto lists what the person follows, and its download includes it.
        register_account_section("following/_account_section.html")
        register_person_data("follows", follows_of_user, template="following/_data_follows.html")
