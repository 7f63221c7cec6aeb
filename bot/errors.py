"""Error pages: JSON for machine paths, a Vietnamese page for people; never a stack trace."""

from __future__ import annotations

import logging

from flask import Flask, g, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

logger = logging.getLogger(__name__)

_MACHINE_PREFIXES = ("/webhooks/", "/api/", "/healthz", "/simulator/api/")

MESSAGES_VI = {
    400: "Yêu cầu không hợp lệ.",
    401: "Cần đăng nhập hoặc chữ ký không hợp lệ.",
    403: "Bạn không có quyền thực hiện thao tác này.",
    404: "Không tìm thấy trang hoặc hồ sơ yêu cầu.",
    405: "Phương thức không được hỗ trợ.",
    413: "Dữ liệu gửi lên quá lớn.",
    429: "Quá nhiều yêu cầu, vui lòng thử lại sau.",
    500: "Hệ thống gặp sự cố. Chúng tôi đã ghi nhận và sẽ khắc phục.",
}


def _wants_json() -> bool:
    return request.path.startswith(_MACHINE_PREFIXES) or request.is_json


def _render(status: int, code: str) -> ResponseReturnValue:
    message = MESSAGES_VI.get(status, MESSAGES_VI[500] if status >= 500 else MESSAGES_VI[400])
    if _wants_json():
        return jsonify(error=code, message=message), status
    return render_template("error.html", status=status, message=message), status


def handle_http(exc: HTTPException) -> ResponseReturnValue:
    """Answer an HTTP error in the caller's language, and log it without its content."""
    status = exc.code or 500
    if status >= 500:
        logger.error("HTTP %s on %s %s", status, request.method, request.path)
    else:
        logger.info("HTTP %s on %s %s", status, request.method, request.path)
    return _render(status, (exc.name or "error").lower().replace(" ", "_"))


def handle_unexpected(exc: Exception) -> ResponseReturnValue:
    """Roll back what the request did, log the trace (masked), answer 500."""
    session = g.get("db_session")
    if session is not None:
        session.rollback()
    logger.exception("unhandled error on %s %s", request.method, request.path)
    return _render(500, "internal_error")


def init_app(app: Flask) -> None:
    """Register the handlers."""
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(Exception, handle_unexpected)
