"""Fair draws: the player's client seed, and rotating the server seed to reveal the old one."""
from django.db import transaction
from django.utils import timezone

from ledger.models import RevealedSeed, SpinAccount
from ledger.models.spins import new_server_seed
from ledger.rules import seed_hash
from ledger.services.common import locked_account, player_for
from ledger.validators import clean_client_seed


def fairness_client_seed_set(*, telegram_id: int, client_seed: str) -> SpinAccount:
    """The player's own input to every later draw; spins already drawn keep the seed they used."""
    client_seed = clean_client_seed(client_seed)
    with transaction.atomic():
        account = locked_account(player_for(telegram_id).pk)
        account.client_seed = client_seed
        account.version += 1
        account.save(update_fields=["client_seed", "version"])
        return account


def fairness_server_seed_rotate(*, telegram_id: int) -> SpinAccount:
    """Reveal the current server seed (every spin drawn on it can now be recomputed) and start a new
    secret one at nonce 0. Under the account's lock, so no spin is drawn on a seed already revealed."""
    with transaction.atomic():
        player = player_for(telegram_id)
        account = locked_account(player.pk)
        RevealedSeed.objects.create(player=player, server_seed=account.server_seed,
                                    server_seed_hash=seed_hash(account.server_seed), spins_drawn=account.nonce,
                                    revealed_at=timezone.now())
        account.server_seed, account.nonce = new_server_seed(), 0
        account.version += 1
        account.save(update_fields=["server_seed", "nonce", "version"])
        return account
