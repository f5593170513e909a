from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    """A course's workflows and pages. Its models (Course, the sessions under its Offering)
    live in webinars.models, beside the sessions they are made of."""

    name = "courses"
    verbose_name = _("Kurs")
