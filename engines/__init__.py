"""Cyrano's analysis engines (Potemkin, GoodCounsel, MAE)."""
