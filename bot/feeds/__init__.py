"""RSS/Atom subscriptions: polling, de-duplication, full-text extraction and briefs.

`FeedService` (service.py) is what front ends call; it owns a `FeedStore` over the same
SQLite connection as the corpus store, a `Poller`, and the brief builder.
"""
