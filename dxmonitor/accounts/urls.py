from django.contrib.auth import views as auth_views
from django.urls import path

from dxmonitor.accounts import views
from dxmonitor.core.twins import twin

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    *twin("accounts/tokens/", views.token_index, "token-index"),
    path("accounts/tokens/<int:token_id>/revoke/", views.token_revoke, name="token-revoke"),
]
