"""Init data as Telegram signs it for a Mini App, written from Telegram's description (not from
graphql_api/miniapp.py, so the tests check the backend against the documented algorithm)."""
import hashlib
import hmac
import json
import time
from urllib.parse import urlencode

BOT_TOKEN = "123456:test-bot-token-for-miniapp"


def signed_init_data(telegram_id: int, *, bot_token: str = BOT_TOKEN, auth_date: int | None = None,
                     **extra: str) -> str:
    fields = {"query_id": "AAtest", "auth_date": str(int(time.time()) if auth_date is None else auth_date),
              "user": json.dumps({"id": telegram_id, "first_name": "Test", "language_code": "en"},
                                 separators=(",", ":")), **extra}
    check_string = "\n".join(f"{key}={value}" for key, value in sorted(fields.items()))
    secret = hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()
    fields["hash"] = hmac.new(secret, check_string.encode(), hashlib.sha256).hexdigest()
    return urlencode(fields)
