"""A TCP forwarder that can be cut and restored: Neo4j "goes away" for the client, data stays."""

from __future__ import annotations

import socket
import threading


class Proxy:
    """Forwards 127.0.0.1:``port`` to ``target``; :meth:`cut` drops every connection."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = 0
        self._listener: socket.socket | None = None
        self._conns: list[socket.socket] = []
        self._lock = threading.Lock()
        self._cut = False

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        with self._lock:
            self._cut = False
            self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        """Stop listening and reset every connection, including one still being set up."""
        with self._lock:
            self._cut = True
            if self._listener is not None:
                # shutdown() first: close() alone leaves the socket listening while the accept
                # thread is blocked in accept() on it, so a client reconnecting after the cut
                # could be queued and never served (the CLI under test then hangs instead of
                # failing). After shutdown, connects are refused and accept() returns an error.
                try:
                    self._listener.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                self._listener.close()
                self._listener = None
            for conn in self._conns:
                try:
                    conn.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                conn.close()
            self._conns.clear()

    def _keep(self, *socks: socket.socket) -> bool:
        """Track sockets so that a cut closes them; after a cut, close them at once instead."""
        with self._lock:
            if self._cut:
                for sock in socks:
                    sock.close()
                return False
            self._conns += socks
            return True

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            # Tracked from the moment it exists: a cut while the upstream connection is being
            # made must reset this client too, or it waits forever for an answer.
            if not self._keep(client):
                return
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            if not self._keep(upstream):
                client.close()
                return
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (src, dst):
                try:
                    sock.close()
                except OSError:
                    pass
