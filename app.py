"""Web app entry point: ``python app.py [--host 127.0.0.1] [--port 7860]``.

Without ``--host`` / ``--port`` the Gradio conventions ``GRADIO_SERVER_NAME`` / ``GRADIO_SERVER_PORT``
are honoured (container deployments set them), then 127.0.0.1:7860.

Login is on when ``<data dir>/users.json`` holds at least one user (``python -m assistant user add NAME
--admin``). Without users the app runs single-user and only on a loopback address; binding to any
other address without users is refused.
"""

from __future__ import annotations

import argparse
import ipaddress
import logging
import os
import socket
import sys

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


def is_loopback(host: str) -> bool:
    if host in ("localhost",):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        try:
            return all(ipaddress.ip_address(info[4][0]).is_loopback for info in socket.getaddrinfo(host, None))
        except OSError:
            return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="年度自评报告助手 web app / report assistant web app")
    parser.add_argument("--host", help="address to listen on (default $GRADIO_SERVER_NAME, else 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (default $GRADIO_SERVER_PORT, else 7860)")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    args.host = args.host or os.environ.get("GRADIO_SERVER_NAME") or "127.0.0.1"
    if args.port is None:
        raw = os.environ.get("GRADIO_SERVER_PORT", "").strip()
        try:
            args.port = int(raw) if raw else 7860
        except ValueError:
            parser.error(f"GRADIO_SERVER_PORT 不是端口号 (not a port number): {raw!r}")
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")

    from assistant import users
    from assistant.services import Services
    from assistant.settings import Settings

    settings = Settings()
    users_file = users.users_path(settings)
    login = users.login_enabled(users_file)
    if not login and not is_loopback(args.host):
        print(f"拒绝在 {args.host} 上启动：尚未配置用户，无登录的单用户模式只能在本机 127.0.0.1 上运行。\n"
              f"请先创建用户：python -m assistant user add 用户名 --admin\n"
              f"Refusing to listen on {args.host}: no users are configured ({users_file}), and without login "
              f"the app may only listen on 127.0.0.1. Create a user first: python -m assistant user add NAME --admin",
              file=sys.stderr)
        return 2

    from assistant.ui import build_app, launch_options

    services = Services(settings)
    demo = build_app(services, login=login, users_file=users_file)
    auth = (lambda name, password: users.verify(users_file, name, password)) if login else None
    print(f"{'登录已启用 login on' if login else '单用户模式 single-user mode'}: http://{args.host}:{args.port}", flush=True)
    demo.launch(server_name=args.host, server_port=args.port, auth=auth,
                auth_message="请使用您的账号登录 · Sign in with your account" if login else None,
                max_file_size=f"{settings.max_upload_mb}mb", footer_links=["api"], show_error=True,
                allowed_paths=[], **launch_options())
    return 0


if __name__ == "__main__":
    sys.exit(main())
