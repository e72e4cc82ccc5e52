"""Rendered page bodies kept in this process's memory.

The rows of a file view depend only on the blob and its lexer, an
annotation's rows only on the changeset, path, blob and repository name:
none of them ever changes. The shared cache (files or Redis) already keeps
the expensive parts (highlighted lines, blame runs), but reading them back,
unpickling a 5,000-item list and building 5,000 rows again cost a 5,000-line
file view or annotate most of its CPU time on every request, the time
several visitors at once queue for. Here the finished HTML is kept per
process, least recently used dropped first, up to ``MEMO_CHARS`` characters
in all, so a warm view of a big file is one dictionary lookup.

Only immutable answers may be stored: a result that may change (a large
file shown without colours until the background worker highlights it) is
never put here.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

#: Characters of HTML kept per process (about as many bytes: the rows are
#: ASCII markup around file text). A 5,000-line file view is about 0.6 M.
MEMO_CHARS = 32 * 1024 * 1024
#: A body bigger than this is not kept (it would push out everything else).
MAX_ENTRY_CHARS = MEMO_CHARS // 8


class Memo:
    """A thread-safe least-recently-used map of keys to values, bounded by
    the total size (in characters) each value was put with."""

    def __init__(self, max_chars: int = MEMO_CHARS, max_entry: int = MAX_ENTRY_CHARS):
        self.max_chars = max_chars
        self.max_entry = max_entry
        self._items: OrderedDict[tuple, tuple[object, int]] = OrderedDict()
        self._chars = 0
        self._lock = threading.Lock()

    def get(self, key: tuple):
        """The value kept under ``key``, or None."""
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            self._items.move_to_end(key)
            return item[0]

    def put(self, key: tuple, value, chars: int) -> None:
        """Keep ``value`` (``chars`` long, e.g. its HTML's length)."""
        if chars > self.max_entry:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._chars -= old[1]
            self._items[key] = (value, chars)
            self._chars += chars
            while self._chars > self.max_chars:
                _key, (_value, dropped) = self._items.popitem(last=False)
                self._chars -= dropped

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._chars = 0

    def __len__(self) -> int:
        return len(self._items)


#: The one memo of this process, shared by the file view and annotate.
rendered = Memo()
