"""Version control over HTTP: git's smart HTTP protocol (``git_http``).

Plain-Python parts (request bodies, pkt-lines, running git's own service
programs) are kept apart from the Django view that does authentication and
permission checks, so the protocol code can be tested without a server.
"""
