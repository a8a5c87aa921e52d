"""Synthetic bank slips in the two layouts the parser knows, with what each one says, for the tests and
bench/slips.py. Everything is generated: random names, amounts, references, dates; Debian's DejaVu
fonts. No real slip, name or account appears anywhere."""
import io
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONTS = ["DejaVuSans.ttf", "DejaVuSansCondensed.ttf", "DejaVuSans-Bold.ttf"]
_CONSONANTS = "BDFHJKLMNRSTVZ"
_VOWELS = "AEIOU"


def fonts_available() -> bool:
    return all((FONT_DIR / name).exists() for name in FONTS)


@dataclass(frozen=True)
class SlipTruth:
    bank: str
    amount: Decimal
    reference: str
    sender: str
    receiver_name: str
    receiver_account: str
    date: datetime


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(_CONSONANTS) + rng.choice(_VOWELS) for _ in range(rng.randint(2, 3)))[
        :rng.randint(4, 6)]


def random_name(rng: random.Random) -> str:
    """Made-up words; a third of them with the dots that slips often show (e.g. ABCD.EFGH)."""
    first, last = _word(rng), _word(rng)
    return f"{first}.{last}" if rng.random() < 0.33 else f"{first} {last}"


def random_truth(rng: random.Random, bank: str, *, receiver_name: str | None = None,
                 receiver_account: str | None = None) -> SlipTruth:
    amount = Decimal(rng.randint(100, 60000)) + (Decimal(rng.randint(0, 99)) / 100 if rng.random() < 0.3 else 0)
    if bank == "BML":
        reference = "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXY") for _ in range(4)) + "".join(
            rng.choice("0123456789") for _ in range(12))
        account = receiver_account or "7730" + "".join(rng.choice("0123456789") for _ in range(9))
    else:
        reference = str(rng.randint(100_000_000, 999_999_999))
        account = receiver_account or "9010" + "".join(rng.choice("0123456789") for _ in range(13))
    date = datetime(2025, 1, 1) + timedelta(minutes=rng.randint(0, 525_000))
    return SlipTruth(bank=bank, amount=amount.quantize(Decimal("0.01")), reference=reference,
                     sender=random_name(rng), receiver_name=receiver_name or random_name(rng).replace(".", " "),
                     receiver_account=account, date=date)


def render(truth: SlipTruth, rng: random.Random) -> Image.Image:
    """A clean phone-screenshot-like slip."""
    width, height = (900, 1500) if truth.bank == "MIB" else (1050, 1150)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    size = rng.randint(30, 36)
    font = ImageFont.truetype(str(FONT_DIR / rng.choice(FONTS[:2])), size)
    bold = ImageFont.truetype(str(FONT_DIR / FONTS[2]), size + 6)
    header = (0, 70, 140) if truth.bank == "BML" else (0, 110, 80)
    draw.rectangle([0, 0, width, 140], fill=header)
    title = "Bank of Maldives" if truth.bank == "BML" else "Maldives Islamic Bank"
    draw.text((40, 45), title, font=bold, fill="white")
    amount = f"MVR {truth.amount:,.2f}"
    y = 190
    if truth.bank == "BML":
        rows = [("Status", "SUCCESS"), ("Message", "Transfer successful"), ("Reference", truth.reference),
                ("Transaction date", truth.date.strftime("%d/%m/%Y %H:%M")), ("From", truth.sender),
                ("To", f"{truth.receiver_name} {truth.receiver_account}"), ("Amount", amount),
                ("Remarks", rng.choice(["poker", "chips", "deposit", "-"]))]
        for label, value in rows:
            draw.text((40, y), label, font=font, fill=(90, 90, 90))
            draw.text((330, y), value, font=font, fill="black")
            y += size + 50
    else:
        draw.text((40, y), "Transfer Successful", font=bold, fill=header)
        y += size + 60
        rows = [("Reference #", [truth.reference]), ("Transaction Date", [truth.date.strftime("%d %b %Y %H:%M")]),
                ("From", [truth.sender]), ("To", [truth.receiver_name, truth.receiver_account]),
                ("Amount", [amount]), ("Purpose", [rng.choice(["Transfer", "Payment", "Others"])])]
        for label, values in rows:
            draw.text((40, y), label, font=font, fill=(110, 110, 110))
            y += size + 18
            for value in values:
                draw.text((40, y), value, font=font, fill="black")
                y += size + 14
            y += 30
    draw.text((40, height - 80), "Thank you for banking with us", font=font, fill=(120, 120, 120))
    return image


def degrade(image: Image.Image, rng: random.Random) -> Image.Image:
    """A phone photo of the screen: perspective, a small rotation, blur, noise and JPEG compression."""
    width, height = image.size
    d = 0.04
    quad = [rng.uniform(0, d) * width, rng.uniform(0, d) * height, rng.uniform(0, d) * width,
            height - rng.uniform(0, d) * height, width - rng.uniform(0, d) * width, height - rng.uniform(0, d) * height,
            width - rng.uniform(0, d) * width, rng.uniform(0, d) * height]
    image = image.transform((width, height), Image.Transform.QUAD, quad, Image.Resampling.BICUBIC,
                            fillcolor="white")
    image = image.rotate(rng.uniform(-4, 4), resample=Image.Resampling.BICUBIC, expand=True, fillcolor="white")
    image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.2)))
    noise = Image.effect_noise(image.size, rng.uniform(8, 20)).convert("RGB")
    image = Image.blend(image, noise, 0.08)
    scale = rng.uniform(0.7, 1.0)
    image = image.resize((int(image.width * scale), int(image.height * scale)))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=rng.randint(35, 70))
    return Image.open(io.BytesIO(out.getvalue()))


def slip_set(seed: int, count: int, bank: str, *, degraded: bool) -> list[tuple[SlipTruth, Image.Image]]:
    rng = random.Random(f"{seed}:{bank}:{degraded}")
    made = []
    for _ in range(count):
        truth = random_truth(rng, bank)
        image = render(truth, rng)
        made.append((truth, degrade(image, rng) if degraded else image))
    return made


def encoded(image: Image.Image, kind: str = "PNG") -> bytes:
    out = io.BytesIO()
    image.convert("RGB").save(out, format=kind, **({"quality": 85} if kind == "JPEG" else {}))
    return out.getvalue()
