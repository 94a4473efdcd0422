"""A loopback TCP proxy in front of a real PostgreSQL, to stage what a restart does to the
app without restarting a server that others share.

- `refuse()` closes the listener: new connections are refused, as while the server is down;
- `cut()` closes every connection passing through, as the server's shutdown does to its
  sessions (the client then reads "server closed the connection unexpectedly");
- `open()` listens again on the same port: the server is back.
"""

from __future__ import annotations

import contextlib
import socket
import threading


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PgProxy:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = free_port()
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._sockets: set[socket.socket] = set()
        self.accepted = 0

    def open(self) -> None:
        listener = socket.socket()
        try:
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind(("127.0.0.1", self.port))
            listener.listen(64)
        except OSError:
            listener.close()
            raise
        listener.settimeout(0.05)  # the accept loop notices `refuse()` this quickly
        thread = threading.Thread(target=self._accept, args=(listener,), daemon=True)
        with self._lock:
            self._listener, self._thread = listener, thread
        thread.start()

    def refuse(self) -> None:
        """Stop listening; returns once the port refuses connections."""
        with self._lock:
            thread, self._listener, self._thread = self._thread, None, None
        if thread is not None:
            thread.join()  # the accept loop closes its listener itself, then ends

    def cut(self) -> None:
        with self._lock:
            sockets, self._sockets = self._sockets, set()
        for sock in sockets:
            _close(sock)

    def close(self) -> None:
        self.refuse()
        self.cut()

    def _accept(self, listener: socket.socket) -> None:
        # Only this thread closes the listener: closed from another thread while
        # accept() waits, the port stays bound until the wait ends.
        with listener:
            while self._serving(listener):
                try:
                    client, _ = listener.accept()
                except TimeoutError:
                    continue
                self._forward(client)

    def _serving(self, listener: socket.socket) -> bool:
        with self._lock:
            return self._listener is listener

    def _forward(self, client: socket.socket) -> None:
        client.settimeout(None)
        try:
            server = socket.create_connection(self.target, timeout=5)
        except OSError:
            _close(client)
            return
        server.settimeout(None)
        with self._lock:
            self._sockets |= {client, server}
            self.accepted += 1
        for source, sink in ((client, server), (server, client)):
            threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            with self._lock:
                self._sockets -= {source, sink}
            _close(source)
            _close(sink)


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already shut down by the other side
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()
