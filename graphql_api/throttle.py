"""Throttling of the API with django-ratelimit, on Django's cache.

Two budgets per request: the caller's (the bot token with the admin it acts for, or a staff
user) and each player's it names (every `telegramId`, as a literal or a variable, at any depth
of the arguments). A third one slows wrong bearer tokens per client address. The rates are
settings (API_RATE_*); `Retry-After` says when the window that refused the request ends.
"""
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import get_usage
from graphql import (
    ArgumentNode,
    DocumentNode,
    GraphQLError,
    IntValueNode,
    ObjectFieldNode,
    StringValueNode,
    ValueNode,
    VariableNode,
    visit,
)
from graphql.language import Visitor

PLAYER_ARGUMENT, ACTOR_ARGUMENT = "telegramId", "actorTelegramId"


@dataclass(frozen=True)
class Refusal:
    retry_after: int

    def error(self) -> GraphQLError:
        return GraphQLError(f"Too many requests; retry in {self.retry_after} s.",
                            extensions={"code": "RATE_LIMITED", "retryAfter": self.retry_after})


def spend(request: HttpRequest, budgets: Iterable[tuple[str, str, str]]) -> Refusal | None:
    """Counts the request against each (group, key, rate); the longest wait if any is exhausted."""
    waits = []
    for group, key, rate in budgets:
        usage = get_usage(request, group=group, key=lambda _group, _request, key=key: key, rate=rate,
                          increment=True)
        if usage is not None and usage["should_limit"]:
            waits.append(max(1, usage["time_left"]))
    return Refusal(max(waits)) if waits else None


def client_address(request: HttpRequest) -> str | None:
    """None when unknown (a login without a request, e.g. the test client's force_login)."""
    return request.META.get(settings.RATELIMIT_IP_META_KEY) or None


def bad_token(request: HttpRequest) -> Refusal | None:
    return spend(request, [("api-bad-token", f"ip:{client_address(request)}", settings.API_RATE_BAD_TOKEN)])


@dataclass(frozen=True)
class IdSites:
    """Where a document names players and actors: the ids written in it, the variables passed as
    those arguments, and every variable it declares or uses (an input object in one may hold ids).
    Found once per document text (extensions.Documents caches it): walking the document on every
    request was the throttle's largest cost."""
    written: tuple[tuple[str, str], ...]
    passed: tuple[tuple[str, str], ...]
    variables: tuple[str, ...]


def id_sites(document: DocumentNode) -> IdSites:
    collector = _SiteCollector()
    visit(document, collector)
    return IdSites(tuple(collector.written), tuple(collector.passed), tuple(dict.fromkeys(collector.variables)))


def request_budgets(caller_key: str, sites: IdSites, variables: dict | None) -> list[tuple[str, str, str]]:
    named = _named_ids(sites, variables or {})
    actors = named.get(ACTOR_ARGUMENT) or {"-"}
    budgets = [("api-caller", f"{caller_key}:{actor}", settings.API_RATE_PER_CALLER) for actor in sorted(actors)]
    budgets += [("api-player", f"player:{player}", settings.API_RATE_PER_PLAYER)
                for player in sorted(named.get(PLAYER_ARGUMENT, ()))]
    return budgets


def _named_ids(sites: IdSites, variables: dict) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}

    def add(name: str, value: object) -> None:
        if name in (PLAYER_ARGUMENT, ACTOR_ARGUMENT) and isinstance(value, (int, str)):
            found.setdefault(name, set()).add(str(value).strip()[:24])

    for name, value in sites.written:
        add(name, value)
    for name, variable in sites.passed:
        add(name, variables.get(variable))
    for variable in sites.variables:
        for name, value in _keyed_values(variables.get(variable)):
            add(name, value)
    return found


class _SiteCollector(Visitor):
    """The player and actor arguments wherever they are written (a validated document, so the
    walk is as bounded as the document)."""

    def __init__(self):
        super().__init__()
        self.written: list[tuple[str, str]] = []
        self.passed: list[tuple[str, str]] = []
        self.variables: list[str] = []

    def enter_argument(self, node: ArgumentNode, *_args):
        self._take(node.name.value, node.value)

    def enter_object_field(self, node: ObjectFieldNode, *_args):
        self._take(node.name.value, node.value)

    def enter_variable(self, node: VariableNode, *_args):
        self.variables.append(node.name.value)

    def _take(self, name: str, value: ValueNode) -> None:
        if name not in (PLAYER_ARGUMENT, ACTOR_ARGUMENT):
            return
        if isinstance(value, (IntValueNode, StringValueNode)):
            self.written.append((name, value.value))
        elif isinstance(value, VariableNode):
            self.passed.append((name, value.name.value))


def _keyed_values(value: object):
    """(key, value) of every object inside a JSON value, iteratively: variables may nest deep."""
    pending = [value]
    while pending:
        current = pending.pop()
        if isinstance(current, dict):
            pending.extend(current.values())
            yield from current.items()
        elif isinstance(current, list):
            pending.extend(current)
