"""What the club keeps of a slip image: its pixels only, re-encoded, and the hash that finds it again."""
import difflib
import hashlib
import io
from dataclasses import dataclass

from PIL import Image, ImageOps

from ledger.validators import SLIP_FORMATS

EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# Bits of the 64-bit perceptual hash two images may differ by and still look the same: re-compression
# and resizing move a few. A hash of the whole image sees the bank's layout, not the digits in it, so
# two slips of one bank look the same to it too: what OCR read on them decides (same_image).
SAME_IMAGE_BITS = 6
SAME_TEXT_RATIO = 0.9


@dataclass(frozen=True)
class StoredImage:
    data: bytes
    extension: str
    content_type: str
    width: int
    height: int
    sha256: str
    phash: str


def reencode(image: Image.Image) -> StoredImage:
    """The image drawn anew in its own format: EXIF (GPS, the phone's model), XMP, ICC and comments
    are not copied. The EXIF orientation is applied first, since it goes with the rest."""
    kind = image.format or "PNG"
    upright = ImageOps.exif_transpose(image)
    mode = "RGBA" if kind != "JPEG" and upright.mode in ("RGBA", "LA", "P") else "RGB"
    pixels = upright.convert(mode)
    out = io.BytesIO()
    options = {"JPEG": {"quality": 90}, "WEBP": {"quality": 90}, "PNG": {"optimize": False}}[kind]
    pixels.save(out, format=kind, **options)
    data = out.getvalue()
    return StoredImage(data=data, extension=EXTENSIONS[kind], content_type=SLIP_FORMATS[kind],
                       width=pixels.width, height=pixels.height, sha256=hashlib.sha256(data).hexdigest(),
                       phash=perceptual_hash(pixels))


def perceptual_hash(image: Image.Image) -> str:
    import imagehash

    return str(imagehash.phash(image.convert("L")))


def hash_distance(first: str, second: str) -> int:
    return bin(int(first, 16) ^ int(second, 16)).count("1")


def same_image(first: tuple[str, str], second: tuple[str, str]) -> bool:
    """(perceptual hash, text read) of two slips: the same picture, and the same words on it (or no
    words read on either)."""
    (first_hash, first_text), (second_hash, second_text) = first, second
    if hash_distance(first_hash, second_hash) > SAME_IMAGE_BITS:
        return False
    first_words, second_words = " ".join(first_text.split()), " ".join(second_text.split())
    if not first_words or not second_words:
        return not first_words and not second_words
    matcher = difflib.SequenceMatcher(None, first_words, second_words, autojunk=False)
    # The quick ratios are upper bounds of ratio(): most other slips are told apart without the full match.
    return (matcher.real_quick_ratio() >= SAME_TEXT_RATIO and matcher.quick_ratio() >= SAME_TEXT_RATIO
            and matcher.ratio() >= SAME_TEXT_RATIO)
