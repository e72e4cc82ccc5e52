"""The embedded worker (filled in by the background-work feature)."""


def start_embedded_worker() -> None:
    return None
