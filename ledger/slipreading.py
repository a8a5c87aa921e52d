"""Reading a slip on the club's own machine: Pillow preprocessing, Tesseract (Debian's tesseract-ocr
through pytesseract), and a parser for the two banks' layouts.

BML slips put each value on its label's line ("Reference BLAZ133378629134", "To NAME 9010..."); MIB
slips put the label on its own line and the value below it, and their references are digits.
Nothing here refuses: what cannot be read is left empty.
"""
import re
import shutil
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from PIL import Image, ImageFilter, ImageOps

# Tesseract reads best with capital letters about 30 px high; phone screenshots are often smaller.
TARGET_WIDTH = 1400
DESKEW_ANGLES = [a / 2 for a in range(-16, 17)]  # ±8° in half degrees
OCR_CONFIG = "--oem 1 --psm 6"


@dataclass(frozen=True)
class Parsed:
    bank: str = ""
    amount: Decimal | None = None
    currency: str = ""
    reference: str = ""
    sender: str = ""
    receiver_name: str = ""
    receiver_account: str = ""
    date: datetime | None = None
    status: str = ""


def tesseract_available() -> bool:
    return shutil.which("tesseract") is not None


def read_slip(image: Image.Image) -> tuple[str, Parsed]:
    """What OCR read and what the parser made of it."""
    import pytesseract

    text = pytesseract.image_to_string(preprocess(image), lang="eng", config=OCR_CONFIG)
    return text, parse_slip(text)


def preprocess(image: Image.Image) -> Image.Image:
    """Grayscale, scaled to a width Tesseract likes, straightened, and thresholded to black on white."""
    gray = ImageOps.exif_transpose(image).convert("L")
    scale = TARGET_WIDTH / gray.width
    if abs(scale - 1) > 0.1:
        gray = gray.resize((TARGET_WIDTH, max(1, round(gray.height * scale))), Image.Resampling.LANCZOS)
    gray = ImageOps.autocontrast(gray, cutoff=1)
    if _mean(gray) < 110:  # light text on a dark theme
        gray = ImageOps.invert(gray)
    gray = gray.rotate(_skew(gray), resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    gray = gray.filter(ImageFilter.MedianFilter(3))
    cut = _otsu(gray)
    return gray.point(lambda v: 255 if v > cut else 0)


def _mean(gray: Image.Image) -> float:
    histogram = gray.histogram()
    return sum(i * n for i, n in enumerate(histogram)) / max(1, sum(histogram))


def _otsu(gray: Image.Image) -> int:
    histogram = gray.histogram()
    total = sum(histogram)
    weighted = sum(i * n for i, n in enumerate(histogram))
    best, cut, below, below_sum = 0.0, 128, 0, 0.0
    for level in range(256):
        below += histogram[level]
        if below == 0 or below == total:
            continue
        below_sum += level * histogram[level]
        mean_below, mean_above = below_sum / below, (weighted - below_sum) / (total - below)
        spread = below * (total - below) * (mean_below - mean_above) ** 2
        if spread > best:
            best, cut = spread, level
    return cut


def _skew(gray: Image.Image) -> float:
    """The angle that makes the text lines most distinct: rows alternate ink and paper when straight."""
    import numpy

    small = gray.resize((400, max(1, round(gray.height * 400 / gray.width))))
    ink = ImageOps.invert(small)
    best_angle, best_score = 0.0, -1.0
    for angle in DESKEW_ANGLES:
        rows = numpy.asarray(ink.rotate(angle, expand=False), dtype=numpy.float32).sum(axis=1)
        score = float(numpy.square(numpy.diff(rows)).sum())
        if score > best_score:
            best_angle, best_score = angle, score
    return best_angle


# --- the parser ---------------------------------------------------------------------------------

_AMOUNT = re.compile(r"\b(MVR|USD|RF|MRF)\s*[:.]?\s*([0-9][0-9,. ]*[.,][0-9]{2})\b", re.IGNORECASE)
_BARE_AMOUNT = re.compile(r"([0-9][0-9,]*\.[0-9]{2})")
_LABELS = ("reference", "ref", "from", "to", "amount", "date", "transaction", "status", "purpose", "remarks",
           "message", "value", "fee", "narration", "description")
# Lines that belong to the bank's page, never to a person.
_BOILERPLATE = re.compile(r"bank|maldives|islamic|receipt|successful|thank|transfer|customer|support|"
                          r"www\.|http|hotline|purpose|remarks", re.IGNORECASE)
_DATE_FORMATS = ("%d/%m/%Y %H:%M", "%d-%m-%Y %H:%M", "%d %b %Y %H:%M", "%d/%m/%Y", "%d %b %Y", "%Y-%m-%d %H:%M")
# What OCR confuses: letters in digit runs and digits in letter runs.
_AS_DIGIT = str.maketrans({"O": "0", "o": "0", "D": "0", "Q": "0", "I": "1", "l": "1", "|": "1", "i": "1",
                           "S": "5", "s": "5", "B": "8", "Z": "2", "z": "2", "G": "6", "T": "7", "g": "9"})
_AS_LETTER = str.maketrans({"0": "O", "1": "I", "5": "S", "8": "B", "2": "Z", "6": "G", "7": "T"})


def parse_slip(text: str) -> Parsed:
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    bank = _bank(lines)
    if bank == "MIB":
        return _parse_mib(lines)
    return _parse_bml(lines, bank)


def _bank(lines: list[str]) -> str:
    joined = "\n".join(lines).lower()
    if "islamic" in joined or re.search(r"\bmib\b", joined) or re.search(r"^reference\s*#?\s*$", joined, re.M):
        return "MIB"
    if "bank of maldives" in joined or re.search(r"\bbml\b", joined) or re.search(r"^reference\s+\S", joined, re.M):
        return "BML"
    return ""


def _label(line: str, *names: str) -> str | None:
    """The rest of the line when it starts with one of the labels ("From", "Reference #", "To:")."""
    for name in names:
        match = re.match(rf"^{name}\b\s*[#:;.]*\s*(.*)$", line, re.IGNORECASE)
        if match:
            return match[1].strip()
    return None


def _is_label(line: str) -> bool:
    first = re.split(r"[\s#:]", line.strip(), maxsplit=1)[0].lower()
    return first in _LABELS


def _amount(lines: list[str], after_label: int | None) -> tuple[Decimal | None, str]:
    candidates = lines[after_label:after_label + 2] if after_label is not None else []
    for line in [*candidates, *lines]:
        match = _AMOUNT.search(line)
        if match:
            return _decimal(match[2]), _currency(match[1])
    for line in candidates:
        match = _BARE_AMOUNT.search(line.replace(" ", ""))
        if match:
            return _decimal(match[1]), ""
    return None, ""


def _currency(word: str) -> str:
    word = word.upper()
    return "MVR" if word in ("RF", "MRF") else word


def _decimal(text: str) -> Decimal | None:
    digits = text.replace(" ", "")
    digits = re.sub(r"[.,](?=[0-9]{3}(?:[.,]|$))", "", digits)  # thousands separators, either sign
    digits = digits.replace(",", ".")
    try:
        value = Decimal(digits)
    except InvalidOperation:
        return None
    return value if value.is_finite() and value > 0 else None


def _name(text: str) -> str:
    name = re.sub(r"[^A-Za-z. '-]", "", text).strip(" .'-")
    if not name or _BOILERPLATE.search(name) or _is_label(name):
        return ""
    return " ".join(name.split()).upper()


def _split_receiver(text: str) -> tuple[str, str]:
    """"NAME 90103101325241000": the account is the last word when it is mostly digits (OCR's look-alike
    letters inside it read as digits; the name's own letters are left alone)."""
    words = text.split(" ")
    last = words[-1] if words else ""
    if len(last) >= 7 and sum(char.isdigit() for char in last) >= len(last) - 2:
        account = re.sub(r"[^0-9]", "", last.translate(_AS_DIGIT))
        return _name(" ".join(words[:-1])), account
    return _name(text), ""


def _date(text: str) -> datetime | None:
    text = re.sub(r"\s+", " ", text.strip())
    for form in _DATE_FORMATS:
        for length in (len(text), 16, 11, 10):
            try:
                return datetime.strptime(text[:length].strip(), form)
            except ValueError:
                continue
    return None


def _bml_reference(text: str) -> str:
    token = re.sub(r"[^A-Za-z0-9]", "", text.split(" ")[0] if text else "")
    if len(token) < 16:  # OCR sometimes splits the reference with a space: nothing else is on that line
        token = re.sub(r"[^A-Za-z0-9]", "", text)[:16]
    if len(token) < 8:
        return ""
    # BML references are four letters and twelve digits; OCR swaps look-alikes inside either part.
    if len(token) == 16:
        return token[:4].upper().translate(_AS_LETTER) + token[4:].translate(_AS_DIGIT)
    return token.upper()


def _parse_bml(lines: list[str], bank: str) -> Parsed:
    found: dict = {"bank": bank or "BML"}
    amount_at = None
    for index, line in enumerate(lines):
        if (value := _label(line, "Reference", "Ref")) is not None and "reference" not in found:
            found["reference"] = _bml_reference(value)
        elif (value := _label(line, "From")) is not None and "sender" not in found:
            found["sender"] = _name(value)
        elif (value := _label(line, "To")) is not None and "receiver_name" not in found:
            found["receiver_name"], found["receiver_account"] = _split_receiver(value)
        elif _label(line, "Amount") is not None and amount_at is None:
            amount_at = index
        elif (value := _label(line, "Transaction date", "Date", "Value date")) is not None and "date" not in found:
            found["date"] = _date(value)
        elif (value := _label(line, "Status")) is not None and "status" not in found:
            found["status"] = value.split(" ")[0].upper() if value else ""
    found["amount"], found["currency"] = _amount(lines, amount_at)
    return Parsed(**found)


def _below(lines: list[str], index: int) -> str:
    """The value under a label (MIB); a label right below means the value is missing."""
    for line in lines[index + 1:index + 2]:
        if not _is_label(line):
            return line
    return ""


def _parse_mib(lines: list[str]) -> Parsed:
    found: dict = {"bank": "MIB"}
    amount_at = None
    for index, line in enumerate(lines):
        same_line = None
        if (same_line := _label(line, "Reference")) is not None and "reference" not in found:
            value = same_line.lstrip("#: ") or _below(lines, index)
            digits = re.sub(r"[^0-9]", "", value.translate(_AS_DIGIT))
            found["reference"] = digits if len(digits) >= 6 else ""
        elif (same_line := _label(line, "From")) is not None and "sender" not in found:
            found["sender"] = _name(same_line or _below(lines, index))
        elif (same_line := _label(line, "To")) is not None and "receiver_name" not in found:
            name = same_line or _below(lines, index)
            found["receiver_name"], account = _split_receiver(name)
            if not account and index + 2 < len(lines) and not _is_label(lines[index + 2]):
                account_line = lines[index + 2] if not same_line else lines[index + 1]
                digits = account_line.translate(_AS_DIGIT).replace(" ", "")
                account = digits if re.fullmatch(r"[0-9]{7,}", digits) else ""
            found["receiver_account"] = account
        elif _label(line, "Amount") is not None and amount_at is None:
            amount_at = index
        elif (same_line := _label(line, "Transaction Date", "Date")) is not None and "date" not in found:
            found["date"] = _date(same_line or _below(lines, index))
        elif (same_line := _label(line, "Status")) is not None and "status" not in found:
            found["status"] = (same_line or _below(lines, index)).split(" ")[0].upper()
    found["amount"], found["currency"] = _amount(lines, amount_at)
    return Parsed(**found)
