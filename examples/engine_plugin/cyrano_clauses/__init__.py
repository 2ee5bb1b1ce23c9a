"""cyrano-clauses: find where a matter's documents deal with a kind of clause (an example third-party engine).

`engine.ENGINE` is what the `cyrano.engines` entry point names.
"""
