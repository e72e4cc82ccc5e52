"""Webhooks: per-repository HTTP callbacks for CI, delivered from a durable
queue by the background worker (see ``delivery``)."""
