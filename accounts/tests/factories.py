import factory
from allauth.account.models import EmailAddress

from accounts.models import Membership, Organisation, User

TEST_PASSWORD = "korrekt-hest-batteri-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.no")
    display_name = factory.Faker("name", locale="no_NO")
    preferred_language = "nb"

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or TEST_PASSWORD)
        if create:
            obj.save()
            EmailAddress.objects.get_or_create(user=obj, email=obj.email, defaults={"verified": True, "primary": True})


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Musikkontor {n}")
    short_name = factory.Sequence(lambda n: f"MK{n}")
    slug = factory.Sequence(lambda n: f"musikkontor-{n}")
    kind = Organisation.Kind.OFFICE
    contact_email = factory.LazyAttribute(lambda o: f"post@{o.slug}.example.no")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.ORGANISER
