"""In-memory fake of the Telegram Bot API, served over real HTTP on 127.0.0.1.

A real python-telegram-bot ``Application`` talks to it via ``ApplicationBuilder().token(fake.token)
.base_url(fake.base_url).base_file_url(fake.base_file_url)``; tests act as users via ``fake.user(...)``.

Times are ``time.monotonic()``. Every observable change (queued update, bot message sent or edited,
API call) takes the next number of one global sequence, its ``seq``. A "mark" is such a number and
``after=`` accepts a mark or anything with a ``seq``, meaning "strictly newer than that".
"""

from __future__ import annotations

import dataclasses
import email.parser
import email.policy
import html
import itertools
import json
import re
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from collections.abc import Callable
from urllib.parse import parse_qsl, unquote, urlsplit

# PTB sends these as bare strings and everything else JSON-encoded (ints, bools,
# reply_markup); JSON-decoding a text of "123" would wrongly turn it into an int.
_STRING_PARAMS = {"text", "caption", "parse_mode", "callback_query_id", "photo", "file_id", "url",
                  "inline_message_id", "language_code", "description", "short_description", "name"}
_TG_HTML_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler",
                 "a", "code", "pre", "blockquote", "tg-emoji"}
_HTML_TAG = re.compile(r"<(/?)([a-zA-Z][\w-]*)[^>]*>")


class ApiError(Exception):
    """An error reply shaped like Telegram's. PTB picks its exception class from the HTTP status."""

    def __init__(self, code: int, description: str, retry_after: int | None = None):
        super().__init__(description)
        self.code, self.description = code, description
        self.body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
        if retry_after is not None:
            self.body["parameters"] = {"retry_after": retry_after}


@dataclass(frozen=True)
class ChatMessage:
    """A message as it currently is. Edits store a new record, so instances are safe snapshots."""

    message_id: int
    from_bot: bool
    text: str | None  # text, or a photo's caption, as the user sees it (HTML tags stripped)
    raw_text: str | None = None  # exactly what the bot sent
    parse_mode: str | None = None
    photo: str | None = None  # file_id of the largest size
    reply_markup: dict | None = None  # as last sent by the bot: inline, reply keyboard or removal
    seq: int = 0  # of the send or latest edit
    changed_at: float = 0.0
    date: int = 0
    edited: bool = False

    @property
    def buttons(self) -> list[list[str]]:
        """Inline button labels, row by row."""
        return [[b["text"] for b in row] for row in (self.reply_markup or {}).get("inline_keyboard", [])]


@dataclass
class QueuedUpdate:
    update_id: int
    payload: dict
    seq: int
    queued_at: float
    handed_out_at: float | None = None  # latest getUpdates reply that carried it


@dataclass(frozen=True)
class ApiCall:
    method: str
    params: dict
    files: dict  # multipart field name -> uploaded bytes
    received_at: float
    seq: int
    error: str | None = None  # description of the error reply, if any


Mark = int | QueuedUpdate | ChatMessage | ApiCall | None


def _floor(after: Mark) -> int:
    return -1 if after is None else getattr(after, "seq", after)


def _without_none(**fields) -> dict:
    return {k: v for k, v in fields.items() if v is not None}


def _visible(text: str | None, parse_mode: str | None) -> str | None:
    """What the user sees. Telegram rejects unknown or unbalanced HTML tags, so a bot that forgets
    html.escape() on a player's name must fail here too. Markdown is kept as sent."""
    if text is None or (parse_mode or "").upper() != "HTML":
        return text
    open_tags: list[str] = []
    for closing, tag in _HTML_TAG.findall(text):
        if tag.lower() not in _TG_HTML_TAGS:
            raise ApiError(400, f'Bad Request: can\'t parse entities: Unsupported start tag "{tag}"')
        if not closing:
            open_tags.append(tag.lower())
        elif not open_tags or open_tags.pop() != tag.lower():
            raise ApiError(400, f'Bad Request: can\'t parse entities: Unmatched end tag "{tag}"')
    if open_tags:
        raise ApiError(400, f"Bad Request: can't parse entities: Can't find end tag corresponding to "
                            f"start tag \"{open_tags[-1]}\"")
    return html.unescape(_HTML_TAG.sub("", text))


def _parse_request(query: str, content_type: str, body: bytes) -> tuple[dict, dict]:
    """PTB posts application/x-www-form-urlencoded, or multipart/form-data when it uploads a file."""
    pairs, files = parse_qsl(query), {}
    if content_type.startswith("multipart/form-data"):
        head = f"Content-Type: {content_type}\r\n\r\n".encode()
        for part in email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body).iter_parts():
            name, content = part.get_param("name", header="content-disposition"), part.get_payload(decode=True)
            if part.get_filename() is not None:
                files[name] = content
            else:
                pairs.append((name, content.decode()))
    elif body:
        pairs += parse_qsl(body.decode(), keep_blank_values=True)
    params = {}
    for key, value in pairs:
        try:
            params[key] = value if key in _STRING_PARAMS else json.loads(value)
        except ValueError:
            params[key] = value  # e.g. chat_id="@channel"
    return params, files


class FakeUser:
    """A Telegram user and their private chat with the bot (chat id == user id).

    Actions return the QueuedUpdate, which doubles as a mark for ``wait_for(after=...)``.
    """

    def __init__(self, fake: TelegramFake, telegram_id: int, first_name: str, username: str | None,
                 language_code: str | None):
        self.fake, self.id, self.first_name = fake, telegram_id, first_name
        self.username, self.language_code = username, language_code
        self._messages: dict[int, ChatMessage] = {}  # both directions, like the real chat
        self._next_message_id = 1
        self._reply_keyboard: list[list[str]] | None = None

    def as_user(self) -> dict:
        return _without_none(id=self.id, is_bot=False, first_name=self.first_name, username=self.username,
                             language_code=self.language_code)

    def as_chat(self) -> dict:
        return _without_none(id=self.id, type="private", first_name=self.first_name, username=self.username)

    # Acting as the user.

    def send(self, text: str) -> QueuedUpdate:
        return self.fake._user_message(self, text)

    def send_photo(self, file_id: str = "AgACAgIAAxkBAAIfake", caption: str | None = None,
                   content: bytes | None = None) -> QueuedUpdate:
        """``content`` is what getFile + download will return for ``file_id``."""
        return self.fake._user_message(self, caption, photo=file_id, content=content)

    def send_document(self, file_id: str, content: bytes, *, file_name: str = "slip.png",
                      mime_type: str = "image/png", caption: str | None = None) -> QueuedUpdate:
        """An image sent as a file (not compressed by Telegram); getFile + download return ``content``."""
        return self.fake._user_message(self, caption, document={"file_id": file_id, "file_name": file_name,
                                                                 "mime_type": mime_type}, content=content)

    def press(self, message: ChatMessage | int, data: str) -> QueuedUpdate:
        return self.fake._callback_query(self, getattr(message, "message_id", message), data)

    def press_button(self, text: str, message: ChatMessage | int | None = None) -> QueuedUpdate:
        """Press an inline button by label on the newest message with an inline keyboard (or on ``message``)."""
        with self.fake._cond:
            wanted = getattr(message, "message_id", message)
            msgs = [m for m in self.messages() if m.buttons and wanted in (None, m.message_id)]
            rows = msgs[-1].reply_markup["inline_keyboard"] if msgs else []
            data = next((b.get("callback_data") for row in rows for b in row if b["text"] == text), None)
            if data is None:
                raise AssertionError(f"no inline button {text!r} on the latest keyboard\n{self.transcript()}")
            return self.press(msgs[-1], data)

    # Observing the chat.

    def mark(self) -> int:
        return self.fake.mark()

    def block_bot(self) -> None:
        """From now on the bot's messages to this user are refused, as Telegram does once they block it."""
        with self.fake._cond:
            self.fake.blocked.add(self.id)

    def messages(self) -> list[ChatMessage]:
        """Bot messages still in the chat, oldest first, edits applied."""
        with self.fake._cond:
            return [m for m in self._messages.values() if m.from_bot]

    def last_message(self) -> ChatMessage | None:
        return (self.messages() or [None])[-1]

    def reply_keyboard(self) -> list[list[str]] | None:
        with self.fake._cond:
            return self._reply_keyboard

    def wait_for(self, predicate: Callable[[ChatMessage], bool], timeout: float = 10,
                 after: Mark = None) -> ChatMessage:
        """The first bot message, in chat order, sent or edited after ``after`` that matches."""
        floor = _floor(after)
        return self.fake._wait(lambda: next((m for m in self.messages() if m.seq > floor and predicate(m)), None),
                               timeout, lambda: f"no matching bot message after mark {floor}\n{self.transcript()}")

    def wait_for_text(self, substring: str, timeout: float = 10, after: Mark = None) -> ChatMessage:
        return self.wait_for(lambda m: substring in (m.text or ""), timeout, after)

    def transcript(self) -> str:
        with self.fake._cond:
            lines = [f"--- chat with {self.first_name} ({self.id}), mark now {self.fake._last_seq} ---"]
            for m in self._messages.values():
                extra = (f" [photo {m.photo}]" if m.photo else "") + (f" buttons={m.buttons}" if m.buttons else "")
                who = "bot " if m.from_bot else "user"
                lines.append(f"#{m.message_id} seq={m.seq} {who}: {m.text!r}{extra}{' (edited)' * m.edited}")
            return "\n".join(lines)


class TelegramFake:
    def __init__(self, bot_token: str = "123:ABC", bot_username: str = "fake_bot"):
        self.token = bot_token
        self.bot_user = {"id": int(bot_token.split(":")[0]), "is_bot": True, "first_name": "Fake Bot",
                         "username": bot_username, "can_join_groups": True,
                         "can_read_all_group_messages": False, "supports_inline_queries": False}
        # One re-entrant lock guards all state; its condition wakes long polls and test waiters.
        self._cond = threading.Condition(threading.RLock())
        self._seq, self._last_seq = itertools.count(1), 0
        self._update_ids = itertools.count(1)
        self._ids = itertools.count(1)  # callback query ids, uploaded file ids
        self._users: dict[int, FakeUser] = {}
        self._pending: list[QueuedUpdate] = []  # not yet confirmed through getUpdates' offset
        self._calls: list[ApiCall] = []
        self._faults: dict[str, deque[ApiError]] = defaultdict(deque)
        self._files: dict[str, bytes] = {}  # file_id -> content
        self._open_queries: set[str] = set()
        self._poll_generation = 0
        self._stopping = False
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.updates: list[QueuedUpdate] = []
        self.commands: dict[str, list] = {}  # json [scope, language_code] -> commands
        self.unauthorized = 0  # requests made with another bot token
        self.blocked: set[int] = set()  # users who blocked the bot: sending to them answers 403

    def start(self) -> TelegramFake:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = False  # so server_close() joins every handler thread
        self._server.fake = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), name="telegram-fake")
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        with self._cond:
            self._stopping = True  # frees long polls whose client has already gone away
            self._cond.notify_all()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
        self._server = self._thread = None

    def __enter__(self) -> TelegramFake:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/file/bot"

    # Test-facing API.

    def user(self, telegram_id: int, first_name: str = "User", username: str | None = None,
             language_code: str | None = "en") -> FakeUser:
        with self._cond:
            return self._users.setdefault(telegram_id,
                                          FakeUser(self, telegram_id, first_name, username, language_code))

    @property
    def requests(self) -> list[ApiCall]:
        with self._cond:
            return list(self._calls)

    def count(self, method: str) -> int:
        return sum(c.method.lower() == method.lower() for c in self.requests)

    def mark(self) -> int:
        with self._cond:
            return self._last_seq

    def wait_for_call(self, method: str, timeout: float = 10, after: Mark = None) -> ApiCall:
        floor, name = _floor(after), method.lower()
        return self._wait(lambda: next((c for c in self._calls if c.seq > floor and c.method.lower() == name), None),
                          timeout, lambda: f"no {method} call after mark {floor}: {[c.method for c in self._calls]}")

    def _wait(self, found: Callable[[], Any], timeout: float, explain: Callable[[], str]) -> Any:
        with self._cond:
            if not self._cond.wait_for(found, timeout):
                raise AssertionError(f"timed out after {timeout}s: {explain()}")
            return found()

    def fail_next(self, method: str, n: int = 1, error_code: int = 429, retry_after: int | None = None,
                  description: str | None = None) -> None:
        """Answer the next ``n`` calls of ``method`` with this error instead of serving them."""
        if error_code == 429:
            retry_after = retry_after or 1
            description = description or f"Too Many Requests: retry after {retry_after}"
        with self._cond:
            self._faults[method.lower()].extend(
                ApiError(error_code, description or f"Injected error {error_code}", retry_after) for _ in range(n))

    # Simulated user activity; all callers hold the lock.

    def _next_seq(self) -> int:
        self._last_seq = next(self._seq)
        return self._last_seq

    def _queue(self, payload: dict) -> QueuedUpdate:
        update_id = next(self._update_ids)
        update = QueuedUpdate(update_id, {"update_id": update_id, **payload}, self._next_seq(), time.monotonic())
        self._pending.append(update)
        self.updates.append(update)
        self._cond.notify_all()
        return update

    def _store(self, user: FakeUser, **fields) -> ChatMessage:
        # Message ids are per chat and shared by both sides, as in a real private chat.
        msg = ChatMessage(message_id=user._next_message_id, seq=self._next_seq(), changed_at=time.monotonic(),
                          date=int(time.time()), **fields)
        user._next_message_id += 1
        user._messages[msg.message_id] = msg
        self._cond.notify_all()
        return msg

    def _user_message(self, user: FakeUser, text: str | None, photo: str | None = None,
                      content: bytes | None = None, document: dict | None = None) -> QueuedUpdate:
        with self._cond:
            if photo and (content is not None or photo not in self._files):
                self._files[photo] = content if content is not None else _placeholder_jpeg(photo)
            if document:
                self._files[document["file_id"]] = content
            msg = self._store(user, from_bot=False, text=text, raw_text=text, photo=photo)
            update = self._message_json(user, msg)
            if document:
                update["document"] = {**document, "file_unique_id": f"u{document['file_id']}",
                                      "file_size": len(content)}
                if text is not None:
                    update["caption"] = update.pop("text", text)
                update.pop("entities", None)
            return self._queue({"message": update})

    def _callback_query(self, user: FakeUser, message_id: int, data: str) -> QueuedUpdate:
        with self._cond:
            if message_id not in user._messages:
                raise AssertionError(f"message #{message_id} is not in the chat\n{user.transcript()}")
            query_id = f"{user.id}{next(self._ids)}"
            self._open_queries.add(query_id)
            return self._queue({"callback_query": {
                "id": query_id, "from": user.as_user(), "chat_instance": str(-user.id), "data": data,
                "message": self._message_json(user, user._messages[message_id])}})

    def _message_json(self, user: FakeUser, msg: ChatMessage) -> dict:
        out: dict[str, Any] = {"message_id": msg.message_id, "date": msg.date, "chat": user.as_chat(),
                               "from": self.bot_user if msg.from_bot else user.as_user()}
        if msg.photo:
            out["photo"] = [{"file_id": msg.photo, "file_unique_id": f"u{msg.photo}", "width": 1280,
                             "height": 960, "file_size": len(self._files[msg.photo])}]
        if msg.text is not None:
            out["caption" if msg.photo else "text"] = msg.text
        if msg.text and msg.text.startswith("/") and not msg.photo:
            # CommandHandler only matches a bot_command entity at offset 0
            out["entities"] = [{"type": "bot_command", "offset": 0, "length": len(msg.text.split()[0])}]
        if msg.reply_markup and "inline_keyboard" in msg.reply_markup:
            out["reply_markup"] = msg.reply_markup  # Telegram echoes inline keyboards only
        if msg.edited:
            out["edit_date"] = int(time.time())
        return out

    # HTTP entry point.

    def _handle(self, path: str, query: str, content_type: str, body: bytes) -> tuple[int, str, bytes]:
        received_at = time.monotonic()
        prefix, _, method = path.rpartition("/")
        try:
            if prefix == f"/file/bot{self.token}/photos":  # downloads of getFile's file_path
                with self._cond:
                    if method.removesuffix(".jpg") in self._files:
                        return 200, "image/jpeg", self._files[method.removesuffix(".jpg")]
                raise ApiError(404, "Not Found")
            if prefix != f"/bot{self.token}":
                with self._cond:
                    self.unauthorized += 1
                raise ApiError(401, "Unauthorized")
            params, files = _parse_request(query, content_type, body)
            status, reply = 200, {"ok": True, "result": self._call(method, params, files, received_at)}
        except ApiError as err:
            status, reply = err.code, err.body
        return status, "application/json", json.dumps(reply).encode()

    def _call(self, method: str, params: dict, files: dict, received_at: float) -> Any:
        with self._cond:
            error = None
            try:
                handler, faults = getattr(self, f"_api_{method.lower()}", None), self._faults[method.lower()]
                if faults:
                    raise faults.popleft()
                if handler is None:
                    raise ApiError(404, "Not Found: method not found")
                return handler(params, files)
            except ApiError as err:
                error = err.description
                raise
            finally:
                self._calls.append(ApiCall(method, params, files, received_at, self._next_seq(), error))
                self._cond.notify_all()

    def _chat(self, params: dict) -> FakeUser:
        user = self._users.get(params.get("chat_id"))
        if user is None:
            raise ApiError(400, "Bad Request: chat not found")
        return user

    def _apply_markup(self, user: FakeUser, markup: dict | None) -> None:
        if any(len(b.get("callback_data", "").encode()) > 64 for row in (markup or {}).get("inline_keyboard", [])
               for b in row):
            raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        if markup and "keyboard" in markup:
            user._reply_keyboard = [[b if isinstance(b, str) else b["text"] for b in row] for row in markup["keyboard"]]
        elif markup and markup.get("remove_keyboard"):
            user._reply_keyboard = None

    def _send(self, params: dict, text: str | None, photo: str | None = None) -> dict:
        user = self._chat(params)
        if user.id in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        visible = _visible(text, params.get("parse_mode"))
        self._apply_markup(user, params.get("reply_markup"))
        msg = self._store(user, from_bot=True, text=visible, raw_text=text, photo=photo,
                          parse_mode=params.get("parse_mode"), reply_markup=params.get("reply_markup"))
        return self._message_json(user, msg)

    def _edit(self, params: dict, **changes) -> dict:
        user = self._chat(params)
        old = user._messages.get(params.get("message_id"))
        if old is None or not old.from_bot:
            raise ApiError(400, "Bad Request: message to edit not found")
        # Omitting reply_markup in an edit removes the inline keyboard on Telegram too.
        changes["reply_markup"] = params.get("reply_markup")
        if "raw_text" in changes:
            changes.update(parse_mode=params.get("parse_mode"), text=_visible(changes["raw_text"],
                                                                              params.get("parse_mode")))
        if all(getattr(old, k) == v for k, v in changes.items()):
            raise ApiError(400, "Bad Request: message is not modified: specified new message content and reply "
                                "markup are exactly the same as a current content and reply markup of the message")
        self._apply_markup(user, changes["reply_markup"])
        new = dataclasses.replace(old, **changes, seq=self._next_seq(), changed_at=time.monotonic(), edited=True)
        user._messages[new.message_id] = new
        return self._message_json(user, new)

    # Bot API methods, called with the lock held.

    def _api_getme(self, params, files):
        return self.bot_user

    def _api_getupdates(self, params, files):
        if params.get("offset"):  # an offset confirms every update below it
            self._pending = [u for u in self._pending if u.update_id >= params["offset"]]
        self._poll_generation += 1
        generation = self._poll_generation
        self._cond.notify_all()
        self._cond.wait_for(lambda: self._pending or self._stopping or self._poll_generation != generation,
                            float(params.get("timeout") or 0))
        if self._poll_generation != generation:
            # Like Telegram: a newer poll ends this one. Usually its client already gave up.
            raise ApiError(409, "Conflict: terminated by other getUpdates request; "
                                "make sure that only one bot instance is running")
        batch = self._pending[: params.get("limit") or 100]
        for update in batch:
            update.handed_out_at = time.monotonic()
        return [u.payload for u in batch]

    def _api_deletewebhook(self, params, files):
        if params.get("drop_pending_updates"):
            self._pending.clear()
        return True

    def _api_setmycommands(self, params, files):
        self.commands[json.dumps([params.get("scope"), params.get("language_code")])] = params["commands"]
        return True

    def _api_getmycommands(self, params, files):
        return self.commands.get(json.dumps([params.get("scope"), params.get("language_code")]), [])

    def _api_sendmessage(self, params, files):
        text = str(params.get("text", ""))
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if len(text) > 4096:
            raise ApiError(400, "Bad Request: message is too long")
        return self._send(params, text)

    def _api_sendphoto(self, params, files):
        photo = params.get("photo") or ""
        upload = files.get(photo.removeprefix("attach://")) if photo.startswith("attach://") else files.get("photo")
        if upload is not None:
            photo = f"AgACfake{next(self._ids)}"
            self._files[photo] = upload
        elif not photo:
            raise ApiError(400, "Bad Request: there is no photo in the request")
        self._files.setdefault(photo, b"fake-jpeg")  # a file_id the test never registered
        if len(params.get("caption") or "") > 1024:
            raise ApiError(400, "Bad Request: message caption is too long")
        return self._send(params, params.get("caption"), photo=photo)

    def _api_editmessagetext(self, params, files):
        return self._edit(params, raw_text=str(params.get("text", "")))

    def _api_editmessagecaption(self, params, files):
        return self._edit(params, raw_text=params.get("caption"))

    def _api_editmessagereplymarkup(self, params, files):
        return self._edit(params)

    def _api_answercallbackquery(self, params, files):
        # Each query can be answered once; answering late or twice is a bot bug Telegram rejects.
        if params.get("callback_query_id") not in self._open_queries:
            raise ApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
        self._open_queries.discard(params["callback_query_id"])
        return True

    def _api_deletemessage(self, params, files):
        if self._chat(params)._messages.pop(params.get("message_id"), None) is None:
            raise ApiError(400, "Bad Request: message to delete not found")
        return True

    def _api_getfile(self, params, files):
        file_id = params.get("file_id")
        if file_id not in self._files:
            raise ApiError(400, "Bad Request: invalid file_id")
        return {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_size": len(self._files[file_id]),
                "file_path": f"photos/{file_id}.jpg"}

    def _api_close(self, params, files):
        return True

    _api_logout = _api_close


class _Handler(BaseHTTPRequestHandler):
    # HTTP/1.0 closes every connection after one reply, so no idle keep-alive
    # connection can hold a handler thread (and stop()) hostage.
    protocol_version = "HTTP/1.0"

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        # PTB percent-encodes file download paths, so the token's ':' arrives as %3A.
        status, content_type, payload = self.server.fake._handle(  # type: ignore[attr-defined]
            unquote(url.path), url.query, self.headers.get("Content-Type", ""), body)
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # PTB abandons its long poll when it stops; nobody is listening any more

    do_GET = do_POST

    def log_message(self, format, *args) -> None:
        pass  # keep test output readable


def _placeholder_jpeg(file_id: str) -> bytes:
    """A real (tiny) JPEG naming its file id, for photos a test gives no content: the backend decodes slips."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (320, 240), "white")
    ImageDraw.Draw(image).text((10, 10), file_id, fill="black")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()
