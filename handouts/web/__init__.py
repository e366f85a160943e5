"""The front desk's web app: a second face beside cli.py, calling the same Python API.

`create_app(settings)` makes the Flask app (handouts.serve runs it on waitress). Its areas:
security.py (access code, CSRF, headers, errors), api.py (the HTTP API: /api/...), pages.py
(the server-rendered pages), fields.py (fields -> BuildRequest), renders.py (the worker pool
and the handouts kept in memory). Flask is imported only here and below, never on the path of
`handouts --help` or `handouts list`.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # (`handouts serve` listens before it imports Flask: see serve.py)
    from flask import Flask

    from handouts.model import Settings

UPLOAD_LIMIT = 4 * 1024 * 1024  # a request's body: a batch CSV, an rx file, a form
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def create_app(
    settings: Settings | None = None,
    *,
    host: str = "127.0.0.1",
    renderer=None,
    today: Callable[[], dt.date] = dt.date.today,
    config: Mapping | None = None,
) -> Flask:
    """The app for `settings` (the clinic's: library, brand, layout, printer, SMTP, access code),
    serving `host`. Any host but this computer's needs an access code (ValueError without)."""
    from flask import Flask

    from handouts.model import Settings
    from handouts.web.pagecache import PageCache
    from handouts.web.renders import Renderer

    settings = settings if settings is not None else Settings()
    local = host in LOOPBACK
    if not local and not settings.access_code:
        raise ValueError("no access code")
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.signing_key or secrets.token_hex(32),
        MAX_CONTENT_LENGTH=UPLOAD_LIMIT,
        MAX_FORM_MEMORY_SIZE=UPLOAD_LIMIT,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_NAME="handouts",
        HANDOUTS_SETTINGS=settings,
        HANDOUTS_LOCAL=local,
        HANDOUTS_ACCESS_CODE=settings.access_code,
        HANDOUTS_TODAY=today,
        TEMPLATES_AUTO_RELOAD=False,
    )
    if config:
        app.config.update(config)
    app.jinja_env.bytecode_cache = PageCache()
    app.extensions["handouts.renderer"] = renderer if renderer is not None else Renderer()
    from handouts.web import api, pages, security

    security.install(app)
    app.register_blueprint(api.blueprint)
    app.register_blueprint(pages.blueprint)
    return app
