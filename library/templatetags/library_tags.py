from django import template

from library.questions import QUESTIONS, WHO_ARE_YOU

register = template.Library()


@register.inclusion_tag("library/_question_cards.html")
def library_questions():
    # No database access: the home page renders this on every visit.
    return {"questions": QUESTIONS, "who_are_you": WHO_ARE_YOU}
