from django.db import models
from django.utils.translation import gettext_lazy as _


class Insight(models.Model):
    """No table: the holder of the national role's permission, `insight.view_national`, which
    an admin gives to a user or a group (docs/insight.md)."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_national", _("Kan se tallene for alle kontorene (nasjonal innsikt)"))]
        verbose_name = _("innsikt")
