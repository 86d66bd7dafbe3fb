from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Sample data: the Ede-Zuid demo (`buurtnet demo`) and the builders bench/ reuses."""

    name = "buurtnet.demo"
