"""GraphiQL at /graphql/ works without internet: every asset is vendored and served by us.

Strawberry's Django view renders ``graphql/graphiql.html`` (our template) instead of its
bundled page that loads React/GraphiQL from unpkg. The first tests only need the
template and the static files; the last ones need the /graphql/ view to be wired.
"""
import base64
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import get_template, render_to_string
from django.test import Client, RequestFactory

TEMPLATE = "graphql/graphiql.html"

# sha384 of the vendored files; identical to the integrity attributes in
# strawberry-graphql 0.341.2's strawberry/static/graphiql.html (unpkg URLs).
VENDORED_SHA384 = {
    "graphiql/react.production.min.js": "tMH8h3BGESGckSAVGZ82T9n90ztNXxvdwvdM6UoR56cYcf+0iGXBliJ29D+wZ/x8",
    "graphiql/react-dom.production.min.js": "bm7MnzvK++ykSwVJ2tynSE5TRdN+xL418osEVF2DE/L/gfWHj91J2Sphe582B1Bh",
    "graphiql/js.cookie.min.js": "/vxhYfM1LENRhdpZ8dwEsQn/X4VhpbEZSiU4m/FwR+PVpzar4fkEOw8FP9Y+OfQN",
    "graphiql/graphiql.min.js": "HbRVEFG0JGJZeAHCJ9Xm2+tpknBQ7QZmNlO/DgZtkZ0aJSypT96YYGRNod99l9Ie",
    "graphiql/graphiql.min.css": "Mq3vbRBY71jfjQAt/DcjxUIYY33ksal4cgdRt9U/hNPvHBCaT2JfJ/PTRiPKf0aM",
    "graphiql/plugin-explorer.umd.js": "2oonKe47vfHIZnmB6ZZ10vl7T0Y+qrHQF2cmNTaFDuPshpKqpUMGMc9jgj9MLDZ9",
    "graphiql/plugin-explorer.css": "5DFJlDPW2tSATRbM8kzoP1j194jexLswuNmClWoRr2Q0x7R68JIQzPHZ02Faktwi",
}
LICENSES = ["react", "react-dom", "js-cookie", "graphiql", "graphiql-explorer"]


def sha384(data: bytes) -> str:
    return base64.b64encode(hashlib.sha384(data).digest()).decode()


class _Refs(HTMLParser):
    """Every src=/href= in the page, plus the script and stylesheet tags."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.assets: list[dict] = []  # {"url", "kind", "integrity"}
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("src", "href"):
            if attrs.get(name) is not None:
                self.urls.append(attrs[name])
        if tag == "script" and attrs.get("src"):
            self.assets.append({"url": attrs["src"], "kind": "js", "integrity": attrs.get("integrity")})
        if tag == "link" and "stylesheet" in (attrs.get("rel") or "").split():
            self.assets.append({"url": attrs["href"], "kind": "css", "integrity": attrs.get("integrity")})
        if tag == "meta" and attrs.get("name"):
            self.meta[attrs["name"]] = attrs.get("content") or ""


def parse(html: str) -> _Refs:
    refs = _Refs()
    refs.feed(html)
    refs.close()
    return refs


def assert_offline(html: str) -> _Refs:
    refs = parse(html)
    external = [u for u in refs.urls if re.match(r"^\s*(https?:)?//", u, re.I)]
    assert not external, f"GraphiQL page references external URLs: {external}"
    assert "unpkg.com" not in html and "cdn." not in html
    # Strawberry renders our template as-is: no leftovers from its own page or from Django.
    for leftover in ("{{", "{%", "{#", "REPLACE_ME", "SUBSCRIPTION_ENABLED", "NOTPROVIDED"):
        assert leftover not in html, f"unrendered placeholder {leftover!r} in GraphiQL page"
    assert len(refs.assets) == len(VENDORED_SHA384)
    return refs


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def assert_assets_served(client: Client, refs: _Refs) -> None:
    for asset in refs.assets:
        url = asset["url"]
        assert url.startswith("/" + settings.STATIC_URL.strip("/") + "/"), url
        response = client.get(url)
        assert response.status_code == 200, url
        content = body(response)
        assert content, f"{url} is empty"
        content_type = response["Content-Type"]
        if asset["kind"] == "js":
            assert "javascript" in content_type, (url, content_type)
        else:
            assert content_type.startswith("text/css"), (url, content_type)
        # The browser enforces integrity=; a stale hash would silently block the IDE.
        assert asset["integrity"] == "sha384-" + sha384(content), f"integrity mismatch for {url}"


@pytest.fixture
def rendered_page() -> str:
    return render_to_string(TEMPLATE, request=RequestFactory().get("/graphql/"))


# --- Template and vendored files (independent of the /graphql/ view) ----------------


def test_vendored_files_are_the_exact_npm_builds():
    for path, expected in VENDORED_SHA384.items():
        found = finders.find(path)
        assert found, f"static file {path} not found"
        assert sha384(Path(found).read_bytes()) == expected, path
    folder = Path(finders.find("graphiql/graphiql.min.js")).parent
    for name in LICENSES:
        assert (folder / f"LICENSE.{name}").read_text().startswith("MIT License"), name


def test_template_static_references_exist():
    source = Path(get_template(TEMPLATE).origin.name).read_text()
    referenced = re.findall(r"""\{%\s*static\s+['"]([^'"]+)['"]\s*%\}""", source)
    assert sorted(referenced) == sorted(VENDORED_SHA384)
    for path in referenced:
        assert finders.find(path), f"{{% static '{path}' %}} does not exist"


def test_template_renders_offline_with_csrf_and_no_subscriptions(rendered_page):
    refs = assert_offline(rendered_page)
    static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    assert sorted(a["url"] for a in refs.assets) == sorted(static_prefix + p for p in VENDORED_SHA384)
    assert all("crossorigin" not in a for a in refs.assets)
    # CSRF: the token is rendered as a fallback and sent as x-csrftoken, read from the cookie.
    assert len(refs.meta.get("csrf-token", "")) == 64
    assert 'Cookies.get("csrftoken")' in rendered_page
    assert '"x-csrftoken"' in rendered_page
    assert 'credentials = "same-origin"' in rendered_page
    # Subscriptions are not used: no websocket URL is given to the fetcher.
    assert "subscriptionUrl" not in rendered_page
    assert "ws:" not in rendered_page and "wss:" not in rendered_page
    # Club-specific first query.
    first_query = "{ pendingDeposits(first: 10) { id amount method status createdAt user { telegramId username } } }"
    assert first_query in rendered_page


def test_rendered_assets_are_served_same_origin(client, rendered_page):
    """whitenoise (WHITENOISE_USE_FINDERS in tests) serves every referenced asset."""
    assert_assets_served(client, assert_offline(rendered_page))


# --- The wired /graphql/ view (needs graphql_api urls + view) ------------------------


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user(username="staff", password="pw-not-used", is_staff=True)


def test_graphiql_page_for_staff_is_offline(client, staff):
    client.force_login(staff)
    response = client.get("/graphql/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Club ledger · GraphiQL" in html, "the view did not render graphql/graphiql.html"
    refs = assert_offline(html)
    # Rendering the token sets the csrftoken cookie the page's JS reads.
    assert response.cookies.get(settings.CSRF_COOKIE_NAME) is not None
    assert_assets_served(client, refs)


def test_graphiql_csrf_header_lets_staff_session_query(staff):
    """What the page's fetcher does: POST with the session, same-origin, x-csrftoken."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    page = client.get("/graphql/", HTTP_ACCEPT="text/html")
    assert page.status_code == 200
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    query = {"data": json.dumps({"query": "{ __typename }"}), "content_type": "application/json",
             "HTTP_ACCEPT": "application/json"}
    assert client.post("/graphql/", **query).status_code == 403  # the header is what makes it pass
    response = client.post("/graphql/", **query, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200, response.content
    assert response.json()["data"] == {"__typename": "Query"}


def test_welcome_query_is_valid_against_the_schema(rendered_page):
    from graphql import parse, validate

    from graphql_api.schema import schema

    query = re.search(r"^\{ pendingDeposits.*\}$", rendered_page, re.M).group(0)
    assert validate(schema._schema, parse(query)) == []
