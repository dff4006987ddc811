"""``GET /metrics``: the workers' Prometheus metrics (no authentication, no personal data).

Include with ``app.include_router(metrics.router)`` in :func:`api.app.create_app`.
"""

from __future__ import annotations

from fastapi import APIRouter, Response

__all__ = ["router"]

router = APIRouter()


@router.get("/metrics", tags=["meta"], summary="Prometheus metrics of the workers")
def metrics() -> Response:
    from workers.metrics import render

    body, content_type = render()
    return Response(content=body, media_type=content_type)
