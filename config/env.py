"""Reading the environment: every variable the platform reads goes through one of these
helpers (config/settings.py, platform/gunicorn.conf.py, the benchmark scripts), so a malformed
value stops start-up with a message that names the variable instead of a bare ValueError.

An unset or empty variable takes the default. Values are stripped; booleans accept
1/true/yes/on and 0/false/no/off in any case. Every name read is recorded in VARIABLES with
its kind, which lets the tests set each one to a bad value and check that it is refused.
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

# Each variable read so far and its kind ("str", "bool", "int", "float", "list", "choice").
VARIABLES: dict[str, str] = {}

TRUE = ("1", "true", "yes", "on")
FALSE = ("0", "false", "no", "off")


def _raw(name: str, kind: str) -> str:
    VARIABLES[name] = kind
    return os.environ.get(name, "").strip()


def env_str(name: str, default: str = "") -> str:
    return _raw(name, "str") or default


def env_required(name: str, reason: str) -> str:
    """The variable's value; start-up stops, naming it and `reason`, when it is unset."""
    value = _raw(name, "str")
    if not value:
        raise ImproperlyConfigured(f"The environment variable {name} must be set {reason}.")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = _raw(name, "bool").lower()
    if raw == "":
        return default
    if raw in TRUE:
        return True
    if raw in FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = _raw(name, "int")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}.")
    return value


def env_float(name: str, default: float, *, minimum: float = 0) -> float:
    raw = _raw(name, "float")
    if raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, not {raw!r}.") from None
    if not value >= minimum:  # also refuses nan
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {raw}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    """A comma-separated list; empty items are dropped."""
    raw = _raw(name, "list")
    if raw == "":
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    """One of `choices`, compared case-insensitively and returned as spelled there."""
    raw = _raw(name, "choice")
    if raw == "":
        return default
    for choice in choices:
        if raw.lower() == choice.lower():
            return choice
    raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {raw!r}.")
