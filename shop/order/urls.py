from django.urls import path

from shop.order import views

app_name = "order-tracking"
urlpatterns = [
    path("", views.OrderTrackingView.as_view(), name="track"),
    path("<str:number>/<str:signature>/", views.SignedOrderStatusView.as_view(), name="signed"),
]
