"""Language-neutral payment endpoints: Stripe's webhook, VietQR images, staff payment actions."""

from django.urls import path

from shop.payment import views

app_name = "payment"
urlpatterns = [
    path("stripe/webhook/", views.stripe_webhook, name="stripe-webhook"),
    path("vietqr/<str:number>/<str:signature>.png", views.vietqr_png, name="vietqr-png"),
    path("orders/<str:number>/refund/", views.refund, name="refund"),
    path("orders/<str:number>/received/", views.record_received, name="record-received"),
]
