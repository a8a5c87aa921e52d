"""Proves tests/fakes/telegram.py is good enough for a real python-telegram-bot Application."""

import asyncio
import contextlib
import threading
import time

import httpx
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove
from telegram.error import BadRequest, Forbidden
from telegram.ext import (AIORateLimiter, ApplicationBuilder, CallbackQueryHandler, CommandHandler,
                          MessageHandler, filters)

from tests.fakes.telegram import TelegramFake

TOKEN = "123456:TEST-token"
PLAYER_ID = 5_000_000_001


@pytest.fixture
def fake():
    threads_before = set(threading.enumerate())
    with TelegramFake(bot_token=TOKEN) as fake:
        yield fake
    leftovers = [t for t in threading.enumerate() if t not in threads_before and t.is_alive()]
    assert leftovers == [], f"threads left behind: {leftovers}"


@contextlib.contextmanager
def running_bot(fake, *handlers, rate_limiter=None):
    """Run a real Application with polling on its own event loop in a background thread.

    The bot needs its own thread because the fake's wait_for() blocks the test thread.
    Yields the list of exceptions raised inside handlers.
    """
    builder = ApplicationBuilder().token(TOKEN).base_url(fake.base_url).base_file_url(fake.base_file_url)
    if rate_limiter:
        builder = builder.rate_limiter(rate_limiter)
    app = builder.build()
    for handler in handlers:
        app.add_handler(handler)
    errors = []

    async def on_error(update, context):
        errors.append(context.error)

    app.add_error_handler(on_error)

    async def start():
        await app.initialize()
        await app.start()
        await app.updater.start_polling(poll_interval=0, timeout=1)

    async def stop():
        # updater.stop() cancels the in-flight long poll at once, then confirms offsets with timeout=0.
        # Only undo what start() got done, so a failed start is not masked by a second error.
        if app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()

    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="bot-loop")
    thread.start()
    try:
        asyncio.run_coroutine_threadsafe(start(), loop).result(timeout=10)
        yield errors
    finally:
        try:
            asyncio.run_coroutine_threadsafe(stop(), loop).result(timeout=10)
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout=10)
            loop.close()


async def start_command(update, context):
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Join game", callback_data="join:42")]])
    await update.message.reply_text("<b>Welcome</b>, pick one:", parse_mode="HTML", reply_markup=keyboard)


async def join_pressed(update, context):
    query = update.callback_query
    await query.answer("ok")
    await query.edit_message_text(f"Joined with {query.data}")


def test_command_button_and_edit_through_real_ptb(fake):
    player = fake.user(telegram_id=PLAYER_ID, first_name="Ali", username="ali")
    with running_bot(fake, CommandHandler("start", start_command), CallbackQueryHandler(join_pressed)) as errors:
        sent = player.send("/start")
        welcome = player.wait_for_text("Welcome", after=sent)
        assert welcome.text == "Welcome, pick one:"  # HTML tags stripped, as a user sees it
        assert welcome.raw_text.startswith("<b>Welcome</b>")
        assert welcome.buttons == [["Join game"]]

        pressed = player.press_button("Join game")
        edited = player.wait_for_text("Joined", after=pressed)
        assert edited.message_id == welcome.message_id and edited.edited
        assert edited.text == "Joined with join:42"
        assert edited.reply_markup is None  # editing without reply_markup drops the keyboard
        assert fake.wait_for_call("answerCallbackQuery", after=pressed).params["text"] == "ok"
        assert [m.text for m in player.messages()] == ["Joined with join:42"]
        assert errors == []

    assert fake.count("getMe") == 1 and fake.count("deleteWebhook") == 1
    # update -> reply latency is computable from the recorded times
    reply_call = next(c for c in fake.requests if c.method == "sendMessage")
    assert sent.handed_out_at is not None and sent.queued_at <= sent.handed_out_at <= reply_call.received_at
    poll = next(c for c in fake.requests if c.method == "getUpdates")
    assert poll.params["timeout"] == 1


def test_photo_reaches_photo_handler_and_file_downloads(fake):
    seen = []

    async def on_photo(update, context):
        file_id = update.message.photo[-1].file_id
        content = await (await context.bot.get_file(file_id)).download_as_bytearray()
        seen.append((file_id, bytes(content)))
        await update.message.reply_photo(b"\x89PNG\r\n\x1a\n\x00\xffbinary", caption="Thanks!")

    player = fake.user(telegram_id=PLAYER_ID, first_name="Ali")
    with running_bot(fake, MessageHandler(filters.PHOTO, on_photo)) as errors:
        sent = player.send_photo(file_id="AgACAgIAAxkBAAIBtest", content=b"jpeg-bytes")
        reply = player.wait_for(lambda m: m.photo is not None, after=sent)
        assert errors == []
    assert seen == [("AgACAgIAAxkBAAIBtest", b"jpeg-bytes")]
    assert reply.text == "Thanks!"
    upload = next(c for c in fake.requests if c.method == "sendPhoto")
    assert upload.files["photo"] == b"\x89PNG\r\n\x1a\n\x00\xffbinary"  # multipart survives binary


def test_reply_keyboard_then_removed(fake):
    async def menu(update, context):
        await update.message.reply_text("Menu", reply_markup=ReplyKeyboardMarkup([["Balance", "Help"], ["Quit"]]))

    async def on_text(update, context):
        await update.message.reply_text(f"You chose {update.message.text}", reply_markup=ReplyKeyboardRemove())

    admin = fake.user(telegram_id=7, first_name="Admin")
    handlers = (CommandHandler("menu", menu), MessageHandler(filters.TEXT & ~filters.COMMAND, on_text))
    with running_bot(fake, *handlers):
        admin.wait_for_text("Menu", after=admin.send("/menu"))
        assert admin.reply_keyboard() == [["Balance", "Help"], ["Quit"]]
        admin.wait_for_text("You chose Balance", after=admin.send("Balance"))  # a key tap sends its label
        assert admin.reply_keyboard() is None


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # raised inside AIORateLimiter
def test_rate_limit_is_retried_by_aioratelimiter(fake):
    player = fake.user(telegram_id=PLAYER_ID, first_name="Ali")
    fake.fail_next("sendMessage", error_code=429, retry_after=1)
    with running_bot(fake, CommandHandler("start", start_command),
                     rate_limiter=AIORateLimiter(max_retries=2)) as errors:
        player.wait_for_text("Welcome", after=player.send("/start"))
        assert errors == []
    attempts = [c for c in fake.requests if c.method == "sendMessage"]
    assert [bool(c.error) for c in attempts] == [True, False]
    assert attempts[1].received_at - attempts[0].received_at >= 1


def test_bot_api_errors_surface_as_ptb_exceptions(fake):
    # pytest.raises cannot be used inside a handler: its failure is a BaseException that PTB drops
    outcomes = []

    async def bad(update, context):
        for attempt in (lambda: update.message.reply_text("a<br>b", parse_mode="HTML"),
                        lambda: context.bot.send_message(chat_id=999, text="nobody")):
            try:
                await attempt()
            except BadRequest as exc:
                outcomes.append(str(exc))  # PTB strips the "Bad Request: " prefix
        msg = await update.message.reply_text("same")
        try:
            await msg.edit_text("same")
        except BadRequest as exc:
            outcomes.append(str(exc))
        await update.message.reply_text("checked")

    player = fake.user(telegram_id=PLAYER_ID)
    with running_bot(fake, CommandHandler("bad", bad)) as errors:
        player.wait_for_text("checked", after=player.send("/bad"))
        assert errors == []
    assert outcomes[:2] == ["Can't parse entities: unsupported start tag \"br\"", "Chat not found"]
    assert outcomes[2].startswith("Message is not modified")


def test_raw_http_protocol(fake):
    player = fake.user(telegram_id=PLAYER_ID)
    api = f"{fake.base_url}{TOKEN}"
    with httpx.Client(timeout=5) as client:
        missing = client.post(f"{api}/fooBar")
        assert missing.status_code == 404
        assert missing.json() == {"ok": False, "error_code": 404, "description": "Not Found: method not found"}
        assert client.post(f"{fake.base_url}999:wrong/getMe").status_code == 401

        started = time.monotonic()
        threading.Timer(0.3, player.send, args=("hello",)).start()
        first = client.post(f"{api}/getUpdates", data={"timeout": "3"}).json()["result"]
        assert 0.25 < time.monotonic() - started < 2  # long poll returned when the update was queued
        assert first[0]["message"]["text"] == "hello"

        player.send("again")
        again = client.post(f"{api}/getUpdates", data={"offset": str(first[0]["update_id"])}).json()["result"]
        assert [u["message"]["text"] for u in again] == ["hello", "again"]  # not confirmed yet
        rest = client.post(f"{api}/getUpdates", data={"offset": str(again[-1]["update_id"] + 1)}).json()
        assert rest == {"ok": True, "result": []}
        assert [u.update_id for u in fake.updates] == [1, 2]

        fake.fail_next("getUpdates", error_code=429, retry_after=3)
        limited = client.post(f"{api}/getUpdates").json()
        assert limited["parameters"] == {"retry_after": 3} and limited["error_code"] == 429


def test_other_methods_with_a_bare_bot(fake):
    player = fake.user(telegram_id=PLAYER_ID, first_name="Ali")

    async def scenario():
        async with Bot(TOKEN, base_url=fake.base_url, base_file_url=fake.base_file_url) as bot:
            await bot.set_my_commands([("start", "Start playing"), ("balance", "Show balance")])
            assert [(c.command, c.description) for c in await bot.get_my_commands()][0] == ("start", "Start playing")
            photo = await bot.send_photo(PLAYER_ID, "AgACknownFileId", caption="Receipt")
            assert photo.photo[-1].file_id == "AgACknownFileId" and photo.caption == "Receipt"
            keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("OK", callback_data="ok")]])
            await bot.edit_message_caption(PLAYER_ID, photo.message_id, caption="Receipt ✓", reply_markup=keyboard)
            await bot.edit_message_reply_markup(PLAYER_ID, photo.message_id)
            note = await bot.send_message(PLAYER_ID, "temporary")
            assert note.message_id == photo.message_id + 1
            assert await bot.delete_message(PLAYER_ID, note.message_id)
            fake.fail_next("sendMessage", error_code=403, description="Forbidden: bot was blocked by the user")
            with pytest.raises(Forbidden):
                await bot.send_message(PLAYER_ID, "are you there?")
            with pytest.raises(BadRequest, match="Button_data_invalid"):  # PTB capitalize()s descriptions
                await bot.send_message(PLAYER_ID, "x", reply_markup=InlineKeyboardMarkup(
                    [[InlineKeyboardButton("long", callback_data="x" * 65)]]))
            assert await bot.close() and await bot.log_out()

    asyncio.run(scenario())
    [receipt] = player.messages()
    assert (receipt.photo, receipt.text, receipt.reply_markup, receipt.edited) == (
        "AgACknownFileId", "Receipt ✓", None, True)
    assert fake.count("setMyCommands") == 1


def test_waiting_reports_the_transcript(fake):
    player = fake.user(telegram_id=PLAYER_ID, first_name="Ali")
    player.send("/start")
    with pytest.raises(AssertionError, match=r"(?s)timed out after 0.2s.*#1 seq=\d+ user: '/start'"):
        player.wait_for_text("Welcome", timeout=0.2)
    with pytest.raises(AssertionError, match="no inline button 'Join'"):
        player.press_button("Join")
