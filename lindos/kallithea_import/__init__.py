"""Moving a Kallithea installation to Lindos: ``lindos import-kallithea``.

The Kallithea database is read with the DB-API, read-only (``source``); each
kind of object is imported by one step of ``steps`` in dependency order
(``runner``); ``ImportedObject`` rows map every Kallithea id to the Lindos
row made from it, so a second run with ``--merge`` finds everything already
there and changes nothing.
"""
