"""A separate process that refreshes the Zalo token (for the two-process rotation test).

python -m tests.zalo.token_worker DB_URL OAUTH_BASE STALE_ACCESS_TOKEN GO_FILE
Waits for GO_FILE to exist, refreshes, prints {"token": …} or {"error": …}.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from bot.zalo.tokens import OAuthClient, TokenStore
from storage.db import make_engine, make_sessionmaker


def main(url: str, oauth_base: str, stale: str, go_file: str) -> None:
    engine = make_engine(url)
    store = TokenStore(
        make_sessionmaker(engine),
        OAuthClient(base=oauth_base, app_id="1000000000000000001", app_secret="demo-app-secret"),
    )
    print(json.dumps({"ready": True}), flush=True)
    while not Path(go_file).exists():
        time.sleep(0.005)
    try:
        print(json.dumps({"token": store.refresh(stale=stale)}), flush=True)
    except Exception as exc:  # reported to the test
        print(json.dumps({"error": f"{type(exc).__name__}: {exc}"}), flush=True)
    finally:
        engine.dispose()


if __name__ == "__main__":
    main(*sys.argv[1:5])
