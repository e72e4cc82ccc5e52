"""A progress bar on a terminal, nothing elsewhere (logs stay clean)."""

from __future__ import annotations

import sys
import time


class Progress:
    def __init__(self, stream=None, enabled: bool | None = None, width: int = 30):
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.width = width
        self._label, self._total, self._done, self._last = "", 0, 0, 0.0

    def start(self, label: str, total: int) -> None:
        self._label, self._total, self._done = label, total, 0
        self._draw(force=True)

    def advance(self, n: int = 1) -> None:
        self._done += n
        self._draw()

    def finish(self) -> None:
        self._done = self._total
        self._draw(force=True)
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()

    def _draw(self, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._last < 0.1:
            return
        self._last = now
        if self._total:
            filled = int(self.width * min(self._done, self._total) / self._total)
        else:  # nothing of this kind: done as soon as it starts
            filled = self.width
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\r{self._label:<22} [{bar}] {self._done}/{self._total}")
        self.stream.flush()
