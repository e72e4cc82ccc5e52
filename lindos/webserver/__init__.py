"""The production web server behind ``lindos serve``: waitress, hardened
against slow and idle clients (``waitress_server``), run as one process per
core sharing one listening socket (``prefork``)."""
