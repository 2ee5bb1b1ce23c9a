"""Loopback stand-ins for the services Cyrano talks to, driven by the real client SDKs."""
