import os
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from hypothesis import settings as hypothesis_settings

from ledger import services
from ledger.actors import Actor, admin_actor
from ledger.models import Admin, PaymentMethod, Player
from ledger.rules import DEFAULT_PAYMENT_METHODS

pytest_plugins = ["tests.browser"]  # the headless Chromium fixtures

hypothesis_settings.register_profile("dev", max_examples=100, deadline=None)
hypothesis_settings.register_profile("ci", max_examples=1000, deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

# Real Telegram ids exceed 2^31; tests use ids of that size on purpose.
PLAYER_ID = 5_000_000_001
ADMIN_ID = 7_000_000_001


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(pytest.mark.django_db(transaction=True))


@pytest.fixture(autouse=True)
def _postgres_only(request):
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL (the CI run does)")


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    """The API's throttle counts in the process's cache: each test starts with none spent."""
    cache.clear()


def seed_payment_methods() -> dict[str, PaymentMethod]:
    """The fresh-install methods; transactional tests flush what the data migration seeded."""
    for method in DEFAULT_PAYMENT_METHODS:
        PaymentMethod.objects.get_or_create(code=method["code"], defaults=method)
    return {method.code: method for method in PaymentMethod.objects.all()}


@pytest.fixture
def methods(db):
    return seed_payment_methods()


@pytest.fixture
def player(methods):
    return services.user_upsert(telegram_id=PLAYER_ID, username="ali", first_name="Ali", pppoker_id="12345")


@pytest.fixture
def admin(db) -> Actor:
    Admin.objects.get_or_create(telegram_id=ADMIN_ID, defaults={"name": "Club admin"})
    return admin_actor(ADMIN_ID)


def deposit_for(telegram_id: int, amount="500", method="BML", **extra):
    fields = {"account_name": "Ali Ahmed", "proof": "AgACAgUAAxkBAAIB", "pppoker_id": "12345", **extra}
    return services.deposit_create(telegram_id=telegram_id, amount=Decimal(amount), method=method, **fields)


def approved_deposit(telegram_id: int, actor: Actor, amount="500", method="BML", **extra):
    deposit = deposit_for(telegram_id, amount, method, **extra)
    return services.deposit_approve(deposit_id=deposit.pk, actor=actor)


API_TOKEN = "test-bot-token-0123456789"


class Api:
    """Posts GraphQL to /graphql/ through Django's test client, as the bot by default."""

    def __init__(self, client, token: str | None = API_TOKEN):
        self.client = client
        self.token = token

    def raw(self, query: str, variables: dict | None = None, **headers):
        if self.token:
            headers.setdefault("HTTP_AUTHORIZATION", f"Bearer {self.token}")
        return self.client.post("/graphql/", {"query": query, "variables": variables or {}},
                                content_type="application/json", **headers)

    def __call__(self, query: str, variables: dict | None = None, **headers) -> dict:
        response = self.raw(query, variables, **headers)
        body = response.json()
        assert response.status_code == 200 and "errors" not in body, body
        return body["data"]


@pytest.fixture
def api(client, settings, db):
    settings.API_TOKEN = API_TOKEN
    return Api(client)


@pytest.fixture
def add_players(methods, admin):
    def add(count: int):
        start = Player.objects.count()
        for index in range(start, start + count):
            tid = 6_000_000_000 + index
            services.user_upsert(telegram_id=tid, username=f"p{index}")
            deposit = deposit_for(tid, amount="2000")
            services.deposit_approve(deposit_id=deposit.pk, actor=admin)
            deposit_for(tid)
            services.withdrawal_create(telegram_id=tid, amount="300", method="BML", account_number="7730001",
                                       pppoker_id="12345")
            services.spins_process(telegram_id=tid, count=1)
    return add
