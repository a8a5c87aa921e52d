"""In-memory fake of the Google Sheets API v4, served over local HTTP.

Tests drive the real gspread client against it, so URLs, query params, JSON
bodies and errors are exercised as in production. Only what gspread needs for
values and tab management is implemented; cells are strings, no formulas.
"""

import copy
import functools
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote

import gspread
from google.auth.credentials import AnonymousCredentials

GOOGLE_ROOT = "https://sheets.googleapis.com"

_STATUS = {400: "INVALID_ARGUMENT", 403: "PERMISSION_DENIED", 404: "NOT_FOUND",
           429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 503: "UNAVAILABLE"}
_FAULT_MESSAGES = {
    429: "Quota exceeded for quota metric 'Requests' and limit 'Requests per minute "
         "per user' of service 'sheets.googleapis.com'.",
    500: "Internal error encountered.",
    503: "The service is currently unavailable.",
}


class SheetsApiError(Exception):
    def __init__(self, code, message=None):
        super().__init__(message)
        self.code, self.message = code, message or _FAULT_MESSAGES.get(code, "Error")

    def body(self):
        # gspread's APIError reads this envelope to fill `.code` and `.error`.
        return {"error": {"code": self.code, "message": self.message,
                          "status": _STATUS.get(self.code, "UNKNOWN")}}


@dataclass
class Call:
    method: str
    path: str  # percent-decoded, without the query string
    kind: str = "unknown"  # e.g. "values.append", "spreadsheets.get"
    sheets: tuple = ()  # tab titles the request touched
    status: int = 200
    failed: bool = False
    body_bytes: int = 0


@dataclass
class _Sheet:
    sheet_id: int
    title: str
    row_count: int = 1000
    col_count: int = 26
    rows: list = field(default_factory=list)  # ragged lists of str

    def properties(self, index):
        return {"sheetId": self.sheet_id, "title": self.title, "index": index,
                "sheetType": "GRID", "gridProperties": {
                    "rowCount": self.row_count, "columnCount": self.col_count}}

    def grow(self, rows, cols):
        self.row_count, self.col_count = max(self.row_count, rows), max(self.col_count, cols)


@dataclass
class _Book:
    id: str
    title: str
    sheets: list = field(default_factory=list)
    next_sheet_id: int = 0

    def sheet(self, title=None, sheet_id=None):
        return next((s for s in self.sheets if s.title == title
                     or (sheet_id is not None and s.sheet_id == sheet_id)), None)

    def sheet_by_id(self, sheet_id):
        sheet = self.sheet(sheet_id=sheet_id)
        if sheet is None:
            raise SheetsApiError(400, f"No grid with id: {sheet_id}")
        return sheet


# A1 notation helpers. Boxes are 0-based with exclusive ends; an end of None
# means "to the edge of the grid" ("A:A", "A2:C", "'Tab'").

def col_letters(index):
    letters, index = "", index + 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _col_index(letters):
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


def split_range(text):
    """"'Spin History'!A1:Z" -> ("Spin History", "A1:Z"); bare text -> (None, text)."""
    if text.startswith("'"):
        m = re.fullmatch(r"'((?:[^']|'')*)'(?:!(.*))?", text)
        if not m:
            raise ValueError(text)
        return m.group(1).replace("''", "'"), m.group(2)
    return tuple(text.split("!", 1)) if "!" in text else (None, text)


def parse_a1(a1):
    parts = a1.split(":")
    cells = [re.fullmatch(r"([A-Za-z]*)([1-9]\d*)?", p) for p in parts]
    if len(parts) > 2 or not all(cells) or not all(parts):
        raise ValueError(a1)
    (l0, d0), (l1, d1) = cells[0].groups(), cells[-1].groups()
    r0, c0 = (int(d0) - 1 if d0 else 0), (_col_index(l0) if l0 else 0)
    r1, c1 = (int(d1) if d1 else None), (_col_index(l1) + 1 if l1 else None)
    if (r1 is not None and r1 <= r0) or (c1 is not None and c1 <= c0):
        raise ValueError(a1)
    return r0, c0, r1, c1


def format_range(title, r0, c0, r1, c1):
    # Google quotes tab names only when they need it: Users!A1, 'Spin History'!A1.
    name = title if re.fullmatch(r"[A-Za-z_]\w*", title) else \
        "'" + title.replace("'", "''") + "'"
    start = f"{name}!{col_letters(c0)}{r0 + 1}"
    return start if (r1 - r0, c1 - c0) == (1, 1) else f"{start}:{col_letters(c1 - 1)}{r1}"


def _width(cells):
    """Number of cells up to the last non-empty one."""
    n = len(cells)
    while n and cells[n - 1] == "":
        n -= 1
    return n


def _trim(matrix):
    # Responses drop trailing empty cells in each row and trailing empty rows.
    out = [list(row[:_width(row)]) for row in matrix]
    while out and not out[-1]:
        out.pop()
    return out


def _cell_text(value, input_option="RAW"):
    if value is None:
        return None  # the API skips nulls and leaves the cell as it was
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    text = str(value)
    if input_option == "USER_ENTERED" and text.startswith("'"):
        return text[1:]  # a leading apostrophe forces text and is not stored
    return text


class SheetsFake:
    # (method, path shape, suffix) -> (Call.kind, handler method)
    _ROUTES = {
        ("GET", None, None): ("spreadsheets.get", "_get_spreadsheet"),
        ("POST", "batchUpdate", None): ("spreadsheets.batchUpdate", "_batch_update"),
        ("GET", "values:batchGet", None): ("values.batchGet", "_values_batch_get"),
        ("POST", "values:batchUpdate", None): ("values.batchUpdate", "_values_batch_update"),
        ("POST", "values:batchClear", None): ("values.batchClear", "_values_batch_clear"),
        ("GET", "values", None): ("values.get", "_values_get"),
        ("PUT", "values", None): ("values.update", "_values_update"),
        ("POST", "values", "append"): ("values.append", "_values_append"),
        ("POST", "values", "clear"): ("values.clear", "_values_clear"),
    }
    # gspread percent-encodes the whole range (":" included), so a literal ":"
    # after it can only be the :append / :clear verb.
    _PATH = re.compile(r"/v4/spreadsheets/([^/:]+)(?::(batchUpdate)|/(values:\w+)"
                       r"|/(values)/(.+?)(?::(append|clear))?)?")

    def __init__(self):
        self.calls = []
        self.max_body_bytes = 0  # tests assert payloads stay under Google's ~2 MB advice
        self._books, self._faults = {}, []
        self._lock = threading.RLock()
        self._server = self._thread = None

    # -- lifecycle
    def start(self):
        handler = type("Handler", (_Handler,), {"fake": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        # A short poll interval keeps stop() (and so each test's teardown) fast.
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.02}, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join()
            self._server = None

    __enter__ = start

    def __exit__(self, *exc):
        self.stop()

    @property
    def base_url(self):
        return "http://127.0.0.1:%d" % self._server.server_address[1]

    def client(self, timeout=10):
        """A real, anonymous gspread.Client talking to this fake."""
        http_client = functools.partial(BaseUrlHTTPClient, base_url=self.base_url)
        gc = gspread.Client(AnonymousCredentials(), http_client=http_client)
        gc.set_timeout(timeout)
        return gc

    # -- state, for tests
    def create_spreadsheet(self, spreadsheet_id, title="Untitled spreadsheet",
                           default_sheet="Sheet1"):
        with self._lock:
            self._books[spreadsheet_id] = _Book(spreadsheet_id, title)
            if default_sheet:  # real spreadsheets always have at least one tab
                self.add_sheet(spreadsheet_id, default_sheet)

    def add_sheet(self, spreadsheet_id, title, rows=(), row_count=1000, col_count=26):
        with self._lock:
            book = self._books[spreadsheet_id]
            book.sheets.append(_Sheet(book.next_sheet_id, title, row_count, col_count))
            book.next_sheet_id += 1
            self.set_values(spreadsheet_id, title, rows)
            return book.next_sheet_id - 1

    def set_values(self, spreadsheet_id, title, rows):
        """Replace a tab's content, as an admin editing or sorting it would."""
        with self._lock:
            sheet = self._sheet(spreadsheet_id, title)
            sheet.rows = [[_cell_text(v) or "" for v in row] for row in rows]
            sheet.grow(len(sheet.rows), max(map(len, sheet.rows), default=0))

    def titles(self, spreadsheet_id):
        with self._lock:
            return [sheet.title for sheet in self._books[spreadsheet_id].sheets]

    def delete_sheet(self, spreadsheet_id, title):
        """Remove a tab, as an admin deleting it would."""
        with self._lock:
            book = self._books[spreadsheet_id]
            book.sheets.remove(self._sheet(spreadsheet_id, title))

    def values(self, spreadsheet_id, title):
        with self._lock:
            return _trim(self._sheet(spreadsheet_id, title).rows)

    def _sheet(self, spreadsheet_id, title):
        sheet = self._books[spreadsheet_id].sheet(title)
        if sheet is None:
            raise KeyError(title)
        return sheet

    # -- call log and faults
    def reset_calls(self):
        with self._lock:
            self.calls.clear()
            self.max_body_bytes = 0

    def count(self, kind=None, sheet=None, failed=None):
        with self._lock:
            return sum(1 for c in self.calls if (kind is None or c.kind == kind)
                       and (sheet is None or sheet in c.sheets)
                       and (failed is None or c.failed == failed))

    def fail_next(self, n=1, status=429):
        self.fail_when(lambda call: True, status, times=n)

    def fail_when(self, predicate, status=429, times=None, after_apply=False):
        """Fail requests whose Call (kind and sheets filled in) matches; None = forever.

        after_apply=True applies the request and then answers the error: the
        client cannot tell whether it landed (a lost response, a killed worker).
        """
        with self._lock:
            self._faults.append([predicate, status, times, after_apply])

    def clear_faults(self):
        with self._lock:
            self._faults.clear()

    def _take_fault(self, call):
        """(status, after_apply) of the first matching fault, or (None, False)."""
        for fault in self._faults:
            predicate, status, times, after_apply = fault
            if times != 0 and predicate(call):
                fault[2] = None if times is None else times - 1
                return status, after_apply
        return None, False

    # -- HTTP entry point
    def handle(self, method, raw_path, raw_body):
        """Serve one request; returns (status, json_payload)."""
        path, _, query = raw_path.partition("?")
        params = {k: v[0] for k, v in parse_qs(query, keep_blank_values=True).items()}
        params["ranges"] = parse_qs(query).get("ranges", [])  # the only repeated param
        with self._lock:
            call = Call(method, unquote(path), body_bytes=len(raw_body))
            self.calls.append(call)
            self.max_body_bytes = max(self.max_body_bytes, len(raw_body))
            try:
                m = self._PATH.fullmatch(path)
                route = m and self._ROUTES.get(
                    (method, m.group(2) or m.group(3) or m.group(4), m.group(6)))
                book = m and self._books.get(m.group(1))
                rng = m and m.group(5) and unquote(m.group(5))
                try:
                    body = json.loads(raw_body) if raw_body else {}
                except ValueError:
                    raise SheetsApiError(400, "Invalid JSON payload received.") from None
                if route:
                    call.kind = route[0]
                    call.sheets = self._touched(book, rng, params, body) if book else ()
                status, after_apply = self._take_fault(call)
                if status and not after_apply:
                    raise SheetsApiError(status)
                if not route or not book:
                    raise SheetsApiError(404, "Requested entity was not found.")
                result = getattr(self, route[1])(book, rng, params, body)
                if status:
                    raise SheetsApiError(status)
                return 200, result
            except Exception as exc:
                # Even a bug in the fake answers, so the client under test never hangs.
                err = exc if isinstance(exc, SheetsApiError) else \
                    SheetsApiError(500, f"SheetsFake crashed: {exc!r}")
                call.status, call.failed = err.code, True
                return err.code, err.body()

    def _touched(self, book, rng, params, body):
        titles = []
        for req in body.get("requests", []):  # spreadsheets.batchUpdate
            for args in req.values():
                props = args.get("properties", args)
                sheet = book.sheet(sheet_id=props.get("sheetId", -1))
                titles.append(sheet.title if sheet else props.get("title"))
        ranges = [rng, *params["ranges"], *body.get("ranges", []),
                  *(d.get("range") for d in body.get("data", []))]
        for text in filter(None, ranges):
            try:
                titles.append(self._resolve(book, text)[0].title)
            except SheetsApiError:
                pass  # the handler reports the bad range
        return tuple(dict.fromkeys(filter(None, titles)))

    def _resolve(self, book, text):
        """Range text -> (sheet, r0, c0, r1 | None, c1 | None, is_single_cell)."""
        try:
            name, a1 = split_range(text)
            if name is None and book.sheet(text):
                name, a1 = text, None  # a bare tab name means the whole tab
            sheet = book.sheet(name) if name is not None else book.sheets[0]
            box = parse_a1(a1) if a1 else (0, 0, None, None)
        except (ValueError, IndexError):
            sheet = None
        if sheet is None:
            raise SheetsApiError(400, f"Unable to parse range: {text}")
        return (sheet, *box, bool(a1) and ":" not in a1)

    def _grid_error(self, text, sheet):
        return SheetsApiError(400, f"Range ({text}) exceeds grid limits. Max rows: "
                                   f"{sheet.row_count}, max columns: {sheet.col_count}")

    def _box(self, book, text):
        """Range for reading/clearing -> (sheet, r0, c0, r1, c1), ends made concrete."""
        sheet, r0, c0, r1, c1, _ = self._resolve(book, text)
        r1, c1 = r1 or sheet.row_count, c1 or sheet.col_count
        if r1 > sheet.row_count or c1 > sheet.col_count or r0 >= r1 or c0 >= c1:
            raise self._grid_error(text, sheet)
        return sheet, r0, c0, r1, c1

    # -- spreadsheets.*
    def _get_spreadsheet(self, book, _rng, _params, _body):
        # `fields` and `includeGridData` are ignored: metadata is always returned.
        return {"spreadsheetId": book.id,
                "properties": {"title": book.title, "locale": "en_US", "timeZone": "Etc/GMT"},
                "sheets": [{"properties": s.properties(i)} for i, s in enumerate(book.sheets)]}

    def _batch_update(self, book, _rng, _params, body):
        # Google applies a batch atomically, so work on a copy and swap it in.
        work, replies = copy.deepcopy(book), []
        for req in body.get("requests", []):
            (name, args), = req.items()
            op = getattr(self, "_req_" + name, None)
            if op is None:
                raise SheetsApiError(400, f"SheetsFake does not implement '{name}'")
            replies.append(op(work, args) or {})
        self._books[book.id] = work
        return {"spreadsheetId": book.id, "replies": replies}

    def _check_title(self, book, title, sheet=None):
        if book.sheet(title) not in (None, sheet):
            raise SheetsApiError(400, f'A sheet with the name "{title}" already exists. '
                                      'Please enter another name.')

    def _req_addSheet(self, book, args):
        props = args.get("properties", {})
        title = props.get("title") or f"Sheet{len(book.sheets) + 1}"
        self._check_title(book, title)
        grid = props.get("gridProperties", {})
        sheet = _Sheet(props.get("sheetId", book.next_sheet_id), title,
                       grid.get("rowCount", 1000), grid.get("columnCount", 26))
        book.next_sheet_id = max(book.next_sheet_id, sheet.sheet_id) + 1
        index = min(props.get("index", len(book.sheets)), len(book.sheets))
        book.sheets.insert(index, sheet)
        return {"addSheet": {"properties": sheet.properties(index)}}

    def _req_updateSheetProperties(self, book, args):
        props = args.get("properties", {})
        sheet = book.sheet_by_id(props.get("sheetId", 0))
        if "title" in props:
            self._check_title(book, props["title"], sheet)
            sheet.title = props["title"]
        if "index" in props:
            book.sheets.remove(sheet)
            book.sheets.insert(props["index"], sheet)
        grid = props.get("gridProperties", {})
        sheet.row_count = grid.get("rowCount", sheet.row_count)
        sheet.col_count = grid.get("columnCount", sheet.col_count)
        # Shrinking the grid deletes the data outside it.
        sheet.rows = [row[:sheet.col_count] for row in sheet.rows[:sheet.row_count]]

    def _req_appendDimension(self, book, args):
        sheet = book.sheet_by_id(args.get("sheetId"))
        if args.get("dimension") == "COLUMNS":
            sheet.col_count += args.get("length", 0)
        else:
            sheet.row_count += args.get("length", 0)

    def _req_deleteSheet(self, book, args):
        sheet = book.sheet_by_id(args.get("sheetId"))
        if len(book.sheets) == 1:
            raise SheetsApiError(400, "You can't remove all the sheets in a document.")
        book.sheets.remove(sheet)

    # -- values.*
    def _read(self, book, text, dimension):
        sheet, r0, c0, r1, c1 = self._box(book, text)
        rows = [row[c0:c1] for row in sheet.rows[r0:r1]]
        if dimension == "COLUMNS":
            rows = [[row[c] if c < len(row) else "" for row in rows]
                    for c in range(max(map(len, rows), default=0))]
        result = {"range": format_range(sheet.title, r0, c0, r1, c1), "majorDimension": dimension}
        if _trim(rows):  # like Google, an empty range has no "values" key at all
            result["values"] = _trim(rows)
        return result

    def _values_get(self, book, rng, params, _body):
        return self._read(book, rng, params.get("majorDimension", "ROWS"))

    def _values_batch_get(self, book, _rng, params, _body):
        dimension = params.get("majorDimension", "ROWS")
        return {"spreadsheetId": book.id,
                "valueRanges": [self._read(book, r, dimension) for r in params["ranges"]]}

    def _plan_write(self, book, text, data, input_option):
        """Validate one write before anything is applied; returns (sheet, r0, c0, matrix)."""
        if data.get("majorDimension") not in (None, "ROWS"):
            raise SheetsApiError(400, "SheetsFake only implements ROWS writes")
        matrix = [[_cell_text(v, input_option) for v in row] for row in data.get("values") or []]
        sheet, r0, c0, r1, c1, single_cell = self._resolve(book, text)
        r_end, c_end = r0 + len(matrix), c0 + max(map(len, matrix), default=0)
        if single_cell:  # a single cell is only an anchor for the values
            r1 = c1 = None
        if (r1 and r_end > r1) or (c1 and c_end > c1):
            where = f"row [{r_end}]" if r1 and r_end > r1 else f"column [{col_letters(c_end - 1)}]"
            raise SheetsApiError(400, f"Requested writing within range [{text}], "
                                      f"but tried writing to {where}")
        if (max(r_end, r0 + 1, r1 or 0) > sheet.row_count
                or max(c_end, c0 + 1, c1 or 0) > sheet.col_count):
            raise self._grid_error(text, sheet)
        return sheet, r0, c0, matrix

    def _write(self, book, sheet, r0, c0, matrix):
        height, width = len(matrix), max(map(len, matrix), default=0)
        sheet.grow(r0 + height, c0 + width)
        sheet.rows.extend([] for _ in range(r0 + height - len(sheet.rows)))
        for values, row in zip(matrix, sheet.rows[r0:], strict=False):
            for c, value in enumerate(values, start=c0):
                if value is not None:
                    row.extend([""] * (c + 1 - len(row)))
                    row[c] = value
        return {"spreadsheetId": book.id, "updatedRows": height, "updatedColumns": width,
                "updatedRange": format_range(sheet.title, r0, c0, r0 + max(height, 1),
                                             c0 + max(width, 1)),
                "updatedCells": sum(v is not None for values in matrix for v in values)}

    def _values_update(self, book, rng, params, body):
        plan = self._plan_write(book, rng, body, params.get("valueInputOption", "RAW"))
        return self._write(book, *plan)

    def _values_batch_update(self, book, _rng, _params, body):
        option = body.get("valueInputOption") or "RAW"
        plans = [self._plan_write(book, d.get("range", ""), d, option)
                 for d in body.get("data", [])]
        responses = [self._write(book, *plan) for plan in plans]
        totals = {f"totalUpdated{k}": sum(r[f"updated{k}"] for r in responses)
                  for k in ("Rows", "Columns", "Cells")}
        return {"spreadsheetId": book.id, **totals, "responses": responses,
                "totalUpdatedSheets": len({plan[0].title for plan in plans})}

    def _values_append(self, book, rng, params, body):
        sheet, r0, c0, _r1, c1, single_cell = self._resolve(book, rng)
        option = params.get("valueInputOption", "RAW")
        matrix = [[_cell_text(v, option) for v in row] for row in body.get("values") or []]
        # Simplified table detection: every row from the range's start down
        # with data in its columns (Google extends a table past the range's
        # end); the new rows go right after the last such row.
        c1 = None if single_cell else c1
        widths = {i: _width(row[c0:c1]) for i, row in enumerate(sheet.rows) if i >= r0}
        used = [i for i, w in widths.items() if w]
        start = used[-1] + 1 if used else r0
        result = {"spreadsheetId": book.id}
        if used:
            result["tableRange"] = format_range(sheet.title, used[0], c0, start,
                                                c0 + max(widths.values()))
        if params.get("insertDataOption") == "INSERT_ROWS":
            sheet.rows[start:start] = [[] for _ in matrix] if start < len(sheet.rows) else []
            sheet.row_count += len(matrix)
        # Unlike update, append grows the grid instead of failing.
        result["updates"] = self._write(book, sheet, start, c0, matrix)
        return result

    def _clear(self, book, text):
        sheet, r0, c0, r1, c1 = self._box(book, text)
        for row in sheet.rows[r0:r1]:
            row[c0:c1] = [""] * len(row[c0:c1])
        return format_range(sheet.title, r0, c0, r1, c1)

    def _values_clear(self, book, rng, _params, _body):
        return {"spreadsheetId": book.id, "clearedRange": self._clear(book, rng)}

    def _values_batch_clear(self, book, _rng, _params, body):
        ranges = body.get("ranges", [])
        for text in ranges:
            self._box(book, text)  # validate everything first: the batch is atomic
        return {"spreadsheetId": book.id, "clearedRanges": [self._clear(book, r) for r in ranges]}


class _Handler(BaseHTTPRequestHandler):
    fake = None  # set per server by SheetsFake.start()

    def _serve(self):
        length = int(self.headers.get("Content-Length") or 0)
        status, payload = self.fake.handle(self.command, self.path, self.rfile.read(length))
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_PUT = do_POST = do_PATCH = do_DELETE = _serve

    def log_message(self, *args):
        pass  # keep pytest output quiet


class BaseUrlHTTPClient(gspread.http_client.HTTPClient):
    """Sends gspread's calls to base_url (test helper; production has its own in sync/).

    gspread hardcodes https://sheets.googleapis.com in every URL, so the prefix
    is swapped per request and the /v4/spreadsheets/... path is kept.
    """

    base_url = GOOGLE_ROOT

    def __init__(self, auth, session=None, base_url=None):
        super().__init__(auth or AnonymousCredentials(), session)
        self.base_url = (base_url or self.base_url).rstrip("/")
        # A local fake must not be reached through an HTTP(S)_PROXY from the env.
        self.session.trust_env = False

    def request(self, method, endpoint, *args, **kwargs):
        # Drive URLs (client.open(title), creationTime, sharing...) are also sent
        # here, so tests get a 404 from the fake instead of touching the network.
        for root in (GOOGLE_ROOT, "https://www.googleapis.com"):
            if endpoint.startswith(root):
                endpoint = self.base_url + endpoint[len(root):]
        return super().request(method, endpoint, *args, **kwargs)
