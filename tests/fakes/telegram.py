"""In-memory fake of the Telegram Bot API, served over real HTTP on 127.0.0.1.

A real python-telegram-bot ``Application`` talks to it through
``ApplicationBuilder().token(fake.token).base_url(fake.base_url)
.base_file_url(fake.base_file_url)``, while tests act as Telegram users through
``fake.user(...)`` handles and watch what the bot sends back.

All times are ``time.monotonic()`` values so tests can subtract them safely.
Every change the bot can observe or cause (queued update, sent/edited/deleted
message, API call) takes the next value of one global sequence number; a
"mark" is such a number, and ``after=mark`` means "strictly newer than that".
"""

from __future__ import annotations

import dataclasses
import email.parser
import email.policy
import itertools
import json
import threading
import time
import traceback
from collections import defaultdict, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import parse_qsl, unquote, urlsplit

# Parameters whose form value is the string itself; every other value arrives
# JSON-encoded from PTB (ints, bools, reply_markup...). Decoding "123" as JSON
# for these would turn a message text into an int.
_STRING_PARAMS = {
    "text", "caption", "parse_mode", "callback_query_id", "photo", "file_id",
    "url", "inline_message_id", "language_code", "description", "short_description",
    "name", "message_effect_id", "business_connection_id",
}
_TG_HTML_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler",
    "a", "code", "pre", "blockquote", "tg-emoji",
}
_CONFLICT = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
_DEFAULT_ERRORS = {
    400: "Bad Request: injected failure",
    403: "Forbidden: bot was blocked by the user",
    429: "Too Many Requests: retry after {retry_after}",
    500: "Internal Server Error",
    502: "Bad Gateway",
}


class ApiError(Exception):
    """An error response, shaped exactly like Telegram's; PTB maps the HTTP status to its exception type."""

    def __init__(self, code: int, description: str, retry_after: int | None = None):
        super().__init__(description)
        self.code, self.description, self.retry_after = code, description, retry_after

    def body(self) -> dict:
        body: dict[str, Any] = {"ok": False, "error_code": self.code, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


@dataclass(frozen=True)
class ChatMessage:
    """One message in a private chat as it currently is. Edits replace the record, so it is a safe snapshot."""

    message_id: int
    from_bot: bool
    text: str | None  # text, or caption of a photo, as the user sees it (HTML tags stripped)
    raw_text: str | None = None  # exactly what the bot sent, markup included
    parse_mode: str | None = None
    photo: str | None = None  # file_id of the largest size
    reply_markup: dict | None = None
    seq: int = 0  # sequence number of the send or latest edit
    changed_at: float = 0.0
    date: int = 0
    edited: bool = False

    @property
    def buttons(self) -> list[list[str]]:
        """Inline keyboard button texts, row by row ([] without an inline keyboard)."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [[b["text"] for b in row] for row in rows]

    def button_data(self, text: str) -> str | None:
        for row in (self.reply_markup or {}).get("inline_keyboard", []):
            for button in row:
                if button.get("text") == text:
                    return button.get("callback_data")
        return None


@dataclass
class QueuedUpdate:
    update_id: int
    payload: dict
    seq: int
    queued_at: float
    handed_out_at: float | None = None  # last time a getUpdates response carried it


@dataclass(frozen=True)
class ApiCall:
    method: str
    params: dict
    files: dict  # multipart field name -> uploaded bytes
    received_at: float
    seq: int
    error: str | None = None  # description of the error response, if one was sent


@dataclass
class _Chat:
    user: FakeUser
    messages: dict[int, ChatMessage] = field(default_factory=dict)
    next_message_id: int = 1
    reply_keyboard: list[list[str]] | None = None
    blocked: bool = False


def _mark_of(after: int | QueuedUpdate | ChatMessage | ApiCall | None) -> int:
    if after is None:
        return -1
    return after if isinstance(after, int) else after.seq


class _TelegramHTML(HTMLParser):
    """Telegram rejects unknown or unbalanced tags; a bot that forgets html.escape() must fail here too."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.plain: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in _TG_HTML_TAGS:
            raise ApiError(400, f'Bad Request: can\'t parse entities: Unsupported start tag "{tag}"')
        self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        raise ApiError(400, f'Bad Request: can\'t parse entities: Unsupported start tag "{tag}"')

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            raise ApiError(400, f'Bad Request: can\'t parse entities: Unmatched end tag "{tag}"')
        self.stack.pop()

    def handle_data(self, data):
        self.plain.append(data)


def _visible_text(text: str, parse_mode: str | None) -> str:
    if (parse_mode or "").upper() != "HTML":
        return text  # Markdown is stored as sent; only HTML is validated and stripped
    parser = _TelegramHTML()
    parser.feed(text)
    parser.close()
    if parser.stack:
        raise ApiError(400, f"Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"{parser.stack[-1]}\"")
    return "".join(parser.plain)


def _decode_form(pairs: list[tuple[str, str]]) -> dict:
    params = {}
    for key, value in pairs:
        if key in _STRING_PARAMS:
            params[key] = value
            continue
        try:
            params[key] = json.loads(value)
        except ValueError:
            params[key] = value  # e.g. chat_id="@channel"
    return params


def _parse_request(query: str, content_type: str, body: bytes) -> tuple[dict, dict]:
    """PTB posts application/x-www-form-urlencoded, or multipart/form-data when uploading."""
    pairs = parse_qsl(query, keep_blank_values=True)
    files: dict[str, bytes] = {}
    if content_type.startswith("application/json"):
        return {**_decode_form(pairs), **(json.loads(body or b"{}"))}, files
    if content_type.startswith("multipart/form-data"):
        head = f"Content-Type: {content_type}\r\n\r\n".encode()
        envelope = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
        for part in envelope.iter_parts():
            name = part.get_param("name", header="content-disposition")
            content = part.get_payload(decode=True) or b""
            if part.get_filename() is not None:
                files[name] = content
            else:
                pairs.append((name, content.decode()))
    elif body:
        pairs += parse_qsl(body.decode(), keep_blank_values=True)
    return _decode_form(pairs), files


class FakeUser:
    """A Telegram user in a private chat with the bot. Actions return the QueuedUpdate (usable as a mark)."""

    def __init__(self, fake: TelegramFake, telegram_id: int, first_name: str,
                 username: str | None, language_code: str | None):
        self.fake, self.id, self.first_name = fake, telegram_id, first_name
        self.username, self.language_code = username, language_code

    def as_user(self) -> dict:
        user = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.username:
            user["username"] = self.username
        if self.language_code:
            user["language_code"] = self.language_code
        return user

    def as_chat(self) -> dict:
        chat = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.username:
            chat["username"] = self.username
        return chat

    # -- acting as the user -------------------------------------------------

    def send(self, text: str) -> QueuedUpdate:
        return self.fake._user_message(self, text=text)

    def send_photo(self, file_id: str = "AgACAgIAAxkBAAIfakephoto", caption: str | None = None,
                   content: bytes | None = None) -> QueuedUpdate:
        return self.fake._user_message(self, text=caption, photo=file_id, content=content)

    def press(self, message: ChatMessage | int, data: str) -> QueuedUpdate:
        message_id = message if isinstance(message, int) else message.message_id
        return self.fake._callback_query(self, message_id, data)

    def press_button(self, text: str, message: ChatMessage | int | None = None) -> QueuedUpdate:
        """Press an inline button by its label on the newest keyboard message (or on ``message``)."""
        with self.fake._cond:
            msgs = [m for m in self.messages() if m.buttons]
            if message is not None:
                wanted = message if isinstance(message, int) else message.message_id
                msgs = [m for m in msgs if m.message_id == wanted]
            data = msgs[-1].button_data(text) if msgs else None
            if data is None:
                raise AssertionError(f"no inline button {text!r} on the latest keyboard\n{self.transcript()}")
            return self.press(msgs[-1], data)

    def tap_key(self, text: str) -> QueuedUpdate:
        """Tap a reply-keyboard button, which simply sends its text, after checking it is shown."""
        if not any(text in row for row in self.reply_keyboard() or []):
            raise AssertionError(f"no reply-keyboard key {text!r}\n{self.transcript()}")
        return self.send(text)

    def block(self, blocked: bool = True) -> None:
        with self.fake._cond:
            self.fake._chats[self.id].blocked = blocked

    # -- observing the chat -------------------------------------------------

    def mark(self) -> int:
        return self.fake.mark()

    def messages(self) -> list[ChatMessage]:
        with self.fake._cond:
            return [m for m in self.fake._chats[self.id].messages.values() if m.from_bot]

    def last_message(self) -> ChatMessage | None:
        msgs = self.messages()
        return msgs[-1] if msgs else None

    def reply_keyboard(self) -> list[list[str]] | None:
        with self.fake._cond:
            return self.fake._chats[self.id].reply_keyboard

    def wait_for(self, predicate: Callable[[ChatMessage], bool], timeout: float = 10,
                 after: int | QueuedUpdate | ChatMessage | None = None) -> ChatMessage:
        """First bot message (in chat order) sent or edited after ``after`` that matches."""
        floor = _mark_of(after)

        def found():
            return next((m for m in self.messages() if m.seq > floor and predicate(m)), None)

        with self.fake._cond:
            if self.fake._cond.wait_for(found, timeout):
                return found()
            raise AssertionError(f"timed out after {timeout}s waiting for a bot message (after mark {floor})\n"
                                 f"{self.transcript()}")

    def wait_for_text(self, substring: str, timeout: float = 10,
                      after: int | QueuedUpdate | ChatMessage | None = None) -> ChatMessage:
        return self.wait_for(lambda m: substring in (m.text or ""), timeout, after)

    def transcript(self) -> str:
        with self.fake._cond:
            lines = [f"--- chat with {self.first_name} ({self.id}) ---"]
            for m in self.fake._chats[self.id].messages.values():
                who = "bot " if m.from_bot else "user"
                extra = f" [photo {m.photo}]" if m.photo else ""
                extra += f" buttons={m.buttons}" if m.buttons else ""
                extra += " (edited)" if m.edited else ""
                lines.append(f"#{m.message_id} seq={m.seq} {who}: {m.text!r}{extra}")
            return "\n".join(lines)


class TelegramFake:
    def __init__(self, bot_token: str = "123:ABC", bot_username: str = "fake_bot"):
        self.token = bot_token
        self.bot_user = {"id": int(bot_token.split(":")[0]), "is_bot": True, "first_name": "Fake Bot",
                         "username": bot_username, "can_join_groups": True,
                         "can_read_all_group_messages": False, "supports_inline_queries": False}
        self._cond = threading.Condition()
        self._seq = itertools.count(1)
        self._last_seq = 0
        self._update_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._query_ids = itertools.count(1)
        self._chats: dict[int, _Chat] = {}
        self._pending: list[QueuedUpdate] = []
        self._calls: list[ApiCall] = []
        self._faults: dict[str, deque[ApiError]] = defaultdict(deque)
        self._files: dict[str, tuple[str, bytes]] = {}  # file_id -> (file_path, content)
        self._open_callbacks: dict[str, tuple[int, int]] = {}  # query id -> (chat id, message id)
        self._poll_generation = 0
        self._stopping = False
        self.updates: list[QueuedUpdate] = []
        self.commands: dict[str, list] = {}  # scope/language key -> commands as set by the bot
        self.callback_answers: list[dict] = []
        self.internal_errors: list[str] = []  # tracebacks of bugs in the fake itself, answered with 500
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ----------------------------------------------------------

    def start(self) -> TelegramFake:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = False  # so server_close() joins handler threads: nothing leaks
        self._server.fake = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="telegram-fake", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        with self._cond:
            self._stopping = True  # releases long polls that no client is waiting for any more
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

    # -- test-facing API ----------------------------------------------------

    def user(self, telegram_id: int, first_name: str = "User", username: str | None = None,
             language_code: str | None = "en") -> FakeUser:
        with self._cond:
            if telegram_id not in self._chats:
                handle = FakeUser(self, telegram_id, first_name, username, language_code)
                self._chats[telegram_id] = _Chat(handle)
            return self._chats[telegram_id].user

    @property
    def requests(self) -> list[ApiCall]:
        with self._cond:
            return list(self._calls)

    def count(self, method: str) -> int:
        return sum(c.method.lower() == method.lower() for c in self.requests)

    def mark(self) -> int:
        with self._cond:
            return self._last_seq

    def wait_for_call(self, method: str, timeout: float = 10, after: Any = None) -> ApiCall:
        floor = _mark_of(after)

        def found():
            return next((c for c in self._calls if c.seq > floor and c.method.lower() == method.lower()), None)

        with self._cond:
            if self._cond.wait_for(found, timeout):
                return found()
        raise AssertionError(f"timed out after {timeout}s waiting for {method}; calls: "
                             f"{[c.method for c in self.requests]}")

    def fail_next(self, method: str, n: int = 1, error_code: int = 429, retry_after: int | None = None,
                  description: str | None = None) -> None:
        """The next ``n`` calls of ``method`` get this error instead of being served."""
        if error_code == 429 and retry_after is None:
            retry_after = 1
        text = description or _DEFAULT_ERRORS.get(error_code, f"Error {error_code}")
        with self._cond:
            for _ in range(n):
                self._faults[method.lower()].append(ApiError(error_code, text.format(retry_after=retry_after),
                                                             retry_after))

    # -- simulated user activity --------------------------------------------

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

    def _store(self, chat: _Chat, **fields) -> ChatMessage:
        msg = ChatMessage(message_id=chat.next_message_id, seq=self._next_seq(), changed_at=time.monotonic(),
                          date=int(time.time()), **fields)
        chat.next_message_id += 1
        chat.messages[msg.message_id] = msg
        return msg

    def _user_message(self, user: FakeUser, text: str | None, photo: str | None = None,
                      content: bytes | None = None) -> QueuedUpdate:
        with self._cond:
            chat = self._chats[user.id]
            if photo and (photo not in self._files or content is not None):
                self._register_file(photo, content or b"fake-jpeg:" + photo.encode())
            msg = self._store(chat, from_bot=False, text=text, raw_text=text, photo=photo)
            return self._queue({"message": self._message_json(chat, msg)})

    def _callback_query(self, user: FakeUser, message_id: int, data: str) -> QueuedUpdate:
        with self._cond:
            chat = self._chats[user.id]
            if message_id not in chat.messages:
                raise AssertionError(f"message #{message_id} does not exist\n{user.transcript()}")
            query_id = f"cq{next(self._query_ids)}"
            self._open_callbacks[query_id] = (user.id, message_id)
            return self._queue({"callback_query": {
                "id": query_id, "from": user.as_user(), "chat_instance": f"ci{user.id}", "data": data,
                "message": self._message_json(chat, chat.messages[message_id])}})

    # -- Telegram object shapes ---------------------------------------------

    def _register_file(self, file_id: str, content: bytes) -> None:
        self._files[file_id] = (f"photos/{file_id}.jpg", content)

    def _photo_sizes(self, file_id: str) -> list[dict]:
        thumb = f"{file_id}-thumb"
        if thumb not in self._files:
            self._register_file(thumb, self._files[file_id][1][:64])
        return [{"file_id": fid, "file_unique_id": f"u{abs(hash(fid)) % 10**9}", "width": w, "height": h,
                 "file_size": len(self._files[fid][1])}
                for fid, w, h in ((thumb, 90, 67), (file_id, 1280, 960))]

    def _message_json(self, chat: _Chat, msg: ChatMessage) -> dict:
        out: dict[str, Any] = {"message_id": msg.message_id, "date": msg.date, "chat": chat.user.as_chat(),
                               "from": self.bot_user if msg.from_bot else chat.user.as_user()}
        if msg.photo:
            out["photo"] = self._photo_sizes(msg.photo)
            if msg.text is not None:
                out["caption"] = msg.text
        elif msg.text is not None:
            out["text"] = msg.text
            if not msg.from_bot and msg.text.startswith("/"):
                # CommandHandler only fires on a bot_command entity at offset 0
                out["entities"] = [{"type": "bot_command", "offset": 0, "length": len(msg.text.split()[0])}]
        if msg.reply_markup and "inline_keyboard" in msg.reply_markup:
            out["reply_markup"] = msg.reply_markup  # Telegram only echoes inline keyboards
        if msg.edited:
            out["edit_date"] = int(time.time())
        return out

    # -- HTTP entry point ---------------------------------------------------

    def _handle(self, path: str, query: str, content_type: str, body: bytes) -> tuple[int, str, bytes]:
        received_at = time.monotonic()
        file_prefix = f"/file/bot{self.token}/"
        if path.startswith(file_prefix):
            with self._cond:
                hit = [c for p, c in self._files.values() if p == path[len(file_prefix):]]
            if hit:
                return 200, "image/jpeg", hit[0]
            return 404, "application/json", json.dumps(ApiError(404, "Not Found").body()).encode()
        prefix, _, method = path.rpartition("/")
        params, files = _parse_request(query, content_type, body)
        try:
            if prefix != f"/bot{self.token}":
                raise ApiError(401, "Unauthorized")
            result = self._call(method, params, files, received_at)
            status, reply = 200, {"ok": True, "result": result}
        except ApiError as err:
            status, reply = err.code, err.body()
        return status, "application/json", json.dumps(reply).encode()

    def _call(self, method: str, params: dict, files: dict, received_at: float) -> Any:
        with self._cond:
            handler = getattr(self, f"_api_{method.lower()}", None)
            error = self._faults[method.lower()].popleft() if self._faults[method.lower()] else None
            if error is None and handler is None:
                error = ApiError(404, "Not Found: method not found")
            try:
                if error:
                    raise error
                return handler(params, files)
            except ApiError as err:
                error = err
                raise
            except Exception as exc:
                self.internal_errors.append(traceback.format_exc())
                error = ApiError(500, f"Internal Server Error: the fake crashed: {exc!r}")
                raise error from exc
            finally:
                self._calls.append(ApiCall(method, params, files, received_at, self._next_seq(),
                                           error.description if error else None))
                self._cond.notify_all()

    def _chat(self, params: dict) -> _Chat:
        chat = self._chats.get(params.get("chat_id"))
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        if chat.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat

    def _message(self, params: dict) -> tuple[_Chat, ChatMessage]:
        if "inline_message_id" in params:
            raise ApiError(400, "Bad Request: inline messages are not supported by the fake")
        chat = self._chat(params)
        msg = chat.messages.get(params.get("message_id"))
        if msg is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        return chat, msg

    def _check_markup(self, chat: _Chat, markup: dict | None) -> None:
        for row in (markup or {}).get("inline_keyboard", []):
            for button in row:
                if len(button.get("callback_data", "").encode()) > 64:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        if markup and "keyboard" in markup:
            chat.reply_keyboard = [[b if isinstance(b, str) else b["text"] for b in row] for row in markup["keyboard"]]
        elif markup and markup.get("remove_keyboard"):
            chat.reply_keyboard = None

    def _replace(self, chat: _Chat, old: ChatMessage, **changes) -> dict:
        if all(getattr(old, k) == v for k, v in changes.items() if k != "text"):
            raise ApiError(400, "Bad Request: message is not modified: specified new message content and "
                                "reply markup are exactly the same as a current content and reply markup of the message")
        self._check_markup(chat, changes.get("reply_markup"))
        new = dataclasses.replace(old, **changes, seq=self._next_seq(), changed_at=time.monotonic(), edited=True)
        chat.messages[new.message_id] = new
        return self._message_json(chat, new)

    # -- Bot API methods (called with the lock held) -------------------------

    def _api_getme(self, params, files):
        return self.bot_user

    def _api_getupdates(self, params, files):
        offset, timeout = params.get("offset"), float(params.get("timeout") or 0)
        if offset:  # any offset confirms every update below it, as on Telegram
            self._pending = [u for u in self._pending if u.update_id >= offset]
        self._poll_generation += 1
        generation = self._poll_generation
        self._cond.notify_all()
        self._cond.wait_for(lambda: self._pending or self._stopping or self._poll_generation != generation,
                            timeout)
        if self._poll_generation != generation:
            raise ApiError(409, _CONFLICT)  # a newer poll took over, like the real server
        batch = self._pending[: int(params.get("limit") or 100)]
        now = time.monotonic()
        for update in batch:
            update.handed_out_at = now
        return [u.payload for u in batch]

    def _api_deletewebhook(self, params, files):
        if params.get("drop_pending_updates"):
            self._pending.clear()
        return True

    def _api_setmycommands(self, params, files):
        key = json.dumps([params.get("scope"), params.get("language_code")], sort_keys=True)
        self.commands[key] = params.get("commands", [])
        return True

    def _api_getmycommands(self, params, files):
        return self.commands.get(json.dumps([params.get("scope"), params.get("language_code")], sort_keys=True), [])

    def _api_sendmessage(self, params, files):
        chat, text = self._chat(params), str(params.get("text", ""))
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if len(text) > 4096:
            raise ApiError(400, "Bad Request: message is too long")
        visible = _visible_text(text, params.get("parse_mode"))
        self._check_markup(chat, params.get("reply_markup"))
        msg = self._store(chat, from_bot=True, text=visible, raw_text=text, parse_mode=params.get("parse_mode"),
                          reply_markup=params.get("reply_markup"))
        return self._message_json(chat, msg)

    def _api_sendphoto(self, params, files):
        chat, photo, caption = self._chat(params), params.get("photo"), params.get("caption")
        if isinstance(photo, str) and photo.startswith("attach://"):
            photo = files.get(photo[len("attach://"):])
        elif "photo" in files:
            photo = files["photo"]
        if isinstance(photo, bytes):
            file_id = f"AgACfake{next(self._file_ids)}"
            self._register_file(file_id, photo)
        elif isinstance(photo, str) and photo:
            file_id = photo
            self._files.setdefault(file_id, (f"photos/{file_id}.jpg", b"fake-jpeg"))
        else:
            raise ApiError(400, "Bad Request: there is no photo in the request")
        if caption and len(caption) > 1024:
            raise ApiError(400, "Bad Request: message caption is too long")
        visible = _visible_text(caption, params.get("parse_mode")) if caption else None
        self._check_markup(chat, params.get("reply_markup"))
        msg = self._store(chat, from_bot=True, text=visible, raw_text=caption, photo=file_id,
                          parse_mode=params.get("parse_mode"), reply_markup=params.get("reply_markup"))
        return self._message_json(chat, msg)

    def _api_editmessagetext(self, params, files):
        chat, old = self._message(params)
        if old.photo or not old.from_bot:
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        text = str(params.get("text", ""))
        # An edit without reply_markup removes the inline keyboard on Telegram; bots must resend it.
        return self._replace(chat, old, raw_text=text, parse_mode=params.get("parse_mode"),
                             text=_visible_text(text, params.get("parse_mode")),
                             reply_markup=params.get("reply_markup"))

    def _api_editmessagecaption(self, params, files):
        chat, old = self._message(params)
        if not old.photo or not old.from_bot:
            raise ApiError(400, "Bad Request: there is no caption in the message to edit")
        caption = params.get("caption")
        return self._replace(chat, old, raw_text=caption, parse_mode=params.get("parse_mode"),
                             text=_visible_text(caption, params.get("parse_mode")) if caption else None,
                             reply_markup=params.get("reply_markup"))

    def _api_editmessagereplymarkup(self, params, files):
        chat, old = self._message(params)
        return self._replace(chat, old, reply_markup=params.get("reply_markup"))

    def _api_answercallbackquery(self, params, files):
        if self._open_callbacks.pop(params.get("callback_query_id"), None) is None:
            raise ApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
        self.callback_answers.append(params)
        return True

    def _api_deletemessage(self, params, files):
        chat = self._chat(params)
        if chat.messages.pop(params.get("message_id"), None) is None:
            raise ApiError(400, "Bad Request: message to delete not found")
        self._next_seq()
        return True

    def _api_getfile(self, params, files):
        file_id = params.get("file_id")
        if file_id not in self._files:
            raise ApiError(400, "Bad Request: invalid file_id")
        path, content = self._files[file_id]
        return {"file_id": file_id, "file_unique_id": f"u{abs(hash(file_id)) % 10**9}",
                "file_size": len(content), "file_path": path}

    def _api_close(self, params, files):
        return True

    _api_logout = _api_close


class _Handler(BaseHTTPRequestHandler):
    # HTTP/1.0 closes each connection after one response, so no idle keep-alive
    # socket can keep a handler thread (and thus stop()) waiting.
    protocol_version = "HTTP/1.0"

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        # PTB percent-encodes file download paths, so the token's ':' arrives as %3A
        status, content_type, payload = self.server.fake._handle(  # type: ignore[attr-defined]
            unquote(url.path), url.query, self.headers.get("Content-Type", ""), body)
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # PTB abandons its long poll when stopping; nobody is listening any more

    do_GET = do_POST

    def log_message(self, format, *args) -> None:
        pass  # keep test output readable
