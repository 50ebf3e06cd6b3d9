"""The ``convlens`` command line: a thin layer over the public API.

Each subcommand lives in its own module with a ``register(subparsers)`` function that adds
its parser and sets ``func``. Bad input becomes one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys
import threading
from collections.abc import Sequence

# One module per subcommand, in the order ``convlens --help`` lists them.
SUBCOMMANDS = ["demo", "filter", "kernels", "learn", "rf", "features", "bench", "serve"]


class CLIError(Exception):
    """A user-facing error: printed as one line, exit status 2."""


def positive_int(text: str) -> int:
    """argparse ``type=`` for counts (``--chunks``, ``--repeat``, ``--epochs``)."""
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer; got {text!r}")
    return n


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr (status 2), like every other error."""

    def error(self, message: str) -> None:  # type: ignore[override]
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        sys.exit(2)


def build_parser() -> argparse.ArgumentParser:
    from convlens import __version__

    parser = _Parser(
        prog="convlens",
        description="2-D convolution on images: the D2L chapter, on real images at real speed.",
    )
    parser.add_argument("--version", action="version", version=f"convlens {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in SUBCOMMANDS:
        importlib.import_module(f"convlens.cli.{name}").register(sub)
    return parser


class _Terminated(BaseException):
    """SIGTERM, raised in the main thread so that cleanup (``finally``) runs as for SIGINT."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise _Terminated


def main(argv: Sequence[str] | None = None) -> int:
    try:
        parser = build_parser()
    except ModuleNotFoundError as exc:
        # A core-only install: the command line needs the [cli] extra (rich, imageio, ...).
        from convlens._extras import missing_extra

        print(f"convlens: error: {missing_extra(exc, 'the command line')}", file=sys.stderr)
        return 2
    args = parser.parse_args(argv)
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        return int(args.func(args) or 0)
    except BrokenPipeError:
        # `convlens kernels | head`: the reader left. Point stdout at devnull so the flush at
        # exit does not raise again (the recipe in Python's signal docs).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except ModuleNotFoundError as exc:
        from convlens._extras import missing_extra

        print(
            f"convlens {args.command}: error: {missing_extra(exc, args.command)}", file=sys.stderr
        )
        return 2
    except (CLIError, ValueError, TypeError, OSError, MemoryError) as exc:
        msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        print(f"convlens {args.command}: error: {msg}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("convlens: interrupted", file=sys.stderr)
        return 130
    except _Terminated:
        print("convlens: terminated", file=sys.stderr)
        return 143
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def entry() -> None:
    rc = main()
    if rc in (130, 143):
        # Interrupted, and already cleaned up. Leave without the interpreter's shutdown,
        # which after a SIGINT sometimes re-raises it (seen with zarr's event-loop thread
        # alive) and turns exit status 130 into death by signal.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(rc)
    sys.exit(rc)
