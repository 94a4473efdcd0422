"""Browser security headers on every response, set in one after-request hook.

The policy allows scripts, styles, fonts and requests from this origin only, and no
inline code: templates load `static/app.js` and `static/style.css`, draw charts as SVG,
and the Swagger UI page (templates/swagger_ui.html, replacing flask-smorest's) starts
from `static/swagger-init.js`. Nothing needs `'unsafe-inline'` or a nonce. `data:`
images are allowed for Swagger UI's CSS icons. HSTS is sent on secure requests only
(behind a TLS proxy that needs MATCHMAKER_TRUSTED_PROXIES, so X-Forwarded-Proto counts)
and in production, where browsers that reach the site over HTTPS keep it.
"""

from __future__ import annotations

from flask import Flask, current_app, request
from werkzeug.wrappers import Response

CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HSTS = "max-age=31536000"  # one year; no includeSubDomains: other hosts are not ours
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def init_security_headers(app: Flask) -> None:
    app.after_request(add_security_headers)


def add_security_headers(response: Response) -> Response:
    """Adds the headers a view did not set itself (edit pages keep `no-referrer`)."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure or current_app.config.get("ENV") == "production":
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response
