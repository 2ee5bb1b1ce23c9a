"""The matters module: the client matters that every document, deadline and workflow hangs off.

`engine.ENGINE` is what the `cyrano.engines` entry point names; other engines use `api.MattersReader`.
"""
