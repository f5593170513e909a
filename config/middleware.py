"""Response headers Django's SecurityMiddleware does not set (Django 5.2 has no CSP support)."""

from django.conf import settings


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
