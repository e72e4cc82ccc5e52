"""Signals other apps listen to.

``repository_pushed`` is sent once per accepted push, after the journal row
is committed, with keyword arguments ``repository_id`` (int), ``user_id``
(int or None) and ``ref_changes`` (a list of ``RefChange``: ref name, old
and new full hash; git's all-zero hash means "created" as old and "deleted"
as new). The review app uses it to update pull requests.
"""

from django.dispatch import Signal

repository_pushed = Signal()
