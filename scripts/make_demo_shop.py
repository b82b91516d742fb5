"""Generate the ShopTalk demo shop: a sports & outdoor and beauty store in one directory.

    python scripts/make_demo_shop.py --out data/demo_shop --seed 7

The generator is the ``demo_shop`` package next to this script (see its docstring for the
design); its prose (policies, the shop's README) lives in ``demo_shop/prose/``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from demo_shop import main  # noqa: E402

if __name__ == "__main__":
    main()
