"""What keeps patients' data safe in the web app, for every request:

- Off this computer (any --host but 127.0.0.1), staff type the clinic's access code once per
  browser session (a session cookie, signed; gone when the browser closes). A program sends it
  in the X-Access-Code header instead. A client address that sends WRONG_CODES wrong codes
  within WRONG_CODES_WINDOW seconds is answered 429 until the oldest is a minute old (kept in
  memory: a restart forgets them).
- On this computer, the Host header must name it (a web page cannot reach the app through a
  name of its own: DNS rebinding).
- Every POST carries the session's CSRF token (the forms' hidden csrf_token, or the page's
  scripts' X-CSRF-Token header), or, from a program, the X-Access-Code header (any value when
  no code is set): a page of another site cannot send a custom header without CORS, which the
  app never allows.
- Every answer: Cache-Control no-store, a Content-Security-Policy allowing only the app's own
  files (and data: images: the previews come inside the preview's JSON), no referrer, no frames.
- Errors: JSON under /api/, else the app's own page; never a traceback, never a server's page.
  Nothing of a request's fields is logged: an internal error logs its type and the path only.
"""

from __future__ import annotations

import hmac
import logging
import secrets
import threading
import time
from collections import defaultdict, deque

from flask import Flask, abort, current_app, jsonify, redirect, render_template, request, session
from werkzeug.exceptions import HTTPException

CSP = ("default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
       "frame-ancestors 'none'; form-action 'self'")  # fmt: skip
OPEN = ("pages.access", "static")  # what answers before the access code is typed
log = logging.getLogger("handouts.web")
MESSAGES = {
    400: "The request could not be read.",
    401: "Type the clinic's access code first.",
    403: "This request was refused: reload the page and try again.",
    404: "There is no such page.",
    405: "This page does not take that kind of request.",
    429: "Too many wrong access codes were typed from this computer: wait a minute, then type "
    "the code again.",
    413: "What was sent is too large: the most is {limit} (a batch CSV, a prescription file or "
    "the text of one field). Send less.",
    500: "Something went wrong inside handouts; nothing was sent or printed. Try again, and "
    "tell whoever looks after handouts if it happens again.",
}


WRONG_CODES = 5  # wrong access codes a client address may send...
WRONG_CODES_WINDOW = 60.0  # ...in this many seconds


class WrongCodes:
    """The wrong access codes each client address sent in the last window (in memory)."""

    def __init__(self, clock=time.monotonic) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._times: defaultdict[str, deque[float]] = defaultdict(deque)

    def _recent(self, address: str) -> deque[float]:
        times, now = self._times[address], self.clock()
        while times and now - times[0] >= WRONG_CODES_WINDOW:
            times.popleft()
        if not times:
            del self._times[address]  # (no address is kept once its codes are a minute old)
            return deque()
        return times

    def blocked(self, address: str) -> bool:
        with self._lock:
            return len(self._recent(address)) >= WRONG_CODES

    def add(self, address: str) -> None:
        with self._lock:
            self._recent(address)
            self._times[address].append(self.clock())


def wrong_code() -> None:
    """Count a wrong access code from this request's client address."""
    current_app.extensions["handouts.wrong_codes"].add(request.remote_addr or "")


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def access_code_sent() -> bool:
    """The X-Access-Code header is present and, when the clinic set a code, matches it."""
    sent = request.headers.get("X-Access-Code")
    if sent is None:
        return False
    code = current_app.config["HANDOUTS_ACCESS_CODE"]
    if not code:
        return True
    if hmac.compare_digest(sent.encode(), code.encode()):
        return True
    if not getattr(request, "_handouts_counted", False):  # (one request counts once)
        request._handouts_counted = True
        wrong_code()
    return False


def has_access() -> bool:
    return (not current_app.config["HANDOUTS_ACCESS_CODE"] or session.get("access") is True
            or access_code_sent())  # fmt: skip


def install(app: Flask) -> None:
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.extensions["handouts.wrong_codes"] = WrongCodes(app.config.get("HANDOUTS_CLOCK")
                                                        or time.monotonic)  # fmt: skip

    @app.before_request
    def guard():
        if app.config["HANDOUTS_LOCAL"]:
            host = (request.host or "").rsplit(":", 1)[0].strip("[]").lower()
            if host not in ("127.0.0.1", "localhost", "::1"):
                abort(400)
        typing_code = request.endpoint == "pages.access" and request.method == "POST"
        sends_code = app.config["HANDOUTS_ACCESS_CODE"] and (
            typing_code or "X-Access-Code" in request.headers
        )
        if sends_code and app.extensions["handouts.wrong_codes"].blocked(request.remote_addr or ""):
            abort(429)  # (even the right code, until a minute has passed)
        if request.endpoint not in OPEN and not has_access():
            if request.path.startswith("/api/"):
                abort(401)
            return redirect("/access")
        if request.method == "POST":
            sent = request.headers.get("X-CSRF-Token") or request.form.get("csrf_token", "")
            token = session.get("csrf", "")
            matches = bool(token) and hmac.compare_digest(sent.encode(), token.encode())
            if not matches and not access_code_sent():
                abort(403)
        return None

    @app.after_request
    def headers(response):
        response.headers["Cache-Control"] = "no-store"
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        return response

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return error_answer(exc.code or 500)

    @app.errorhandler(Exception)
    def internal_error(exc: Exception):
        log.error("internal error (%s) answering %s %s", type(exc).__name__, request.method,
                  request.path)  # fmt: skip
        return error_answer(500)


def error_answer(status: int, message: str | None = None):
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    message = message or MESSAGES.get(status, "The request could not be answered.").format(
        limit=f"{limit // (1024 * 1024)} MB"
    )
    if request.path.startswith("/api/"):
        response = jsonify({"error": message, "problems": [message]})
    else:
        response = current_app.make_response(
            render_template("error.html", status=status, message=message)
        )
    response.status_code = status
    return response
