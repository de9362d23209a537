from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data set (`manage.py load_demo`). It sits above every other app, since it fills
    them all through their services; no app imports it. No models."""

    name = "demo"
    verbose_name = "Demo data"
