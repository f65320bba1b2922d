"""The OCR worker process (``python -m assistant.ingest.ocr_worker THREADS``), see ``ocr``.

Pages arrive on stdin and boxes leave on stdout as ``multiprocessing.connection`` messages of plain
tuples (nothing that needs this module's classes to unpickle). The engine's own prints are sent to
stderr so they can never corrupt the protocol.
"""

from __future__ import annotations

import os
import sys
from dataclasses import astuple
from multiprocessing.connection import Connection

from assistant.ingest.ocr import build_engine, run_engine


def serve(receive: Connection, send: Connection, threads: int) -> None:
    """Load the engine, say ``ready``, then answer one page at a time until EOF or ``None``."""
    try:
        engine = build_engine(threads)
    except Exception as error:  # noqa: BLE001 - reported to the parent, which raises OcrUnavailable
        send.send(("error", f"{type(error).__name__}: {error}"))
        return
    send.send(("ready", None))
    while True:
        try:
            image = receive.recv()
        except (EOFError, OSError):
            return
        if image is None:
            return
        try:
            send.send(("ok", [astuple(box) for box in run_engine(engine, image)]))
        except Exception as error:  # noqa: BLE001 - one bad page must not end the worker
            send.send(("error", f"{type(error).__name__}: {error}"))


if __name__ == "__main__":
    protocol_out = os.dup(1)
    os.dup2(2, 1)
    serve(Connection(os.dup(0), writable=False), Connection(protocol_out, readable=False), int(sys.argv[1]))
