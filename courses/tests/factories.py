import factory

from accounts.tests.factories import OrganisationFactory
from courses.models import Course, CourseSession
from webinars.models import Status


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Kurs nummer {n}")
    slug = factory.Sequence(lambda n: f"kurs-{n}")
    summary = "Et kurs i flere deler."
    status = Status.PUBLISHED


class CourseSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CourseSession

    course = factory.SubFactory(CourseFactory)
    session = factory.SubFactory("webinars.tests.factories.SessionFactory")
    position = factory.Sequence(lambda n: n)
