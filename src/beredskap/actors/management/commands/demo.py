"""`beredskap demo`: reference data, demo users for each role (passwords printed), demo data."""

from importlib import import_module

from django.core.management import call_command
from django.core.management.base import BaseCommand

from beredskap.actors.demo import load_demo

# Each app may ship a `demo.py` with `load_demo() -> str` (idempotent); run in this order.
DEMO_APPS = [
    "risk",
    "planning",
    "exercises",
    "commitments",
    "capacity",
    "operations",
    "modelling",
    "surveillance",
]


class Command(BaseCommand):
    help = "Load reference and demo data and print the demo logins."

    def handle(self, *args, **options):
        call_command("loadreference", stdout=self.stdout)
        rows = load_demo()
        for app in DEMO_APPS:
            try:
                module = import_module(f"beredskap.{app}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"beredskap.{app}.demo":
                    raise
                continue
            self.stdout.write(f"demo data: {app}: {module.load_demo()}")
        self.stdout.write("\nDemo logins (http://127.0.0.1:8000/konto/logg-inn/):")
        for username, password, role, totp in rows:
            extra = f"  TOTP secret (base32): {totp}" if totp else ""
            self.stdout.write(f"  {username:<15} {password:<18} {role}{extra}")
