"""Web users: a JSON file of salted scrypt password hashes (``data_dir/users.json``).

File format::

    {"users": {"wang": {"salt": "<hex>", "hash": "<hex>", "admin": true, "n": 16384, "r": 8, "p": 1}}}

Login is on when the file exists with at least one user. Manage users from the command line::

    python -m assistant user add NAME [--admin]     # asks for the password
    python -m assistant user list
    python -m assistant user remove NAME
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
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
