from django.urls import path

from shop.address import views

app_name = "address"
urlpatterns = [
    path("phuong-xa/", views.wards, name="wards"),
]
