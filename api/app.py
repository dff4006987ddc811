"""The FastAPI application factory.

``create_app(services)`` wires the routers, the request-level defences (body limit,
security headers), error translation (:class:`~redactor.errors.RedactorError` -> its HTTP
status with its one-line message; anything else -> a bare 500) and the pages' templates and
static files. The OpenAPI spec is at ``/openapi.json`` (documented UI at ``/docs``).
"""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from api.services import Services

__all__ = ["create_app", "UPLOAD_PATHS"]

HERE = Path(__file__).parent
UPLOAD_PATHS = ("/api/v1/recordings",)
log = logging.getLogger("redactor.api")


def create_app(services: Services) -> FastAPI:
    """A new app over ``services`` (nothing global: tests make as many as they like)."""
    from fastapi.staticfiles import StaticFiles
    from fastapi.templating import Jinja2Templates

    from api.auth import Gate
    from api.routers import admin, audit, recordings, web
    from api.schemas import Me
    from api.security import BodyLimit, SecurityHeaders
    from redactor.errors import CryptoError, RedactorError

    app = FastAPI(
        title="call-redactor",
        version="1",
        description="Redacted call recordings for QA, the access log for compliance, administration.",
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.services = services
    app.state.gate = Gate(services)
    app.state.templates = Jinja2Templates(directory=str(HERE / "templates"))

    @app.exception_handler(RedactorError)
    async def _redactor_error(request: Request, exc: RedactorError):
        status = exc.http_status
        message = str(exc) if status < 500 else "internal error"
        if isinstance(exc, CryptoError) or status >= 500:
            log.error(
                "%s %s failed: %s: %s", request.method, request.url.path, type(exc).__name__, exc
            )
            message = "the service could not complete the request"
        return JSONResponse({"detail": message}, status_code=status)

    app.add_exception_handler(web._LoginRedirect, web.login_redirect_handler)

    @app.middleware("http")
    async def _credentials_first(request: Request, call_next):
        """A call to the API without any credential is refused (and logged) before its
        body is parsed or validated: anonymous callers learn nothing about the endpoint."""
        if request.url.path.startswith("/api/") and not (
            request.headers.get("authorization")
            or request.cookies.get(services.settings.session_cookie)
        ):
            app.state.gate.log(
                request, None, "api.request", "denied", detail="unauthenticated: no credentials"
            )
            return JSONResponse(
                {"detail": "authentication required"},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        return await call_next(request)

    @app.get("/healthz", tags=["meta"], summary="Liveness (no authentication, no data)")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/api/v1/me", response_model=Me, tags=["meta"], summary="Who am I")
    async def me(request: Request):
        caller = await app.state.gate.authenticate(request, "auth.whoami")
        p = caller.principal
        app.state.gate.log(request, p, "auth.whoami", "allowed", target="me")
        return Me(
            name=p.name,
            kind=p.kind,
            roles=sorted(r.value for r in p.roles),
            campaigns=sorted(p.campaigns),
            via=p.via,
        )

    app.include_router(recordings.router)
    app.include_router(audit.router)
    app.include_router(admin.router)
    app.include_router(web.router)
    from api import crm, metrics

    app.include_router(metrics.router)
    app.include_router(crm.router)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    s = services.settings
    app.add_middleware(
        BodyLimit, limit=s.max_body, upload_limit=s.max_upload, upload_paths=UPLOAD_PATHS
    )
    app.add_middleware(SecurityHeaders)
    return app
