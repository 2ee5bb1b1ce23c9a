"""Cyrano: an MCP tool server for small legal practices.

Engine authors import `cyrano_mcp.kit`, the one public surface for writing an engine; everything else in this
package is the server that runs engines. This module itself holds only the version, so that any layer may
import it.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("cyrano-mcp")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
