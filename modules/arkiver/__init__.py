"""Arkiver: ingest legal documents, keep their text per page, and extract grounded insights."""
