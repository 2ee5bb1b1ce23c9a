"""Arkiver: ingest legal documents, keep their text per page, and extract grounded insights.

`engine.ENGINE` is what the `cyrano.engines` entry point names; other engines use `api` (typed handles on its
tools). `parsing` and `extraction` are pure and importable alone (benches use them without a server).
"""
