"""Slips end to end: the real bot downloads the player's image from the Telegram fake and uploads it
to the live backend with the deposit. The world (backend, fake, bot, two admins) is test_bot_e2e's."""
import io
import re

import httpx
from PIL import Image

from botclient import keyboards
from tests.slipfiles import image_bytes
from tests.test_bot_e2e import ADMIN_A, admin_message, w, world  # noqa: F401  (fixtures)

SLIP_FIELDS = "proof slipUrl slipReading { done amount reference warnings { code } }"


def deposit_with(w, player, send_slip) -> tuple[int, dict]:
    mark = player.send(keyboards.DEPOSIT)
    player.wait_for(lambda m: ["Bank of Maldives", "Maldives Islamic Bank"] in m.buttons, after=mark)
    mark = player.press_button("Bank of Maldives")
    player.wait_for_text("Account number", after=mark)
    mark = player.send("500")
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
