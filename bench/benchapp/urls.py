from django.urls import path

from bench.benchapp import drf_views, plain_views

plain = [
    path("users/<int:telegram_id>/", plain_views.user),
    path("deposits/pending/", plain_views.pending_deposits),
    path("deposits/", plain_views.create_deposit),
    path("deposits/<int:deposit_id>/approve/", plain_views.approve_deposit),
    path("spins/", plain_views.process_spin),
]

drf = [
    path("users/<int:telegram_id>/", drf_views.UserDetail.as_view()),
    path("deposits/pending/", drf_views.PendingDeposits.as_view()),
    path("deposits/", drf_views.DepositCreate.as_view()),
    path("deposits/<int:deposit_id>/approve/", drf_views.DepositApprove.as_view()),
    path("spins/", drf_views.ProcessSpin.as_view()),
]
