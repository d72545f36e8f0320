from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "dxmonitor.accounts"
    label = "accounts"
