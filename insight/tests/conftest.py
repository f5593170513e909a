import pytest

from insight.cache import insight_cache_reset


@pytest.fixture(autouse=True)
def _fresh_figures():
    """Rows roll back between tests; figures cached for one test's rows must not leak."""
    insight_cache_reset()
    yield
    insight_cache_reset()
