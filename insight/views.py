"""The office dashboard (an organiser's own office) and the national view with its export
(users with the `insight.view_national` permission). Figures: insight/figures.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.models import Organisation
from accounts.permissions import managed_organisations, organiser_required
from insight import exports
from insight.charts import bar_chart
from insight.figures import Figures, by_office, by_topic, figures_for
from insight.periods import PeriodForm, period_form
from insight.services import organisation_county_question_set

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


def _sorted(rows, request) -> tuple[list, str]:
    """Rows sorted by `?sorter=<column>` (a leading "-" for descending); unknown: by start."""
    sort = request.GET.get("sorter", "start")
    name = sort.lstrip("-")
    if name not in SORTS:
        sort, name = "start", "start"
    return sorted(rows, key=SORTS[name], reverse=sort.startswith("-")), sort


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


@organiser_required
def office_dashboard(request):
    offices = list(managed_organisations(request.user).order_by("name"))
    office = next((o for o in offices if o.slug == request.GET.get("kontor")), offices[0] if offices else None)
    form = period_form(request.GET)
    period = form.period()
    language = _language()
    figures = figures_for(period=period, offices=[office], language=language)
    rows, sort = _sorted(figures.offerings, request)
    context = {
        "office": office,
        "offices": offices,
        "form": form,
        "period": period,
        "figures": figures,
        "rows": rows,
        "sort": sort,
        "sort_links": _sort_links(request, sort),
        **_charts(figures, language),
    }
    return render(request, "insight/office.html", context)


@require_POST
@organiser_required
def office_county_setting(request):
    office = managed_organisations(request.user).filter(slug=request.POST.get("kontor")).first()
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


def _national(request) -> tuple[PeriodForm, object, Figures, list, list]:
    form = period_form(request.GET)
    period = form.period()
    language = _language()
    offices = list(Organisation.objects.offices().order_by("name"))
    figures = figures_for(period=period, language=language)
    return form, period, figures, by_office(figures, period, offices), by_topic(period, language)


@national_required
def national_dashboard(request):
    form, period, figures, offices, topics = _national(request)
    rows, sort = _sorted(figures.offerings, request)
    context = {
        "form": form,
        "period": period,
        "figures": figures,
        "office_rows": offices,
        "topic_rows": topics,
        "rows": rows,
        "sort": sort,
        "sort_links": _sort_links(request, sort),
        "export_query": request.GET.urlencode(),
        **_charts(figures, _language()),
    }
    return render(request, "insight/national.html", context)


@national_required
def national_export(request, fmt: str):
    form, period, figures, offices, topics = _national(request)
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
