"""`handouts serve`: the web app on waitress (pure Python; runs on Windows too)."""

from __future__ import annotations

import logging
import threading
import webbrowser

from handouts.errors import InputError

WARM_AFTER = 1.0  # seconds after the server listens that the worker processes start


def serve(host: str, port: int, open_browser: bool, settings, echo) -> None:
    """Serve the app on host:port until stopped. Any host but this computer's needs the
    clinic's access code (HANDOUTS_ACCESS_CODE, or access_code: in the settings file)."""
    from waitress.server import create_server

    from handouts.web import LOOPBACK, create_app

    if host not in LOOPBACK and not settings.access_code:
        raise InputError(f"--host {host}: serving the clinic's network needs an access code: set "
                         "HANDOUTS_ACCESS_CODE, or access_code: in the settings file "
                         "('handouts config' shows where it is)")  # fmt: skip
    app = create_app(settings, host=host)
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # (no request is ever logged)
    try:
        server = create_server(app, host=host, port=port, threads=8, ident="handouts",
                               clear_untrusted_proxy_headers=True)  # fmt: skip
    except OSError as exc:
        raise InputError(f"--port {port}: cannot listen on {host}:{port}: {exc.strerror}") from None
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{server.effective_port}/"
    echo(f"Serving handouts at {url} (Ctrl-C to stop)")
    renderer = app.extensions["handouts.renderer"]
    # the workers start once the server listens, a moment later, so that its first answers
    # (the page, the library) do not wait for the workers' imports
    warming = threading.Timer(WARM_AFTER, renderer.warm)
    warming.daemon = True
    warming.start()
    if open_browser:
        threading.Timer(0.3, webbrowser.open, (url,)).start()
    try:
        server.run()
    finally:
        warming.cancel()
        renderer.close()
