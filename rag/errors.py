"""Errors of the answering layer; every one is a `GisaError` (defined in `index.errors`)."""

from __future__ import annotations

from index.errors import GisaError


class ModelError(GisaError):
    """A generator model file is missing, invalid or cannot be fetched."""


class BackendError(GisaError):
    """The generation backend failed or cannot be reached."""
