"""What a valid value is, said once for every path into the ledger (API, Django admin, import).

Each `clean_*` takes what a caller sent, refuses it with a typed `Invalid` (or `NotFound` for an
id that cannot exist) naming the field, and returns the value the ledger stores. Nothing is cut,
rounded or guessed: an input that is not exactly valid is refused, so nobody's data changes
silently. Numbers are read here only, from their text, in plain ASCII notation: `1e400`,
Arabic-Indic digits or thirty-digit integers never reach arithmetic or the database.
"""
import io
import re
import unicodedata
from datetime import date, datetime
from decimal import ROUND_DOWN, ROUND_UP, Decimal
from typing import Any

from ledger.errors import Invalid, NotFound
from ledger.models import MAX_BIGINT, Language, PromotionKind

CENT = Decimal("0.01")
RATE_STEP = Decimal("0.0001")
MAX_AMOUNT = Decimal("999999999999.99")
PPPOKER_ID_LENGTH = (3, 32)
MAX_SEARCH_LENGTH = 64
REASON_LENGTH = 500
CLIENT_SEED_LENGTH = 64
# Telegram's own limits: a message's text, and the caption under a photo.
MESSAGE_LENGTH = 4096
CAPTION_LENGTH = 1024
MAX_TALLY = 2**31 - 1  # spins and chips are PositiveIntegerFields
# Stored datetimes and period bounds stay inside years every database and time zone can hold.
EARLIEST, LATEST = 2000, 2999

_AMOUNT = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_DIGITS = re.compile(r"[0-9]{1,19}")
_RATE = re.compile(r"(?P<whole>[0-9]+)(?:\.(?P<decimals>[0-9]+))?")
_WHOLE = re.compile(r"(?P<whole>[0-9]+)(?:\.0*)?")  # 7 or 7.0: Sheets hands numbers back as either
_FILE_ID = re.compile(r"[A-Za-z0-9_-]{1,256}")  # Telegram file ids are URL-safe base64
_CURRENCY_WORD = re.compile(r"^(?:MVR|RF|USDT|USD|\$)|(?:MVR|RF|USDT|USD|\$)$", re.IGNORECASE)


def _plain(value: Any) -> str:
    if isinstance(value, bool):  # bool is an int, but True is no amount or id
        return ""
    return str(value).strip()


def clean_amount(value: Any, *, field: str = "amount", label: str = "The amount") -> Decimal:
    """A positive amount with at most two decimals, written in plain digits ("1500", "1,500.50")."""
    return _amount_from_text(_plain(value).replace(",", ""), shown=_shown(value), field=field, label=label)


def clean_legacy_amount(value: Any, *, label: str = "amount") -> Decimal:
    """An amount as the legacy sheet holds it: a currency word before or after, spaces or commas
    between thousands ("MVR 1,500", "2 500", "$300"); otherwise the limits of `clean_amount`."""
    text = _CURRENCY_WORD.sub("", _plain(value).replace(" ", "").replace(",", ""))
    return _amount_from_text(text, shown=_shown(value), field="amount", label=label)


def _amount_from_text(text: str, *, shown: str, field: str, label: str) -> Decimal:
    match = _AMOUNT.fullmatch(text)
    if not match:
        raise Invalid(f"{label} {shown} is not a number.", field=field)
    return check_amount(Decimal(match[0]), field=field, label=label, shown=shown)


def check_amount(amount: Decimal, *, field: str = "amount", label: str = "The amount",
                 shown: str | None = None) -> Decimal:
    """The range of every stored amount, for an amount that is a Decimal already (the legacy services')."""
    shown = shown or str(amount)
    if not isinstance(amount, Decimal) or not amount.is_finite() or amount <= 0:
        raise Invalid(f"{label} {shown} is not greater than zero.", field=field)
    if amount > MAX_AMOUNT:
        raise Invalid(f"{label} {shown} is too large.", field=field)
    if amount != amount.quantize(CENT):
        raise Invalid(f"{label} {shown} has more than two decimals.", field=field)
    return amount.quantize(CENT)


def amount_in_base(amount: Decimal, rate_to_base: Decimal) -> Decimal:
    """An amount in a method's currency, in MVR to the cent: the one conversion every path uses."""
    return (amount * rate_to_base).quantize(CENT)


def amount_to_settle(owed_base: Decimal, rate_to_base: Decimal) -> Decimal:
    """What settles `owed_base` MVR in a method's currency: the inverse of amount_in_base, rounded up to
    the cent so a payment of it is never short."""
    if rate_to_base == 1:
        return owed_base
    return (owed_base / rate_to_base).quantize(CENT, rounding=ROUND_UP)


def clean_percentage(value: Any) -> Decimal:
    """A promotion's percentage: more than 0, at most 100, at most two decimals ("10", "12.5")."""
    text = _plain(value)
    match = _AMOUNT.fullmatch(text)
    if not match or len(match[0]) > 10:
        raise Invalid(f"The percentage {_shown(value)} is not a number.", field="percentage")
    percentage = Decimal(match[0])
    if not 0 < percentage <= 100:
        raise Invalid(f"The percentage {_shown(value)} must be more than 0 and at most 100.", field="percentage")
    if percentage != percentage.quantize(CENT):
        raise Invalid(f"The percentage {_shown(value)} has more than two decimals.", field="percentage")
    return percentage.quantize(CENT)


def percent_of(amount: Decimal, percentage: Decimal) -> Decimal:
    """`percentage` % of an MVR amount, to the cent, rounded down: a bonus or recovery is never more than
    the percentage promises, and the same amount everywhere it is computed."""
    return (amount * percentage / 100).quantize(CENT, rounding=ROUND_DOWN)


def clean_promotion_kind(value: Any) -> PromotionKind:
    if value not in PromotionKind.values:
        raise Invalid(f"{_shown(value)} is not a kind of promotion; use one of {', '.join(PromotionKind.values)}.",
                      field="kind")
    return PromotionKind(value)


def clean_club_date(value: Any, *, field: str) -> date:
    """A club-local calendar date (a promotion's first or last day)."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise Invalid(f"{_shown(value)} is not a date (YYYY-MM-DD).", field=field)
    if not EARLIEST <= value.year <= LATEST:
        raise Invalid(f"Dates must be between the years {EARLIEST} and {LATEST}.", field=field)
    return value


def _refuse_control_characters(text: str, *, field: str, label: str) -> None:
    # NUL breaks PostgreSQL text and other control characters hide what an admin reads.
    if any(unicodedata.category(char) in ("Cc", "Cs") for char in text):
        raise Invalid(f"{label} contains control characters.", field=field)


def clean_text(value: str | None, *, field: str, max_length: int, label: str) -> str:
    """Required text: runs of white space become one space; too long is refused, never cut."""
    text = clean_optional_text(value, field=field, max_length=max_length, label=label)
    if not text:
        raise Invalid(f"{label} is required.", field=field)
    return text


def clean_optional_text(value: str | None, *, field: str, max_length: int, label: str) -> str:
    if value is not None and not isinstance(value, str):
        raise Invalid(f"{label} must be text.", field=field)
    _refuse_control_characters((value or "").replace("\t", " ").replace("\n", " ").replace("\r", " "),
                               field=field, label=label)
    text = " ".join((value or "").split())
    if len(text) > max_length:
        raise Invalid(f"{label} is longer than {max_length} characters.", field=field)
    return text


def clean_message_text(value: str | None, *, field: str = "text", max_length: int = MESSAGE_LENGTH,
                       label: str = "The message") -> str:
    """What a person writes to another (support, broadcasts): its lines are kept, as Telegram shows
    them; other control characters are refused, and so is a text too long to send."""
    if value is not None and not isinstance(value, str):
        raise Invalid(f"{label} must be text.", field=field)
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    _refuse_control_characters(text.replace("\n", " ").replace("\t", " "), field=field, label=label)
    text = "\n".join(line.rstrip() for line in text.strip().split("\n"))
    if len(text) > max_length:
        raise Invalid(f"{label} is longer than {max_length} characters.", field=field)
    return text


def clean_file_id(value: str | None, *, field: str = "photo") -> str:
    """A Telegram file id (a photo sent to the bot), or "" for none."""
    if value is None or value == "":
        return ""
    if not isinstance(value, str) or not _FILE_ID.fullmatch(value):
        raise Invalid("The photo is not a Telegram file id.", field=field)
    return value


def clean_choice(value: Any, choices: type, *, field: str, label: str) -> str:
    """One of a TextChoices' values (a state the API's enum already checks; other callers may not)."""
    if value not in choices.values:
        raise Invalid(f"{label} must be one of {', '.join(choices.values)}.", field=field)
    return choices(value)


def clean_rate(value: Any) -> Decimal:
    """A payment method's rate to MVR: positive, at most four decimals, in plain digits."""
    match = _RATE.fullmatch(_plain(value))
    if not match or len((match["decimals"] or "").rstrip("0")) > 4 or len(match["whole"].lstrip("0")) > 8:
        raise Invalid(f"{_shown(value)} is not a rate: a positive number with at most four decimals.",
                      field="rateToBase")
    rate = Decimal(match[0]).quantize(RATE_STEP)
    if rate <= 0:
        raise Invalid("A rate must be greater than zero.", field="rateToBase")
    return rate


def clean_reason(value: str | None) -> str:
    """Why an admin rejected or cleared something; the player reads it."""
    return clean_text(value, field="reason", max_length=REASON_LENGTH, label="A reason")


def clean_pppoker_id(value: str | None) -> str:
    pppoker_id = (value or "").strip() if isinstance(value, str) or value is None else _plain(value)
    shortest, longest = PPPOKER_ID_LENGTH
    if not (re.fullmatch(r"[0-9]+", pppoker_id) and shortest <= len(pppoker_id) <= longest):
        raise Invalid(f"The PPPoker id must be digits only, at least {shortest}.", field="pppokerId")
    return pppoker_id


def clean_client_seed(value: Any) -> str:
    """A player's own part of their draws: printable ASCII without spaces, so it reads back unambiguously."""
    seed = value if isinstance(value, str) else ""
    if not (0 < len(seed) <= CLIENT_SEED_LENGTH and seed.isascii() and seed.isprintable() and " " not in seed):
        raise Invalid(f"A client seed is 1 to {CLIENT_SEED_LENGTH} letters, digits or signs, without spaces.",
                      field="clientSeed")
    return seed


MAX_TIERS = 100
MAX_PRIZES = 32  # segments of a wheel a phone can still show
PRIZE_LABEL_LENGTH = 32  # Spin.prize


def clean_spin_tiers(rows: Any) -> tuple[tuple[Decimal, int], ...]:
    """A new spin tier table: (threshold in MVR, spins) rows, both strictly increasing."""
    if not isinstance(rows, (list, tuple)) or not rows:
        raise Invalid("A tier table needs at least one tier.", field="tiers")
    if len(rows) > MAX_TIERS:
        raise Invalid(f"A tier table has at most {MAX_TIERS} tiers.", field="tiers")
    tiers = tuple((clean_amount(threshold, field="minAmount", label="A tier's minimum"),
                   clean_count(spins, field="spins", maximum=MAX_TALLY, label="A tier's spins"))
                  for threshold, spins in rows)
    for (low, few), (high, more) in zip(tiers, tiers[1:], strict=False):
        if high <= low:
            raise Invalid(f"Tier minimums must increase: {high} comes after {low}.", field="minAmount")
        if more <= few:
            raise Invalid(f"Spins must increase with the tier: {more} comes after {few}.", field="spins")
    return tiers


def clean_prize_table(rows: Any) -> tuple[tuple[str, int, int], ...]:
    """A new prize table: (label, chips, weight) rows in draw order; every weight positive (a prize that
    can never be won would be shown for nothing), labels unique."""
    if not isinstance(rows, (list, tuple)) or not rows:
        raise Invalid("A prize table needs at least one prize.", field="prizes")
    if len(rows) > MAX_PRIZES:
        raise Invalid(f"A prize table has at most {MAX_PRIZES} prizes.", field="prizes")
    prizes = []
    for label, chips, weight in rows:
        label = clean_text(label, field="label", max_length=PRIZE_LABEL_LENGTH, label="A prize's label")
        if not isinstance(chips, int) or isinstance(chips, bool) or not 0 <= chips <= MAX_TALLY:
            raise Invalid(f"{label}: chips are a whole number of zero or more.", field="chips")
        if not isinstance(weight, int) or isinstance(weight, bool) or weight <= 0 or weight > MAX_TALLY:
            raise Invalid(f"{label}: a weight is a whole number above 0; a prize of weight 0 could never be won.",
                          field="weight")
        prizes.append((label, chips, weight))
    labels = [label.casefold() for label, _, _ in prizes]
    if len(set(labels)) != len(labels):
        raise Invalid("Two prizes have the same label.", field="label")
    return tuple(prizes)


def clean_language(value: Any) -> Language:
    if value not in Language.values:
        raise Invalid(f"{_shown(value)} is not a language of the club; use one of {', '.join(Language.values)}.",
                      field="language")
    return Language(value)


def clean_telegram_id(value: Any, *, field: str = "telegramId") -> int:
    text = _plain(value)
    if not _DIGITS.fullmatch(text) or not 0 < int(text) <= MAX_BIGINT:
        raise Invalid(f"{_shown(value)} is not a Telegram id.", field=field)
    return int(text)


def parse_row_id(value: Any, *, label: str, field: str = "id") -> int:
    """The id of a row that may exist; anything else is NotFound (no row can have it)."""
    row_id = parse_id_or_none(value)
    if row_id is None:
        raise NotFound(f"No {label} with id {_shown(value)}.", field=field)
    return row_id


def parse_id_or_none(value: Any) -> int | None:
    text = "" if isinstance(value, bool) else str(value)  # exactly the digits: " 1" is not row 1
    if not _DIGITS.fullmatch(text) or not 0 < int(text) <= MAX_BIGINT:
        return None
    return int(text)


def clean_position(value: Any, *, field: str) -> int:
    """A position in an increasing id sequence (the event feed): 0 is before the first."""
    text = _plain(value)
    if not _DIGITS.fullmatch(text) or int(text) > MAX_BIGINT:
        raise Invalid(f"{_shown(value)} is not an event id.", field=field)
    return int(text)


def clean_count(value: Any, *, field: str, maximum: int, label: str) -> int:
    """A whole number from 1 to `maximum` (spins to spend or grant, items in one call)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= maximum:
        raise Invalid(f"{label} must be between 1 and {maximum}.", field=field)
    return value


def clean_tally(value: Any, *, label: str) -> int:
    """A whole number of zero or more (a balance of spins, chips won), as an int or as text with
    thousands separators; "" is refused (callers say what a blank cell means)."""
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    else:
        text = _plain(value).replace(",", "").replace(" ", "")
    match = _WHOLE.fullmatch(text)
    if not match or len(match["whole"].lstrip("0")) > len(str(MAX_TALLY)) or int(match["whole"]) > MAX_TALLY:
        raise Invalid(f"{label} {_shown(value)} is not a whole number of zero or more.")
    return int(match["whole"])


def clean_search(value: str | None) -> str:
    text = clean_optional_text(value, field="search", max_length=MAX_SEARCH_LENGTH, label="The search")
    return text.lstrip("@")


def clean_moment(value: datetime | None, *, field: str) -> datetime | None:
    if value is not None and not EARLIEST <= value.year <= LATEST:
        raise Invalid(f"Dates must be between the years {EARLIEST} and {LATEST}.", field=field)
    return value


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


SLIP_MAX_BYTES = 10 * 1024 * 1024
SLIP_MAX_PIXELS = 40_000_000
SLIP_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


def clean_slip_image(upload: Any, *, field: str = "slip"):
    """A slip image as uploaded: at most 10 MB, a JPEG, PNG or WebP by its content (not its name or
    the type the client claims), at most 40 megapixels. Returns the decoded Pillow image."""
    from PIL import Image, UnidentifiedImageError  # only the slip paths pay for importing Pillow

    if isinstance(upload, (bytes, bytearray)):
        data, size = bytes(upload), len(upload)
    elif hasattr(upload, "read") and isinstance(getattr(upload, "size", None), int):
        size = upload.size
    else:  # e.g. a string where the multipart request's file belongs
        raise Invalid("The slip must be an uploaded image file.", field=field)
    if size > SLIP_MAX_BYTES:
        raise Invalid(f"The slip is over {SLIP_MAX_BYTES // (1024 * 1024)} MB.", field=field)
    if size == 0:
        raise Invalid("The slip is empty.", field=field)
    stream = io.BytesIO(upload.read() if hasattr(upload, "read") else data)
    try:
        # The header alone gives the size: a decompression bomb is refused before it is decoded.
        with Image.open(stream, formats=list(SLIP_FORMATS)) as probe:
            width, height = probe.size
            kind = probe.format
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise Invalid("The slip is not a JPEG, PNG or WebP image.", field=field) from None
    if width * height > SLIP_MAX_PIXELS:
        raise Invalid(f"The slip is over {SLIP_MAX_PIXELS // 1_000_000} megapixels.", field=field)
    stream.seek(0)
    try:
        image = Image.open(stream, formats=[kind])
        image.load()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise Invalid("The slip image is damaged.", field=field) from None
    return image
