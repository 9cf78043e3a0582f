"""The dashboard: ``narrascope serve``, a read-only FastAPI app over the store (see :mod:`.app`)."""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
