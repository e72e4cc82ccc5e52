"""The environ key under which ``lindos serve`` passes each request the
connection's own address (``REMOTE_ADDR`` may name the client a trusted
proxy forwarded for).  A module of its own, so that what reads the key
(container logins, body limits) need not import the server."""

PEER_KEY = "lindos.peer_address"
