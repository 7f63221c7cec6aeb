"""«Quản trị»: one page listing the management screens the user's role may open."""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template, url_for
from flask.typing import ResponseReturnValue

from bot.admin.blueprint import actor, bp, require_role
from storage.models.enums import Role


@dataclass(frozen=True)
class Screen:
    endpoint: str
    title: str
    what: str
    roles: tuple[str, ...]


SCREENS: tuple[Screen, ...] = (
    Screen(
        "admin.users_list",
        "Tài khoản cán bộ",
        "Thêm tài khoản, giao phường hoặc cơ quan, đặt lại mật khẩu, vô hiệu hóa.",
        (Role.ADMIN,),
    ),
    Screen(
        "admin.categories_page",
        "Lĩnh vực",
        "Tên, mô tả, loại đơn và hạn giải quyết mặc định, ngừng dùng.",
        (Role.ADMIN,),
    ),
    Screen(
        "admin.places_page",
        "Phường và địa danh",
        "Tên phường, tên cũ, khối phố, thôn, đường, địa danh để bot nhận ra phường.",
        (Role.ADMIN, Role.SUPERVISOR, Role.STAFF),
    ),
    Screen(
        "admin.agencies",
        "Cơ quan",
        "Cơ quan giải quyết: địa chỉ thư, cán bộ liên lạc, đang hoạt động hay không.",
        (Role.ADMIN, Role.SUPERVISOR),
    ),
    Screen(
        "admin.routing_rules",
        "Phân công",
        "Lĩnh vực × phường × từ khóa → cơ quan đề xuất khi chuyển hồ sơ.",
        (Role.ADMIN, Role.SUPERVISOR),
    ),
    Screen(
        "admin.knowledge_list",
        "Hỏi đáp",
        "Câu trả lời bot dùng khi người dân hỏi (giờ làm việc, địa chỉ, thủ tục…).",
        (Role.ADMIN, Role.SUPERVISOR, Role.STAFF),
    ),
    Screen(
        "admin.delivery",
        "Tin chưa gửi",
        "Tin nhắn gửi không thành, tin chờ người dân nhắn lại, sự kiện Zalo chưa xử lý được.",
        (Role.ADMIN, Role.SUPERVISOR),
    ),
    Screen(
        "admin.templates",
        "Mẫu tin nhắn",
        "Lời bot và thư nhắc việc, xếp theo lúc gửi; mẫu trả lời của cán bộ.",
        (Role.ADMIN, Role.SUPERVISOR),
    ),
    Screen(
        "admin.settings_page",
        "Cài đặt",
        "Giờ làm việc, thời hạn lưu dữ liệu, thang nhắc việc, số điện thoại khẩn cấp.",
        (Role.ADMIN, Role.SUPERVISOR),
    ),
    Screen(
        "admin.holidays",
        "Lịch nghỉ lễ",
        "Ngày nghỉ, Tết và thứ Bảy làm bù dùng để tính ngày làm việc.",
        (Role.ADMIN, Role.SUPERVISOR),
    ),
    Screen(
        "admin.model",
        "Mô hình phân loại",
        "Độ chính xác theo lĩnh vực, tỷ lệ gợi ý bị sửa, huấn luyện lại, quay lại phiên bản cũ.",
        (Role.ADMIN, Role.SUPERVISOR),
    ),
    Screen(
        "admin.audit_log",
        "Nhật ký hoạt động",
        "Ai làm gì, lúc nào, từ đâu; lọc và tải CSV.",
        (Role.ADMIN,),
    ),
    Screen(
        "admin.my_settings",
        "Cách nhận thư",
        "Nhận thư tổng hợp mỗi sáng, từng việc ngay, chỉ việc khẩn, hoặc không nhận.",
        (Role.ADMIN, Role.SUPERVISOR, Role.STAFF, Role.AGENCY),
    ),
    Screen(
        "admin.password",
        "Đổi mật khẩu",
        "Đổi mật khẩu của chính mình.",
        (Role.ADMIN, Role.SUPERVISOR, Role.STAFF, Role.AGENCY),
    ),
)


@bp.get("/manage")
def manage() -> ResponseReturnValue:
    """The screens this role may open."""
    require_role(Role.ADMIN, Role.SUPERVISOR, Role.STAFF)
    role = actor().role
    shown = [(s, url_for(s.endpoint)) for s in SCREENS if role in s.roles]
    return render_template("admin/manage.html", screens=shown)
