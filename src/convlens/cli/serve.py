"""``convlens serve``: the playground in the browser, on 127.0.0.1 unless told otherwise.

The server binds its socket itself, so ``--port 0`` takes a free port and the URL printed is
the real one. Nothing is fetched from outside: every asset ships in the package.
"""

from __future__ import annotations

import argparse
import socket
import sys
import threading
import webbrowser

from . import CLIError


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (``port`` 0: a free one).

    Examples
    --------
    >>> s = bind("127.0.0.1", 0)
    >>> s.getsockname()[0]
    '127.0.0.1'
    >>> s.close()
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise CLIError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def run(args: argparse.Namespace) -> int:
    try:
        import uvicorn

        from convlens.web.server import create_app
    except ModuleNotFoundError as exc:
        import convlens

        raise CLIError(str(convlens.missing_extra(exc, "convlens serve"))) from None

    sock = bind(args.host, args.port)
    host, port = sock.getsockname()[:2]
    url = f"http://{'[' + host + ']' if ':' in host else host}:{port}/"
    config = uvicorn.Config(create_app(), log_level="warning", access_log=False)
    server = uvicorn.Server(config)

    def announce() -> None:
        print(f"convlens serve: the playground is at {url} (Ctrl+C stops it)", flush=True)
        if not args.no_browser:
            webbrowser.open(url)

    # Announce only once uvicorn is accepting, so that the URL printed works at once.
    original = server.startup

    async def startup(sockets=None):
        await original(sockets=sockets)
        if server.started:
            threading.Thread(target=announce, daemon=True).start()

    server.startup = startup  # type: ignore[method-assign]
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
    return 130 if server.should_exit and server.force_exit else 0


def _port(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = -1
    if not 0 <= n <= 65535:
        raise argparse.ArgumentTypeError(f"must be 0..65535 (0: any free port); got {text!r}")
    return n


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="the interactive playground in the browser")
    p.add_argument("--port", type=_port, default=8765, help="TCP port; 0 picks a free one")
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: this machine only)",
    )
    p.add_argument("--no-browser", action="store_true", help="do not open a browser")
    p.set_defaults(func=run)


if __name__ == "__main__":  # pragma: no cover
    sys.exit("run it as: convlens serve")
