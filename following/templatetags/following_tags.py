from django import template

from following.services import follows_of_user

register = template.Library()


@register.simple_tag(takes_context=True)
def my_follows(context) -> list[dict]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    return follows_of_user(user)
