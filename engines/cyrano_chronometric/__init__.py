"""Chronometric: deadlines, the chronology of a matter, and time that was never recorded."""
