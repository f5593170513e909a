"""The office dashboard (an organiser's own office) and the national view with its export
(users with the `insight.view_national` permission). Figures: insight/figures.py."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.models import Organisation
from accounts.permissions import managed_organisations, organiser_required
from insight import exports
from insight.cache import cached_figures
from insight.charts import bar_chart, sparkline, week_range
from insight.figures import Figures, figures_for
from insight.periods import period_form
from insight.services import organisation_county_question_set

# The national view lists this many offerings (sorted as chosen); the export has them all.
NATIONAL_ROWS = 100

SORTS = {
    "tittel": lambda row: row.label.lower(),
    "start": lambda row: (row.starts_at is None, row.starts_at),
    "pameldinger": lambda row: row.registrations,
    "bekreftet": lambda row: row.confirmed,
    "oppmote": lambda row: (row.attendance_rate is None, row.attendance_rate or 0),
    "uteble": lambda row: row.no_shows,
    "venteliste": lambda row: row.conversions,
    "avmeldt": lambda row: row.cancellations,
}


def _language() -> str:
    return "en" if (get_language() or "nb").startswith("en") else "nb"


def _sort(request) -> str:
    """`?sorter=<column>`, a leading "-" for descending; unknown: by start."""
    sort = request.GET.get("sorter", "start")
    return sort if sort.lstrip("-") in SORTS else "start"


def _sorted(rows, sort: str) -> list:
    return sorted(rows, key=SORTS[sort.lstrip("-")], reverse=sort.startswith("-"))


def _sort_choices() -> list[tuple[str, str]]:
    return [
        ("start", _("Første økt, eldste først")),
        ("-start", _("Første økt, nyeste først")),
        ("tittel", _("Tittel")),
        ("-pameldinger", _("Flest påmeldinger")),
        ("pameldinger", _("Færrest påmeldinger")),
        ("-oppmote", _("Høyest oppmøte")),
        ("oppmote", _("Lavest oppmøte")),
        ("-uteble", _("Flest som uteble")),
        ("-venteliste", _("Flest fra venteliste")),
        ("-avmeldt", _("Flest avmeldinger")),
    ]


def _keep_query(request) -> list[tuple[str, str]]:
    """The query string's other parameters, kept by the sort form."""
    return [(key, value) for key, values in request.GET.lists() if key != "sorter" for value in values]


def _sort_links(request, current: str) -> dict:
    """For each column, the query string that sorts by it (toggling the direction)."""
    links = {}
    for name in SORTS:
        query = request.GET.copy()
        query["sorter"] = f"-{name}" if current == name else name
        links[name] = query.urlencode()
    return links


def _charts(figures: Figures, language: str) -> dict:
    weeks = [(week.strftime("%d.%m.%Y") if week else "", n) for week, n in figures.weeks]
    return {
        "audience_chart": bar_chart(figures.audiences),
        "county_chart": bar_chart([(label or _("Ikke oppgitt"), n) for label, n in figures.counties]),
        "week_chart": bar_chart(weeks),
        "week_rows": weeks,
    }


def _figures_html(template: str, parts: tuple, context: Callable[[], dict]) -> tuple[str, object]:
    """The figures part of a dashboard, rendered once per scope, period, language and sort
    and kept (insight/cache.py); it holds no CSRF token and nothing about the visitor."""
    html, computed_at = cached_figures(("html", *parts), lambda: render_to_string(template, context()))
    return mark_safe(html), computed_at  # noqa: S308 - rendered by our own template, escaped there


def _week_label(week) -> str:
    return _("uke %(week)s (%(date)s)") % {"week": week.isocalendar().week, "date": week.strftime("%d.%m.%Y")}


def _sparklines(figures: Figures) -> dict:
    """Per offering (by id) its sparkline over the weeks of the weekly chart, with the text
    that stands for it ("12 påmeldinger over 5 uker, flest i uke 48") and its weeks' numbers."""
    axis = week_range([week for week, _n in figures.weeks])
    sparklines = {}
    for row in figures.offerings:
        chart = sparkline(axis, row.weeks)
        if chart.total:
            text = _("%(registrations)s over %(weeks)s, flest i uke %(week)s") % {
                "registrations": ngettext("%(count)s påmelding", "%(count)s påmeldinger", chart.total)
                % {"count": chart.total},
                "weeks": ngettext("%(count)s uke", "%(count)s uker", chart.span) % {"count": chart.span},
                "week": chart.peak.isocalendar().week,
            }
        else:
            text = _("Ingen påmeldinger")
        weeks = [(_week_label(week), n) for week, n in chart.weeks]
        sparklines[row.key] = {"chart": chart, "text": text, "weeks": weeks}
    return sparklines


@organiser_required
def office_dashboard(request):
    offices = list(managed_organisations(request.user).order_by("name"))
    office = next((o for o in offices if o.slug == request.GET.get("kontor")), offices[0] if offices else None)
    form = period_form(request.GET)
    period = form.period()
    language = _language()
    sort = _sort(request)

    def context() -> dict:
        figures = figures_for(period=period, offices=[office], language=language, offering_weeks=True)
        return {
            "figures": figures,
            "sparklines": _sparklines(figures),
            "rows": _sorted(figures.offerings, sort),
            "sort": sort,
            "sort_links": _sort_links(request, sort),
            "sort_choices": _sort_choices(),
            "keep_query": _keep_query(request),
            **_charts(figures, language),
        }

    figures_html, computed_at = _figures_html(
        "insight/_office_figures.html", ("office", office.pk, period.first, period.last, language, sort), context
    )
    return render(
        request,
        "insight/office.html",
        {
            "office": office,
            "offices": offices,
            "form": form,
            "period": period,
            "figures_html": figures_html,
            "computed_at": computed_at,
        },
    )


@require_POST
@organiser_required
def office_county_setting(request):
    # Compared in Python, as on the dashboard: a typed value never reaches the database
    # (PostgreSQL refuses a NUL byte in a string).
    office = next((o for o in managed_organisations(request.user) if o.slug == request.POST.get("kontor")), None)
    if office is None:
        messages.error(request, _("Velg et kontor du arrangerer for."))
        return redirect("insight_office")
    asks = request.POST.get("sporr_om_fylke") == "ja"
    organisation_county_question_set(organisation=office, asks_county=asks)
    if asks:
        messages.success(request, _("Påmeldingsskjemaet spør nå om fylke."))
    else:
        messages.success(request, _("Påmeldingsskjemaet spør ikke lenger om fylke."))
    return redirect(f"{reverse('insight_office')}?kontor={office.slug}")


def national_required(view):
    """Signed-in users with the national role (`insight.view_national`); others get 403."""

    @never_cache
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.has_perm("insight.view_national"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    return wrapper


def _national_data(period, language: str) -> tuple[tuple, object]:
    def compute():
        offices = list(Organisation.objects.offices().order_by("name"))
        figures = figures_for(period=period, language=language, breakdown=offices)
        return figures, figures.office_rows, figures.topic_rows

    return cached_figures(("national", period.first, period.last, language), compute)


@national_required
def national_dashboard(request):
    form = period_form(request.GET)
    period = form.period()
    language = _language()
    sort = _sort(request)

    def context() -> dict:
        (figures, offices, topics), _computed_at = _national_data(period, language)
        rows = _sorted(figures.offerings, sort)
        return {
            "figures": figures,
            "office_rows": offices,
            "topic_rows": topics,
            "rows": rows[:NATIONAL_ROWS],
            "all_rows": len(rows),
            "shown_rows": NATIONAL_ROWS,
            "sort": sort,
            "sort_links": _sort_links(request, sort),
            "sort_choices": _sort_choices(),
            "keep_query": _keep_query(request),
            **_charts(figures, language),
        }

    figures_html, computed_at = _figures_html(
        "insight/_national_figures.html", ("national", period.first, period.last, language, sort), context
    )
    context = {
        "form": form,
        "period": period,
        "figures_html": figures_html,
        "computed_at": computed_at,
        "export_query": request.GET.urlencode(),
    }
    return render(request, "insight/national.html", context)


@national_required
def national_export(request, fmt: str):
    period = period_form(request.GET).period()
    (figures, offices, topics), _computed_at = _national_data(period, _language())
    name = f"innsikt-{period.first:%Y-%m-%d}-{period.last:%Y-%m-%d}"
    if fmt == "xlsx":
        body = exports.xlsx_bytes(period=period, figures=figures, offices=offices, topics=topics)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body = exports.csv_text(period=period, figures=figures, offices=offices, topics=topics).encode("utf-8-sig")
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
