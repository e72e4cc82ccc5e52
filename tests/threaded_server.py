"""A waitress server in a thread of the test process, sharing the test's
in-memory SQLite connection with the server thread (as Django's own live
server does)."""

import contextlib
import threading


@contextlib.contextmanager
def threaded_server(make_server):
    """Run ``make_server(app)`` (a waitress server for the WSGI ``app``) in
    a thread; yields the server, stops it and its sockets on exit."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connections

    shared = {c.alias: c for c in connections.all() if c.vendor == "sqlite" and c.is_in_memory_db()}
    for conn in shared.values():
        conn.inc_thread_sharing()
    handler = WSGIHandler()

    def app(environ, start_response):
        for alias, conn in shared.items():
            connections[alias] = conn
        return handler(environ, start_response)

    server = make_server(app)
    stop = threading.Event()

    def serve():
        # server.run() loops until closed from outside, which races with
        # its select(); a stop flag lets the loop close its own sockets.
        while not stop.is_set():
            server.asyncore.loop(timeout=0.05, map=server._map, count=1)
        server.task_dispatcher.shutdown()
        server.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        stop.set()
        thread.join(timeout=10)
        for conn in shared.values():
            conn.dec_thread_sharing()
