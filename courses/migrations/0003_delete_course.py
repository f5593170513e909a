# The course's page lives in webinars.Course and its sessions under its offering now
# (registrations 0005 copied them); the courses app keeps the workflows and pages.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0002_alter_course_language"),
        ("library", "0005_resource_course_webinars"),
        ("registrations", "0006_offering_only"),
    ]

    operations = [
        migrations.DeleteModel(name="CourseSession"),
        migrations.DeleteModel(name="Course"),
    ]
