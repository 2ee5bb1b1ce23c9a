"""Chronometric's time: entries recorded by hand or imported from a CSV export, days short of hours, double entries."""
