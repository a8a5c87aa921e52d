"""Images for the slip tests, made on the spot (no real slip is ever in the tree)."""
import io
import json

from PIL import Image, ImageDraw

SLIP_FIELDS = "id status proof amount slipUrl slipReading { done amount reference bank sender receiverName " \
              "receiverAccount warnings { code message } }"
CREATE_SLIP_DEPOSIT = """mutation($input: SlipDepositInput!) { createSlipDeposit(input: $input) {
  ... on Deposit { %s } ... on OperationInfo { messages { kind message field code } } } }""" % SLIP_FIELDS


def image_bytes(kind: str = "PNG", size=(600, 800), text: str = "Transfer 500.00 MVR", exif: bytes | None = None,
                mode: str = "RGB") -> bytes:
    image = Image.new(mode, size, "white")
    if mode != "1":
        ImageDraw.Draw(image).text((20, 20), text, fill="black")
    out = io.BytesIO()
    image.save(out, format=kind, **({"exif": exif} if exif else {}))
    return out.getvalue()


def multipart(variables: dict, data: bytes, *, filename: str = "slip.png", content_type: str = "image/png") -> dict:
    """The GraphQL multipart request spec's three parts: operations, map, the file."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    variables = {**variables, "input": {**variables["input"], "slip": None}}
    return {"operations": json.dumps({"query": CREATE_SLIP_DEPOSIT, "variables": variables}),
            "map": json.dumps({"0": ["variables.input.slip"]}),
            "0": SimpleUploadedFile(filename, data, content_type=content_type)}
