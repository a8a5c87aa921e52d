"""The connection to Google Sheets: configuration, gspread client, backoff.

Everything the mirror and the import send goes through `SheetsApi`, a thin
layer over gspread's low-level HTTP client that speaks in whole batches
(one metadata read, one batchGet, one values batchUpdate, one append), so the
number of requests per cycle is visible in one place and not hidden behind
gspread's per-worksheet helpers, which would each fetch metadata again.

Failures: 429 and 5xx are retried with bounded exponential backoff, but only
when repeating the request is harmless. An append that may have reached
Google is never repeated blindly (that would duplicate rows); the cycle stops
instead and the next one re-reads the id column and sees what landed.
"""
import functools
import logging
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import gspread
import requests
from django.conf import settings
from google.auth import exceptions as auth_exceptions
from google.auth.credentials import AnonymousCredentials

logger = logging.getLogger(__name__)

GOOGLE_SHEETS_ROOT = "https://sheets.googleapis.com"
SCOPES = ("https://www.googleapis.com/auth/spreadsheets",)
# Only to find a spreadsheet by its title (SPREADSHEET_NAME), through the Drive API.
DRIVE_LOOKUP_SCOPE = "https://www.googleapis.com/auth/drive.metadata.readonly"
# (connect, read) seconds: a 2 MB batch can take a while to be applied.
HTTP_TIMEOUT = (10, 120)


class SheetsError(Exception):
    """The cycle stopped before finishing; nothing that was not written is marked written."""


class SheetsUnavailable(SheetsError):
    """Google kept answering 429/5xx or did not answer: try again later."""


class SheetsRefused(SheetsError):
    """Google refused the request itself (bad range, no access, no such spreadsheet)."""


# --- configuration ------------------------------------------------------------------

@dataclass(frozen=True)
class MirrorConfig:
    spreadsheet_id: str
    spreadsheet_name: str
    credentials_file: str
    base_url: str


def _configured() -> MirrorConfig:
    return MirrorConfig(
        spreadsheet_id=settings.SPREADSHEET_ID.strip(),
        spreadsheet_name=settings.SPREADSHEET_NAME.strip(),
        credentials_file=settings.GOOGLE_SHEETS_CREDENTIALS_FILE.strip(),
        base_url=settings.SHEETS_API_BASE_URL.strip().rstrip("/"),
    )


def mirror_config() -> MirrorConfig | None:
    """The mirror's settings, or None when the mirror is off (see `mirror_status`)."""
    config = _configured()
    return None if _config_problem(config) else config


def _config_problem(config: MirrorConfig) -> str:
    missing = []
    if not (config.credentials_file or config.base_url):
        missing.append("GOOGLE_SHEETS_CREDENTIALS_FILE")
    if not (config.spreadsheet_id or config.spreadsheet_name):
        missing.append("SPREADSHEET_ID (or SPREADSHEET_NAME)")
    if missing:
        return " and ".join(missing) + (" are" if len(missing) > 1 else " is") + " not set"
    if config.credentials_file:
        path = Path(config.credentials_file)
        if not path.is_file():
            return f"GOOGLE_SHEETS_CREDENTIALS_FILE {config.credentials_file} does not exist"
        problem = _credentials_problem(str(path), path.stat().st_mtime_ns)
        if problem:
            return problem
    if config.base_url and not config.spreadsheet_id:
        # Titles are looked up through the Drive API, which an emulator does not serve.
        return "SHEETS_API_BASE_URL needs SPREADSHEET_ID; SPREADSHEET_NAME is looked up through Google Drive"
    return ""


@functools.lru_cache(maxsize=8)
def _credentials_problem(path: str, modified_ns: int) -> str:
    """Why the key file cannot sign in, or "". Read once per version of the file: a malformed file
    turns the mirror off with one line at the worker's start rather than a traceback every minute."""
    from google.oauth2.service_account import Credentials

    try:
        Credentials.from_service_account_file(path)
    except (OSError, ValueError, KeyError) as error:
        detail = str(error).splitlines()[0] if str(error) else type(error).__name__
        return (f"GOOGLE_SHEETS_CREDENTIALS_FILE {path} is not a service-account key file ({detail}); "
                "download a JSON key of the service account from Google Cloud")
    return ""


def mirror_status() -> str:
    """One line for the logs: is the mirror on, and if not, why."""
    config = _configured()
    problem = _config_problem(config)
    if problem:
        return f"Google Sheets mirror is off: {problem}."
    target = config.spreadsheet_id or f"titled {config.spreadsheet_name!r}"
    via = config.base_url or GOOGLE_SHEETS_ROOT
    auth = "service account" if config.credentials_file else "anonymous"
    return f"Google Sheets mirror is on: spreadsheet {target} via {via} ({auth})."


# --- gspread wiring -------------------------------------------------------------------

class BaseUrlHTTPClient(gspread.HTTPClient):
    """gspread's client with https://sheets.googleapis.com swapped for SHEETS_API_BASE_URL.

    gspread builds every URL from that constant, so the prefix is replaced per
    request and the /v4/spreadsheets/... path is kept.
    """

    def __init__(self, auth, session=None, *, base_url: str):
        super().__init__(auth, session)
        self.base_url = base_url.rstrip("/")
        if urlsplit(self.base_url).hostname in {"127.0.0.1", "localhost", "::1"}:
            # A local emulator must not be reached through an HTTP(S)_PROXY from the environment.
            self.session.trust_env = False

    def request(self, method, endpoint, *args, **kwargs):
        if endpoint.startswith(GOOGLE_SHEETS_ROOT):
            endpoint = self.base_url + endpoint[len(GOOGLE_SHEETS_ROOT):]
        return super().request(method, endpoint, *args, **kwargs)


def gspread_client(config: MirrorConfig) -> gspread.Client:
    if config.credentials_file:
        from google.oauth2.service_account import Credentials

        scopes = list(SCOPES) + ([DRIVE_LOOKUP_SCOPE] if not config.spreadsheet_id else [])
        credentials = Credentials.from_service_account_file(config.credentials_file, scopes=scopes)
    else:
        credentials = AnonymousCredentials()
    http_client = (functools.partial(BaseUrlHTTPClient, base_url=config.base_url) if config.base_url
                   else gspread.HTTPClient)
    client = gspread.Client(credentials, http_client=http_client)
    client.set_timeout(HTTP_TIMEOUT)
    return client


# A title resolves to the same id for the life of the process; the Drive lookup is not free.
_ids_by_title: dict[str, str] = {}


def _spreadsheet_id(client: gspread.Client, config: MirrorConfig, backoff: "Backoff") -> str:
    if config.spreadsheet_id:
        return config.spreadsheet_id
    title = config.spreadsheet_name
    if title not in _ids_by_title:
        files = backoff.run(lambda: client.list_spreadsheet_files(title), what="drive lookup", idempotent=True)
        if not files:
            raise SheetsRefused(f"No spreadsheet titled {title!r} is shared with the service account.")
        if len(files) > 1:
            logger.warning("%d spreadsheets are titled %r; using %s. Set SPREADSHEET_ID to choose.",
                           len(files), title, files[0]["id"])
        _ids_by_title[title] = files[0]["id"]
    return _ids_by_title[title]


def connect(config: MirrorConfig | None = None, backoff: "Backoff | None" = None) -> "SheetsApi":
    config = config or mirror_config()
    if config is None:
        raise SheetsRefused(mirror_status())
    backoff = backoff or Backoff.from_settings()
    client = gspread_client(config)
    return SheetsApi(client.http_client, _spreadsheet_id(client, config, backoff), backoff)


# --- backoff --------------------------------------------------------------------------

@dataclass
class Backoff:
    """Bounded exponential backoff: base, 2x base, 4x base ... at most `attempts` tries."""

    base_delay: float = 1.0
    max_delay: float = 32.0
    attempts: int = 5
    sleep: Callable[[float], None] = time.sleep

    @classmethod
    def from_settings(cls) -> "Backoff":
        return cls(base_delay=float(getattr(settings, "SHEETS_BACKOFF_BASE_SECONDS", 1.0)),
                   max_delay=float(getattr(settings, "SHEETS_BACKOFF_MAX_SECONDS", 32.0)),
                   attempts=int(getattr(settings, "SHEETS_BACKOFF_ATTEMPTS", 5)))

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        delay = min(self.max_delay, self.base_delay * 2 ** attempt)
        delay *= 1 + random.random() / 4  # jitter: concurrent clients do not retry in step
        return max(delay, min(retry_after or 0, self.max_delay))

    def run(self, request: Callable[[], Any], *, what: str, idempotent: bool) -> Any:
        """Send `request`, retrying what is safe to retry; raise SheetsError when giving up.

        A 429 means Google refused before doing anything, so it is always safe
        to repeat. A 5xx or a lost connection may hide a request that was
        applied: it is repeated only if repeating it is harmless.
        """
        for attempt in range(self.attempts):
            try:
                return request()
            except gspread.exceptions.APIError as exc:
                status = exc.response.status_code if exc.response is not None else exc.code
                transient = status == 429 or status >= 500
                retryable = status == 429 or (idempotent and status >= 500)
                error, retry_after = exc, _retry_after(exc.response)
                if not transient:
                    raise SheetsRefused(f"Google refused {what}: {exc}") from exc
            except auth_exceptions.RefreshError as exc:
                raise SheetsRefused(f"Google refused the service account's credentials: {exc}") from exc
            except auth_exceptions.TransportError as exc:
                # The token could not be fetched, so the request itself was never sent.
                retryable, error, retry_after = True, exc, None
            except (requests.ConnectionError, requests.Timeout) as exc:
                retryable, error, retry_after = idempotent, exc, None
            if not retryable:
                raise SheetsUnavailable(f"{what} failed and may have been applied; "
                                        f"the next cycle re-reads the sheet: {error}") from error
            if attempt + 1 == self.attempts:
                raise SheetsUnavailable(f"{what} still failing after {self.attempts} tries: {error}") from error
            delay = self.delay(attempt, retry_after)
            logger.info("Sheets API: %s failed (%s); retrying in %.2fs", what, error, delay)
            self.sleep(delay)
        raise AssertionError("unreachable")


def _retry_after(response) -> float | None:
    try:
        return float(response.headers.get("Retry-After"))
    except (AttributeError, TypeError, ValueError):
        return None


# --- the requests the mirror and the import make ------------------------------------------

@dataclass(frozen=True)
class Tab:
    sheet_id: int
    title: str
    row_count: int
    col_count: int


@dataclass
class SheetsApi:
    http: gspread.HTTPClient
    spreadsheet_id: str
    backoff: Backoff
    calls: Counter = field(default_factory=Counter)  # successful requests by kind, for reports

    def _send(self, kind: str, request: Callable[[], Any], *, idempotent: bool) -> Any:
        result = self.backoff.run(request, what=kind, idempotent=idempotent)
        self.calls[kind] += 1
        return result

    def tabs(self) -> dict[str, Tab]:
        meta = self._send("spreadsheets.get", lambda: self.http.fetch_sheet_metadata(
            self.spreadsheet_id, params={"includeGridData": "false", "fields": "sheets.properties"}),
            idempotent=True)
        tabs = {}
        for sheet in meta.get("sheets", []):
            props = sheet["properties"]
            grid = props.get("gridProperties", {})
            tabs[props["title"]] = Tab(props["sheetId"], props["title"], grid.get("rowCount", 0),
                                       grid.get("columnCount", 0))
        return tabs

    def change_structure(self, requests_: list[dict]) -> dict:
        # Not idempotent (a repeated addSheet fails): only a 429 is retried.
        return self._send("spreadsheets.batchUpdate", lambda: self.http.batch_update(
            self.spreadsheet_id, {"requests": requests_}), idempotent=False)

    def read(self, ranges: list[str]) -> list[list[list]]:
        """The values of each range, in order; a range with no data gives [].

        Numbers come back as numbers (a formatted id could read 5.00E+09),
        dates as the text the admins see.
        """
        params = {"majorDimension": "ROWS", "valueRenderOption": "UNFORMATTED_VALUE",
                  "dateTimeRenderOption": "FORMATTED_STRING"}
        reply = self._send("values.batchGet", lambda: self.http.values_batch_get(
            self.spreadsheet_id, list(ranges), params=dict(params)), idempotent=True)
        return [value_range.get("values", []) for value_range in reply.get("valueRanges", [])]

    def write(self, data: list[dict]) -> dict:
        # Writing the same cells twice leaves them the same: safe to repeat.
        return self._send("values.batchUpdate", lambda: self.http.values_batch_update(
            self.spreadsheet_id, {"valueInputOption": "RAW", "data": data}), idempotent=True)

    def append(self, table_range: str, rows: list[list]) -> dict:
        # INSERT_ROWS: new rows never land on top of anything an admin typed below the table.
        return self._send("values.append", lambda: self.http.values_append(
            self.spreadsheet_id, table_range,
            params={"valueInputOption": "RAW", "insertDataOption": "INSERT_ROWS"},
            body={"majorDimension": "ROWS", "values": rows}), idempotent=False)
