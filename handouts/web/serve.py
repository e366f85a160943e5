"""`handouts serve`: the web app on waitress (pure Python; runs on Windows too).

The server listens at once, with a gate in front of the app: Flask and the app are made in a
thread of their own meanwhile, and a request that comes before they are ready waits for them
(it never fails for it). Nothing of reportlab or of handouts.build is imported here: the render
workers import them, once the first page has been answered.
"""

from __future__ import annotations

import logging
import threading
import webbrowser

from handouts.errors import InputError

WARM_AFTER = 1.0  # seconds after the app is ready that the worker processes start, at the latest
READY_WAIT = 120.0  # seconds a request waits for the app before it is answered 503

log = logging.getLogger("handouts.web")


class Gate:
    """A WSGI app that answers with `app` once it is set; until then a request waits."""

    def __init__(self) -> None:
        self._ready = threading.Event()
        self._app = None
        self._failed = ""
        self.answered = threading.Event()  # the first request was answered

    def open(self, app) -> None:
        self._app = app
        self._ready.set()

    def fail(self, why: str) -> None:
        self._failed = why
        self._ready.set()

    @property
    def stopping(self) -> bool:
        return bool(self._failed)

    def __call__(self, environ, start_response):
        self._ready.wait(READY_WAIT)
        if self._app is None:
            start_response("503 Service Unavailable",
                           [("Content-Type", "text/plain; charset=utf-8"),
                            ("Cache-Control", "no-store")])  # fmt: skip
            return [f"handouts is not ready: {self._failed or 'still starting'}".encode()]
        try:
            return self._app(environ, start_response)
        finally:
            self.answered.set()


def serve(host: str, port: int, open_browser: bool, settings, echo) -> None:
    """Serve the app on host:port until stopped. Any host but this computer's needs the
    clinic's access code (HANDOUTS_ACCESS_CODE, or access_code: in the settings file)."""
    from waitress.server import create_server

    from handouts.web import LOOPBACK

    if host not in LOOPBACK and not settings.access_code:
        raise InputError(f"--host {host}: serving the clinic's network needs an access code: set "
                         "HANDOUTS_ACCESS_CODE, or access_code: in the settings file "
                         "('handouts config' shows where it is)")  # fmt: skip
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # (no request is ever logged)
    gate = Gate()
    try:
        # threads: eight staff's requests at once (a preview waits on a worker, not a thread)
        server = create_server(gate, host=host, port=port, threads=8, ident="handouts",
                               clear_untrusted_proxy_headers=True)  # fmt: skip
    except OSError as exc:
        raise InputError(f"--port {port}: cannot listen on {host}:{port}: {exc.strerror}") from None
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{server.effective_port}/"
    made: dict = {}
    starting = threading.Thread(target=_start, args=(gate, settings, host, made), daemon=True)
    starting.start()
    echo(f"Serving handouts at {url} (Ctrl-C to stop)")
    if open_browser:
        threading.Timer(0.3, webbrowser.open, (url,)).start()
    try:
        server.run()
    finally:
        gate.fail("stopping")
        gate.answered.set()  # (the starting thread waits no longer)
        starting.join()
        if "renderer" in made:
            made["renderer"].close()


def _start(gate: Gate, settings, host: str, made: dict) -> None:
    """Make the app and open the gate; then, once the first request is answered (or a moment
    later), start the render workers and import what the first handout needs."""
    try:
        from handouts.web import create_app

        app = create_app(settings, host=host)
        made["renderer"] = app.extensions["handouts.renderer"]
        gate.open(app)
    except Exception as exc:  # noqa: BLE001 - every request is told; the log says what
        log.error("handouts could not start the web app (%s)", type(exc).__name__)
        gate.fail(f"it could not start ({type(exc).__name__})")
        return
    gate.answered.wait(WARM_AFTER)
    if gate.stopping:  # (stopped before the workers were needed)
        return
    made["renderer"].warm()
    import handouts.build  # noqa: F401 - what the first preview needs, imported now
