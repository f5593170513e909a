from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Kurs")

    def ready(self):
        from courses.models import Course, CourseSession
        from webinars.page_cache import bump_when_changed

        # Course pages are cached with the catalogue (webinars/page_cache.py); a course's
        # status decides whether its sessions are listed.
        bump_when_changed(Course, CourseSession, m2m=[Course.topics.through, Course.audiences.through])
