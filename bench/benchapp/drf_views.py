"""The peer users pick instead: DRF generics and APIViews over the same selectors/services."""
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from ledger import selectors, services
from ledger.actors import admin_actor
from ledger.selectors import page

from bench.benchapp.serializers import (
    DepositApproveSerializer, DepositCreateSerializer, DepositSerializer, SpinBatchSerializer,
    SpinRequestSerializer, UserSerializer,
)


class UserDetail(generics.RetrieveAPIView):
    serializer_class = UserSerializer

    def get_object(self):
        player = selectors.player_get(telegram_id=self.kwargs["telegram_id"])
        if player is None:
            raise NotFound("No such user.")
        return player

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "admin_ids": frozenset(selectors.admin_telegram_ids())}


class PendingDeposits(generics.ListAPIView):
    serializer_class = DepositSerializer

    def get_queryset(self):
        params = self.request.query_params
        try:
            first, offset = int(params.get("first", 50)), int(params.get("offset", 0))
        except ValueError:
            first, offset = 50, 0
        return page(selectors.deposits_pending(), first=first, offset=offset)


class DepositCreate(APIView):
    def post(self, request):
        data = DepositCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        deposit = services.deposit_create(**data.validated_data)
        return Response(DepositSerializer(deposit).data, status=status.HTTP_201_CREATED)


class DepositApprove(APIView):
    def post(self, request, deposit_id: int):
        data = DepositApproveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actor = admin_actor(data.validated_data["actor_telegram_id"])
        deposit = services.deposit_approve(deposit_id=deposit_id, actor=actor, amount=data.validated_data["amount"])
        return Response(DepositSerializer(deposit).data)


class ProcessSpin(APIView):
    def post(self, request):
        data = SpinRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        batch = services.spins_process(**data.validated_data)
        return Response(SpinBatchSerializer(batch).data)
