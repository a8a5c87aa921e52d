"""DRF serializers: ModelSerializers of the same fields the GraphQL documents select."""
from rest_framework import serializers

from ledger.models import Deposit, Player, Spin, SpinAccount


class SpinAccountSerializer(serializers.ModelSerializer):
    class Meta:
        model = SpinAccount
        fields = ["available_spins", "total_spins_used", "total_chips_won", "total_chips_approved",
                  "total_deposit_base", "last_spin_at"]


class UserSerializer(serializers.ModelSerializer):
    is_admin = serializers.SerializerMethodField()
    spin_account = SpinAccountSerializer(read_only=True)

    class Meta:
        model = Player
        fields = ["telegram_id", "username", "first_name", "last_name", "pppoker_id", "account_name",
                  "created_at", "is_admin", "spin_account"]

    def get_is_admin(self, player) -> bool:
        return player.telegram_id in self.context["admin_ids"]


class DepositUserSerializer(serializers.ModelSerializer):
    class Meta:
        model = Player
        fields = ["telegram_id", "username", "first_name", "last_name", "pppoker_id", "account_name"]


class DepositSerializer(serializers.ModelSerializer):
    method = serializers.CharField(source="method.code", read_only=True)
    user = DepositUserSerializer(source="player", read_only=True)

    class Meta:
        model = Deposit
        fields = ["id", "amount", "method", "currency", "amount_base", "account_name", "proof", "pppoker_id",
                  "status", "created_at", "decided_at", "decided_by", "rejection_reason", "spins_granted", "user"]
        read_only_fields = fields


class DepositCreateSerializer(serializers.Serializer):
    """Input only: the service does the ledger's own checks (and refuses with LedgerError)."""
    telegram_id = serializers.IntegerField(min_value=1)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    method = serializers.CharField(max_length=16)
    account_name = serializers.CharField(max_length=128)
    proof = serializers.CharField(max_length=256)
    pppoker_id = serializers.CharField(max_length=32)
    idempotency_key = serializers.CharField(max_length=128, required=False, allow_null=True, default=None)


class DepositApproveSerializer(serializers.Serializer):
    actor_telegram_id = serializers.IntegerField(required=False, allow_null=True, default=None)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True,
                                      default=None)


class SpinRequestSerializer(serializers.Serializer):
    telegram_id = serializers.IntegerField(min_value=1)
    count = serializers.IntegerField(required=False, allow_null=True, default=None)
    idempotency_key = serializers.CharField(max_length=128, required=False, allow_null=True, default=None)


class SpinSerializer(serializers.ModelSerializer):
    class Meta:
        model = Spin
        fields = ["id", "prize", "chips", "status", "created_at"]


class SpinBatchSerializer(serializers.Serializer):
    spins = SpinSerializer(many=True)
    chips_won = serializers.IntegerField()
    spins_left = serializers.IntegerField()
