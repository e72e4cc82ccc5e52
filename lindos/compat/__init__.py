"""Kallithea 0.7's page URLs that Lindos answers at another address, with a
small page of its own, or with a page saying the feature is not in Lindos,
so a Kallithea user's bookmarks and old links keep answering."""
