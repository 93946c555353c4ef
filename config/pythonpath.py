"""Put platform/ on sys.path.

platform/ is a folder of apps, not a package: a package named `platform` at the project root would
shadow Python's own `platform` module (docs/ARCHITECTURE.md, "Apps"). Every entry point imports this module first.
"""

import sys
from pathlib import Path

PLATFORM_DIR = str(Path(__file__).resolve().parent.parent / "platform")

if PLATFORM_DIR not in sys.path:
    sys.path.insert(0, PLATFORM_DIR)
