from django.apps import AppConfig


class ApibaseConfig(AppConfig):
    name = "apibase"
    verbose_name = "API base"
