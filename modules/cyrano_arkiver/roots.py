"""The folders Arkiver may read files under: the operator's (CYRANO_ALLOWED_ROOTS) and, for the local user on
stdio, the roots their MCP client declares. Whichever a path is under, it is read by the same link-free walk
(`parsing.paths`)."""

import os
import shlex
import stat
from collections.abc import Sequence
from pathlib import Path

from cyrano_arkiver.parsing import covering_root
from cyrano_mcp.kit import Finding, client_roots


async def readable_roots(paths: Sequence[str], configured: Sequence[Path]) -> list[Path]:
    """The configured roots, and the client's roots too when a path is below none of the configured ones.

    The client is asked only then: under MCP 2026-07-28 asking costs the client a second call.
    """
    if all(covering_root(path, configured) is not None for path in paths):
        return list(configured)
    return [*configured, *await client_roots()]


def client_root_of(path: str, configured: Sequence[Path], roots: Sequence[Path]) -> Path | None:
    """The client root `path` is read under, when no configured root covers it (None otherwise)."""
    if covering_root(path, configured) is not None:
        return None
    return covering_root(path, [root for root in roots if root not in configured])


def check_allowed_roots(roots: Sequence[Path]) -> list[Finding]:
    """What `cyrano-mcp doctor` says about CYRANO_ALLOWED_ROOTS: one line per folder, or why there is none."""
    subject = "allowed folders"
    if not roots:
        return [
            Finding.warning(
                subject,
                "CYRANO_ALLOWED_ROOTS is empty, so nothing can be ingested by path (only text or base64 content, "
                "or files under the roots an IDE client declares over stdio). Open a folder with "
                "`cyrano-mcp client-config --install --allow FOLDER` (it writes the setting into the host's "
                "configuration), or set CYRANO_ALLOWED_ROOTS=FOLDER,FOLDER",
            )
        ]
    findings = []
    for root in roots:
        problem = _problem_with(root)
        if problem is None:
            findings.append(Finding.ok(subject, f"{root} (readable)"))
        else:
            findings.append(Finding.failed(subject, f"{root} {problem}; fix CYRANO_ALLOWED_ROOTS or the folder"))
    return findings


def _problem_with(root: Path) -> str | None:
    if not root.is_absolute():
        return "is not an absolute path"
    try:
        mode = os.stat(root).st_mode
    except FileNotFoundError:
        return f"does not exist (create it: `mkdir -p {shlex.quote(str(root))}`)"
    except PermissionError:
        return "cannot be reached by this account (a folder above it is closed to it)"
    except OSError as exc:
        return f"cannot be looked at ({exc.strerror})"
    if not stat.S_ISDIR(mode):
        return "is not a folder"
    if not os.access(root, os.R_OK | os.X_OK):
        return "cannot be read by this account"
    return None
