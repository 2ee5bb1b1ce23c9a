"""Where the shared development data lives: `../shared/data` beside the repository, unless told otherwise.

The folder holds third-party documents with gold labels (CUAD contracts, citation examples) that are not part of
the repository. Benches take `--data`; everything else (and a bench without the option) reads the environment
variable CYRANO_SHARED_DATA, then falls back to the folder beside the repository root, so no machine's absolute
path is written down anywhere.
"""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENVIRONMENT_VARIABLE = "CYRANO_SHARED_DATA"


def shared_data_dir(explicit: Path | None = None) -> Path:
    """The shared data folder: `explicit` if given, else $CYRANO_SHARED_DATA, else `<repository>/../shared/data`."""
    if explicit is not None:
        return explicit
    configured = os.environ.get(ENVIRONMENT_VARIABLE)
    return Path(configured) if configured else ROOT.parent / "shared" / "data"
