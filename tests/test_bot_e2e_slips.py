"""Slips end to end: the real bot downloads the player's image from the Telegram fake and uploads it
to the live backend with the deposit. The world (backend, fake, bot, two admins) is test_bot_e2e's."""
import io
import re

import httpx
from PIL import Image

from botclient import keyboards
from tests.fakes.slips import encoded, random_truth, render
from tests.slipfiles import image_bytes
from tests.test_slips_reading import needs_ocr
from tests.test_bot_e2e import ADMIN_A, admin_message, w, world  # noqa: F401  (fixtures)

SLIP_FIELDS = "proof slipUrl slipReading { done amount reference warnings { code } }"


def deposit_with(w, player, send_slip, *, amount: str = "500") -> tuple[int, dict]:
    mark = player.send(keyboards.DEPOSIT)
    player.wait_for(lambda m: ["Bank of Maldives", "Maldives Islamic Bank"] in m.buttons, after=mark)
    mark = player.press_button("Bank of Maldives")
    player.wait_for_text("Account number", after=mark)
    mark = player.send(amount)
    player.wait_for_text("name on the account", after=mark)
    mark = player.send(f"{player.first_name} Real")
    player.wait_for_text("photo of the transfer slip", after=mark)
    mark = send_slip()
    mark = player.press_button("Use 12345", player.wait_for(lambda m: ["Use 12345"] in m.buttons, after=mark))
    mark = player.press_button("✅ Confirm", player.wait_for_text("Please check your deposit", after=mark))
    deposit_id = int(re.search(r"#(\d+)", player.wait_for_text("was sent", after=mark).text).group(1))
    read = w.gql("query($id: ID!) { deposit(id: $id) { %s } }" % SLIP_FIELDS, {"id": deposit_id})["deposit"]
    return deposit_id, read


def test_an_image_sent_as_a_file_is_uploaded_and_its_file_id_kept(w):
    player = w.new_player("Hawwa")
    content = image_bytes("PNG", text="slip sent as a file")
    deposit_id, read = deposit_with(w, player, lambda: player.send_document("BQACAgUAAxkBAAIslipdoc", content))
    assert read["proof"] == "BQACAgUAAxkBAAIslipdoc" and read["slipReading"] is not None
    fetched = httpx.get(read["slipUrl"], timeout=10)
    assert fetched.status_code == 200 and fetched.headers["content-type"] == "image/png"
    with Image.open(io.BytesIO(fetched.content)) as image:
        assert image.size == (600, 800)
    assert admin_message(w.admin_a, f"Deposit #{deposit_id}")
    assert httpx.get(read["slipUrl"].replace("/slips/", "/slips/x"), timeout=10).status_code == 404


def test_a_photo_is_uploaded_too(w):
    player = w.new_player("Ibrahim")
    content = image_bytes("JPEG", text="slip sent as a photo")
    deposit_id, read = deposit_with(w, player, lambda: player.send_photo("AgACAgUAAxkBAAIslipphoto", content=content))
    assert read["proof"] == "AgACAgUAAxkBAAIslipphoto"
    card = admin_message(w.admin_a, f"Deposit #{deposit_id}")
    assert card.photo == "AgACAgUAAxkBAAIslipphoto"
    assert httpx.get(read["slipUrl"], timeout=10).headers["content-type"] == "image/jpeg"


def run_worker_queue(w) -> None:
    """What the Huey worker would do next: every task the web process queued (here, the readings)."""
    w.backend.manage("shell", "-c", "from huey.contrib.djhuey import HUEY\n"
                                    "while (task := HUEY.dequeue()) is not None:\n"
                                    "    HUEY.execute(task)")


@needs_ocr
def test_a_generated_slip_is_read_by_the_worker_and_a_resent_copy_is_flagged(w):
    import random

    rng = random.Random(18)
    truth = random_truth(rng, "BML", receiver_name="CLUB LTD", receiver_account="7730000123456")
    content = encoded(render(truth, rng), "JPEG")
    amount = f"{truth.amount:,.2f}"

    player = w.new_player("Mariyam")
    deposit_id, read = deposit_with(w, player, lambda: player.send_photo("AgACAgUAAxkBAAIgenslip1", content=content),
                                    amount=amount)
    assert read["slipReading"]["done"] is False
    card = admin_message(w.admin_a, f"Deposit #{deposit_id}")
    assert "being read" in card.text
    mark = w.admin_a.mark()
    run_worker_queue(w)
    hinted = w.admin_a.wait_for(lambda m: m.message_id == card.message_id and "Slip read" in (m.text or ""),
                                after=mark)
    assert truth.reference in hinted.text and "⚠️" not in hinted.text

    other = w.new_player("Yoosuf")
    again_id, _ = deposit_with(w, other, lambda: other.send_photo("AgACAgUAAxkBAAIgenslip2", content=content),
                               amount=amount)
    card = admin_message(w.admin_b, f"Deposit #{again_id}")
    mark = w.admin_b.mark()
    run_worker_queue(w)
    flagged = w.admin_b.wait_for(lambda m: m.message_id == card.message_id and "⚠️" in (m.text or ""), after=mark)
    assert f"Reference {truth.reference} is on deposit #{deposit_id} too." in flagged.text
    assert f"The same image is on deposit #{deposit_id}." in flagged.text
    codes = w.gql("query($id: ID!) { deposit(id: $id) { slipReading { warnings { code } } } }",
                  {"id": again_id})["deposit"]["slipReading"]["warnings"]
    assert [c["code"] for c in codes] == ["DUPLICATE_REFERENCE", "DUPLICATE_IMAGE"]
