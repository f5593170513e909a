"""Reads of the feedback for organisers: the workspace's offering page and the dashboard
(app `insight`). An anonymous answer is never shown with a name; an erased person's answer is
a rating without a comment (outcomes/services.py `registrations_forget`)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Avg, Count, Q

from outcomes.models import Feedback
from webinars.models import Offering

RATINGS = range(1, 6)


def _figures(count: int, average: float | None, distribution: dict[int, int], comments: int) -> dict:
    return {
        "count": count,
        "average": round(average, 1) if average is not None else None,
        "distribution": distribution,
        "comments": comments,
    }


def feedback_by_offering(offering_ids: Iterable[int]) -> dict[int, dict]:
    """For each offering with answers: `count`, `average` (one decimal), `distribution`
    ({1: n, …, 5: n}) and `comments` (how many answers have one). One query; offerings
    without answers are left out."""
    rows = (
        Feedback.objects.filter(offering_id__in=list(offering_ids))
        .values("offering_id")
        .annotate(
            count=Count("id"),
            average=Avg("rating"),
            comments=Count("id", filter=~Q(comment="")),
            **{f"r{r}": Count("id", filter=Q(rating=r)) for r in RATINGS},
        )
        .order_by()
    )
    return {
        row["offering_id"]: _figures(row["count"], row["average"], {r: row[f"r{r}"] for r in RATINGS}, row["comments"])
        for row in rows
    }


def feedback_for_offering(offering: Offering) -> dict:
    """The offering's feedback per session, for its page in the workspace: figures and the
    comments (newest first), each with the person's name only when they did not choose to be
    anonymous. Two queries."""
    sessions = list(offering.sessions.order_by("position", "starts_at", "id"))
    answers = list(
        Feedback.objects.filter(offering=offering)
        .select_related("registration")
        .only("session_id", "rating", "comment", "anonymous", "created_at", "registration__name")
        .order_by("-created_at", "-id")
    )
    per_session = []
    for session in sessions:
        mine = [a for a in answers if a.session_id == session.pk]
        per_session.append(_session_block(session, mine))
    total = _session_block(None, answers)
    return {"sessions": [b for b in per_session if b["count"]], "total": total}


def _session_block(session, answers: list[Feedback]) -> dict:
    count = len(answers)
    distribution = {r: sum(1 for a in answers if a.rating == r) for r in RATINGS}
    average = sum(a.rating for a in answers) / count if count else None
    comments = [
        {
            "text": a.comment,
            "rating": a.rating,
            "name": "" if a.anonymous or a.registration is None else a.registration.name,
        }
        for a in answers
        if a.comment
    ]
    figures = _figures(count, average, distribution, len(comments))
    figures["session"] = session
    figures["comment_list"] = comments
    figures["bars"] = [
        {"rating": r, "n": distribution[r], "percent": round(100 * distribution[r] / count) if count else 0}
        for r in RATINGS
    ]
    return figures
