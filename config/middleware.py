"""Response headers Django's SecurityMiddleware does not set (Django 5.2 has no CSP support)."""

from django.conf import settings
from django.utils.cache import patch_cache_control


class ContentSecurityPolicyMiddleware:
    """Adds settings.CONTENT_SECURITY_POLICY to every response that has none of its own. The
    pages satisfy it: scripts and styles come from our static files only (no inline `<script>`,
    `style=` or `on…=` attributes), so an injected script or style would not run."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.CONTENT_SECURITY_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        return response


class NoStoreForSignedInMiddleware:
    """A page made for a signed-in person (their registrations and join links, their account,
    email addresses, recovery codes, an organiser's lists of registrants) is never stored by a
    browser or a proxy: `Cache-Control: private, no-store` on every response to a signed-in
    visitor that sets no caching of its own. Pages reached by a secret link without signing in
    are `never_cache` in their views."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated and "Cache-Control" not in response.headers:
            patch_cache_control(response, private=True, no_store=True)
        return response
