from django import template
from django.utils.safestring import mark_safe

from sharing import previews
from webinars.page_cache import catalogue_fragment

register = template.Library()


@register.simple_tag(takes_context=True)
def share_head(context) -> str:
    """The sharing tags of the page being rendered (sharing/previews.py), by the page's URL
    name; nothing on any other page, a draft or a locked page."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if match is None:
        return ""
    name, kwargs = match.url_name, match.kwargs
    if name == "session_detail":
        return catalogue_fragment(request, "share_head_session", lambda: previews.session_head(kwargs["slug"]))["head"]
    if name == "course_detail":
        return catalogue_fragment(request, "share_head_course", lambda: previews.course_head(kwargs["slug"]))["head"]
    if name == "resource_detail" and context.get("resource") is not None:
        return mark_safe(previews.resource_head(context["resource"]))
    if name == "organisation_detail" and context.get("organisation") is not None:
        return mark_safe(previews.office_head(context["organisation"]))
    return ""
