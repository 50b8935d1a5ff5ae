"""The map routes (``pathokg.web.maps``) in an app of their own, through FastAPI's test client."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any


def map_client(release: Path) -> Any:
    """A test client for ``/``, ``/map`` and ``/reader`` over this release."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # starlette's deprecation of httpx in its test client
        from fastapi import FastAPI
        from fastapi.testclient import TestClient

    from pathokg.web.maps import router

    app = FastAPI()
    app.state.pathokg_release = str(release)
    app.include_router(router)
    return TestClient(app)
