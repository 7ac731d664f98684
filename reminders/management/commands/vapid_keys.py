"""Create the server's VAPID key pair once, outside the repository (VAR_DIR/vapid_*_key).

Production sets VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY in the environment instead; this prints
the public value. Replacing the keys makes every existing push subscription invalid.
"""

import base64
import os

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.core.management.base import BaseCommand


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def generate_keys() -> dict[str, str]:
    private = ec.generate_private_key(ec.SECP256R1())
    raw_private = private.private_numbers().private_value.to_bytes(32, "big")
    raw_public = private.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return {"public_key": _b64url(raw_public), "private_key": _b64url(raw_private)}


def _write_private(path, text: str) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(text)


class Command(BaseCommand):
    help = "Create the VAPID key pair for Web Push in VAR_DIR (once)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Replace existing keys (breaks subscriptions)."
        )

    def handle(self, *args, force: bool = False, **options):
        public_path = settings.VAR_DIR / "vapid_public_key"
        private_path = settings.VAR_DIR / "vapid_private_key"
        if public_path.exists() and private_path.exists() and not force:
            self.stdout.write(f"VAPID keys already in {settings.VAR_DIR}; public key:")
            self.stdout.write(public_path.read_text().strip())
            return
        keys = generate_keys()
        _write_private(private_path, keys["private_key"])
        public_path.write_text(keys["public_key"])
        self.stdout.write(
            self.style.SUCCESS(f"Wrote VAPID keys to {settings.VAR_DIR}; public key:")
        )
        self.stdout.write(keys["public_key"])
