"""Running the page: a socket on 127.0.0.1 only (a free port, or the one asked), uvicorn, the browser.

The socket is bound here, before uvicorn starts, so the port printed and opened is the one served
(no window between choosing a free port and using it). Every temporary file goes when the server
stops: uvicorn's own handling of Ctrl+C and SIGTERM runs the app's shutdown (the store's close), and
`serve` closes the store again in a `finally`, whatever stopped it.
"""

from __future__ import annotations

import socket
import threading
import time
import webbrowser
from collections.abc import Callable

from tabcheck.serve.app import ServeSettings, create_app

HOST = "127.0.0.1"


class PortTaken(OSError):
    """The port asked for is in use."""


def bind(port: int = 0) -> socket.socket:
    """A listening socket on 127.0.0.1: `port`, or a free one chosen by the system when 0."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind((HOST, port))
    except OSError as e:
        sock.close()
        raise PortTaken(str(e)) from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def url_of(sock: socket.socket) -> str:
    return f"http://{HOST}:{sock.getsockname()[1]}/"


def serve(
    settings: ServeSettings,
    *,
    port: int = 0,
    open_browser: bool = True,
    announce: Callable[[str], None] = print,
) -> None:
    """Serve until Ctrl+C (or SIGTERM); the app's temporary folder is removed before returning."""
    import uvicorn

    app = create_app(settings)
    sock = bind(port)
    url = url_of(sock)
    config = uvicorn.Config(
        app, log_level="warning", access_log=False, lifespan="on", timeout_graceful_shutdown=5
    )
    server = uvicorn.Server(config)
    if open_browser:
        threading.Thread(target=_open_when_started, args=(server, url), daemon=True).start()
    announce(url)
    try:
        server.run(sockets=[sock])
    finally:
        app.state.store.close()
        sock.close()


def _open_when_started(server: object, url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not getattr(server, "started", False):
        if time.monotonic() > deadline or getattr(server, "should_exit", False):
            return
        time.sleep(0.05)
    webbrowser.open(url)
