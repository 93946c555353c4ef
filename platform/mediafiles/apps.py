from django.apps import AppConfig


class MediafilesConfig(AppConfig):
    name = "mediafiles"
    verbose_name = "Uploaded files"
