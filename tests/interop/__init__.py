"""Interop tests: the installed `cyrano-mcp serve` in a subprocess, driven by real MCP clients."""
