"""Pages of following: choose offices and topics (signed in, or as a guest with double opt-in),
confirm a guest's address, manage from a digest's link, and one-click unsubscribe."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from following import services
from following.forms import FollowForm, GuestFollowForm
from following.models import Follower
from registrations.ratelimit import client_ip, guest_registration_limited
from webinars.models import Topic


def _language(request) -> str:
    return "en" if (get_language() or "nb").startswith("en") else "nb"


def _chosen_from_query(request) -> dict:
    """?kontor=<slug>&tema=<slug> (from an office page's or a topic's follow button)."""
    return {
        "organisations": list(
            services.followable_offices().filter(slug__in=request.GET.getlist("kontor")).values_list("pk", flat=True)
        ),
        "topics": list(Topic.objects.filter(slug__in=request.GET.getlist("tema")).values_list("pk", flat=True)),
    }


def _current(follower: Follower | None) -> dict:
    if follower is None:
        return {"organisations": [], "topics": []}
    follows = list(follower.follows.all())
    return {
        "organisations": [f.organisation_id for f in follows if f.organisation_id],
        "topics": [f.topic_id for f in follows if f.topic_id],
        "language": follower.language,
    }


@never_cache
def follow_page(request):
    """/folg/: a guest chooses and gives their address; a signed-in person is sent to Min konto's
    list (with what the button asked for ticked)."""
    if request.user.is_authenticated:
        query = request.GET.urlencode()
        return redirect(reverse("my_follows") + (f"?{query}" if query else ""))
    chosen = _chosen_from_query(request)
    form = GuestFollowForm(request.POST or None, initial={**chosen, "language": _language(request)})
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if guest_registration_limited(ip=client_ip(request), email=email):
            return render(request, "following/follow.html", {"form": form, "limited": True}, status=429)
        services.follower_subscribe_guest(
            email=email,
            organisation_ids=[o.pk for o in form.cleaned_data["organisations"]],
            topic_ids=[t.pk for t in form.cleaned_data["topics"]],
            language=form.cleaned_data["language"],
        )
        return render(request, "following/optin_sent.html", {"email": email})
    return render(request, "following/follow.html", {"form": form})


@never_cache
@login_required
def my_follows(request):
    """Min konto's list: what the signed-in person follows, changed in one form."""
    follower = Follower.objects.filter(user=request.user).first()
    current = _current(follower)
    chosen = _chosen_from_query(request)
    initial = {
        "organisations": sorted(set(current["organisations"]) | set(chosen["organisations"])),
        "topics": sorted(set(current["topics"]) | set(chosen["topics"])),
        "language": current.get("language") or request.user.preferred_language,
    }
    form = FollowForm(request.POST or None, initial=initial, require_choice=False)
    if request.method == "POST" and form.is_valid():
        follower = follower or services.follower_for_user(user=request.user, language=form.cleaned_data["language"])
        services.follows_set(
            follower=follower,
            organisation_ids=[o.pk for o in form.cleaned_data["organisations"]],
            topic_ids=[t.pk for t in form.cleaned_data["topics"]],
        )
        services.follower_language_set(follower=follower, language=form.cleaned_data["language"])
        messages.success(request, _("Endringene er lagret."))
        return redirect("my_follows")
    return render(
        request,
        "following/my_follows.html",
        {"form": form, "pending": bool(chosen["organisations"] or chosen["topics"])},
    )


@require_POST
def follow_toggle(request, kind: str, slug: str):
    """The follow button on an office's page (and a topic's): signed in, it follows or stops
    following at once; a guest goes to the follow page with it ticked."""
    if kind == "kontor":
        target = {"organisation": get_object_or_404(services.followable_offices(), slug=slug)}
    else:
        target = {"topic": get_object_or_404(Topic, slug=slug)}
    if not request.user.is_authenticated:
        return redirect(f"{reverse('following')}?{kind}={slug}")
    followed = services.follow_toggle(user=request.user, **target)
    name = target["organisation"].name if kind == "kontor" else target["topic"].local_name
    if followed:
        messages.success(
            request, _("Du følger nå %(name)s. Du får en ukesoppsummering når det er noe nytt.") % {"name": name}
        )
    else:
        messages.success(request, _("Du følger ikke lenger %(name)s.") % {"name": name})
    back = request.POST.get("next", "")
    # Only a path on this site: anything else (another host, a bare word) goes to the default.
    if not back.startswith("/") or not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = target["organisation"].get_absolute_url() if kind == "kontor" else reverse("my_follows")
    return HttpResponseRedirect(back)


@never_cache
def follow_confirm(request, token):
    follower = Follower.objects.filter(optin_token=token).first() if token else None
    if follower is None:
        return render(request, "following/confirm.html", {"invalid": True}, status=404)
    if request.method == "POST":
        try:
            follower = services.follower_confirm(token=token)
        except services.FollowOptinInvalid:
            return render(request, "following/confirm.html", {"expired": True}, status=410)
        return redirect("following_manage", token=follower.token)
    # GET only shows the button: mail scanners fetch links without meaning to confirm.
    return render(request, "following/confirm.html", {"follower": follower})


@never_cache
def follow_manage(request, token):
    """A guest's own list, reached through the link in every digest."""
    follower = Follower.objects.filter(token=token, confirmed_at__isnull=False).first() if token else None
    if follower is None:
        raise Http404
    form = FollowForm(request.POST or None, initial=_current(follower), require_choice=False)
    if request.method == "POST" and form.is_valid():
        services.follows_set(
            follower=follower,
            organisation_ids=[o.pk for o in form.cleaned_data["organisations"]],
            topic_ids=[t.pk for t in form.cleaned_data["topics"]],
        )
        services.follower_language_set(follower=follower, language=form.cleaned_data["language"])
        messages.success(request, _("Endringene er lagret."))
        return redirect("following_manage", token=follower.token)
    return render(request, "following/manage.html", {"form": form, "follower": follower})


@never_cache
@csrf_exempt  # RFC 8058 one-click: mail clients POST without our CSRF token; the secret token is the guard
def follow_unsubscribe(request, token):
    if request.method == "POST":
        services.follower_unsubscribe(token=token)
        return render(request, "following/unsubscribe.html", {"done": True})
    if not token or not Follower.objects.filter(token=token).exists():
        # Already unsubscribed (or never a follower): say so, as after the POST.
        return render(request, "following/unsubscribe.html", {"done": True})
    # GET asks first: a link fetched by a mail scanner unsubscribes nobody.
    return render(request, "following/unsubscribe.html", {"done": False})
