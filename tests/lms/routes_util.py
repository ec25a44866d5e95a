"""Enumerating the app's routes for the policy and CSRF tests."""

from __future__ import annotations

import re

from fastapi.routing import APIRoute, iter_route_contexts

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def api_routes(app) -> list:
    """Every API route with its effective path and dependencies (routers included, prefixes applied)."""
    return [ctx for ctx in iter_route_contexts(app.routes) if isinstance(ctx.original_route, APIRoute)]


def concrete_path(path: str) -> str:
    """Fill path parameters with an id that does not exist."""
    return re.sub(r"\{[^}]+\}", "999999", path)


def route_calls(app, methods: set[str] | None = None) -> list[tuple[str, str, object]]:
    calls = []
    for route in api_routes(app):
        for method in sorted(route.methods - {"HEAD"}):
            if methods is None or method in methods:
                calls.append((method, concrete_path(route.path), route))
    return calls
