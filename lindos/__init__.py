"""Lindos: self-hosted Git and Mercurial hosting and code review."""

__version__ = "0.1.0"
