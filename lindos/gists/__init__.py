"""Gists: small sets of files shared by a link, as Kallithea 0.7 had them.

Each gist is a repository of its own in a hidden folder of the repository
root (``storage``), with a row here for its owner, description, public or
private kind and expiry (``models``); ``actions`` changes both, ``views``
are the pages at ``/_admin/gists``.
"""
