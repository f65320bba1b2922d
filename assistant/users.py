"""Web users: a JSON file of salted scrypt password hashes (``data_dir/users.json``).

File format::

    {"users": {"wang": {"salt": "<hex>", "hash": "<hex>", "admin": true, "n": 16384, "r": 8, "p": 1}}}

Login is on when the file exists with at least one user. Manage users from the command line::

    python -m assistant.users add NAME [--admin]     # asks for the password
    python -m assistant.users list
    python -m assistant.users remove NAME
"""

from __future__ import annotations

import argparse
import getpass
import hashlib
import hmac
import json
import os
import re
import secrets
import sys
import tempfile
import threading
from pathlib import Path

from assistant.settings import Settings

USERS_FILE = "users.json"
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}
_NAME_RE = re.compile(r"^[\w.@\-\u4e00-\u9fff]{1,64}$")
_lock = threading.Lock()


def users_path(settings: Settings) -> Path:
    """Where the users file of a configuration lives."""
    return Path(settings.data_dir) / USERS_FILE


def _read(path: Path) -> dict[str, dict]:
    path = Path(path)
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    users = data.get("users") if isinstance(data, dict) else None
    return users if isinstance(users, dict) else {}


def _write(path: Path, users: dict[str, dict]) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".users-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"users": users}, fh, ensure_ascii=False, indent=1)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _hash(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024, dklen=32)


def add_user(path: Path, name: str, password: str, admin: bool = False) -> None:
    """Create a user or replace an existing user's password and role."""
    name = name.strip()
    if not _NAME_RE.match(name):
        raise ValueError("用户名只能包含字母、数字、汉字和 . _ - @，最长 64 个字符 (invalid user name)")
    if len(password) < 8:
        raise ValueError("密码至少 8 个字符 (password must have at least 8 characters)")
    salt = secrets.token_bytes(16)
    record = {"salt": salt.hex(), "hash": _hash(password, salt, **_SCRYPT).hex(), "admin": bool(admin), **_SCRYPT}
    with _lock:
        users = _read(path)
        users[name] = record
        _write(path, users)


def remove_user(path: Path, name: str) -> bool:
    """Delete a user; False if there was none of that name."""
    with _lock:
        users = _read(path)
        if users.pop(name, None) is None:
            return False
        _write(path, users)
        return True


def verify(path: Path, name: str, password: str) -> bool:
    """Whether ``password`` is the password of user ``name`` (constant-time comparison)."""
    record = _read(path).get(name or "")
    if not isinstance(record, dict) or not isinstance(password, str):
        return False
    try:
        expected = bytes.fromhex(record["hash"])
        actual = _hash(password, bytes.fromhex(record["salt"]), int(record.get("n", _SCRYPT["n"])),
                       int(record.get("r", _SCRYPT["r"])), int(record.get("p", _SCRYPT["p"])))
    except (KeyError, ValueError, TypeError):
        return False
    return hmac.compare_digest(expected, actual)


def is_admin(path: Path, name: str | None) -> bool:
    record = _read(path).get(name or "")
    return bool(isinstance(record, dict) and record.get("admin"))


def list_users(path: Path) -> list[dict]:
    """``[{"name", "admin"}]`` sorted by name; never the hashes."""
    return [{"name": n, "admin": bool(r.get("admin"))} for n, r in sorted(_read(path).items()) if isinstance(r, dict)]


def login_enabled(path: Path) -> bool:
    """Login is required when the users file holds at least one user."""
    return bool(_read(path))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.users", description="manage web users")
    parser.add_argument("--file", type=Path, help="users file (default: <data dir>/users.json)")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("add", help="add a user or reset a password")
    p.add_argument("name")
    p.add_argument("--admin", action="store_true", help="may manage the knowledge base")
    p.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    sub.add_parser("list", help="list users")
    p = sub.add_parser("remove", help="remove a user")
    p.add_argument("name")
    args = parser.parse_args(argv)
    path = args.file or users_path(Settings())
    if args.command == "add":
        if args.password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("密码 password: ")
            if password != getpass.getpass("再次输入 again: "):
                print("两次输入的密码不一致 (passwords differ)", file=sys.stderr)
                return 1
        try:
            add_user(path, args.name, password, admin=args.admin)
        except ValueError as exc:
            print(exc, file=sys.stderr)
            return 1
        print(f"已保存用户 saved user {args.name}{' (admin)' if args.admin else ''} → {path}")
    elif args.command == "list":
        for user in list_users(path):
            print(f"{user['name']}{'  admin' if user['admin'] else ''}")
    else:
        if not remove_user(path, args.name):
            print(f"没有该用户 no such user: {args.name}", file=sys.stderr)
            return 1
        print(f"已删除 removed {args.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
