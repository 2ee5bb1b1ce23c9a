"""Cyrano's domain modules (matters, Arkiver, Chronometric, contract comparison)."""
