"""Kallithea's JSON-RPC API at ``/_admin/api`` (``jsonrpc`` for the wire
format, ``methods/`` for the 47 methods)."""
