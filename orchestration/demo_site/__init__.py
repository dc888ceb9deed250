"""The bundled demo news site: a fictional news world served on 127.0.0.1 (see WORLD.md)."""

from .server import DEMO_HOST, DemoSite, demo_outlets, expand_demo_source

__all__ = ["DEMO_HOST", "DemoSite", "demo_outlets", "expand_demo_source"]
