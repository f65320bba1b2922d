"""Users file: salted scrypt hashes, verification, roles."""

from __future__ import annotations

import json

import pytest

from assistant import users


def test_add_and_verify(tmp_path):
    path = tmp_path / "users.json"
    assert not users.login_enabled(path)
    users.add_user(path, "wang", "correct horse", admin=True)
    users.add_user(path, "li", "battery staple")
    assert users.login_enabled(path)
    assert users.verify(path, "wang", "correct horse")
    assert not users.verify(path, "wang", "battery staple")
    assert not users.verify(path, "nobody", "correct horse")
    assert not users.verify(path, "", "")
    assert users.is_admin(path, "wang") and not users.is_admin(path, "li") and not users.is_admin(path, None)
    assert users.list_users(path) == [{"name": "li", "admin": False}, {"name": "wang", "admin": True}]


def test_file_holds_salted_hashes_only(tmp_path):
    path = tmp_path / "users.json"
    users.add_user(path, "a", "same-password")
    users.add_user(path, "b", "same-password")
    text = path.read_text(encoding="utf-8")
    assert "same-password" not in text
    data = json.loads(text)["users"]
    assert data["a"]["salt"] != data["b"]["salt"] and data["a"]["hash"] != data["b"]["hash"]
    assert (path.stat().st_mode & 0o077) == 0


def test_replace_password_and_remove(tmp_path):
    path = tmp_path / "users.json"
    users.add_user(path, "wang", "first-password")
    users.add_user(path, "wang", "second-password", admin=True)
    assert not users.verify(path, "wang", "first-password")
    assert users.verify(path, "wang", "second-password") and users.is_admin(path, "wang")
    assert users.remove_user(path, "wang") and not users.remove_user(path, "wang")
    assert not users.login_enabled(path)


@pytest.mark.parametrize("name", ["", "a b", "../x", "x/y", "n" * 65, "a\x00b"])
def test_bad_names_rejected(tmp_path, name):
    with pytest.raises(ValueError):
        users.add_user(tmp_path / "users.json", name, "long-enough-password")


def test_short_password_rejected(tmp_path):
    with pytest.raises(ValueError):
        users.add_user(tmp_path / "users.json", "wang", "short")


def test_corrupt_file_means_no_users(tmp_path):
    path = tmp_path / "users.json"
    path.write_text("{not json", encoding="utf-8")
    assert not users.login_enabled(path) and not users.verify(path, "wang", "x")


def test_cli_add_list_remove(tmp_path, monkeypatch, capsys):
    from assistant.cli import main

    path = tmp_path / "users.json"
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("cli-password-1\n"))
    data = ["--data", str(tmp_path), "user"]
    assert main([*data, "add", "zhao", "--admin", "--password-stdin"]) == 0
    assert users.verify(path, "zhao", "cli-password-1") and users.is_admin(path, "zhao")
    assert main([*data, "list"]) == 0
    assert "zhao  admin" in capsys.readouterr().out
    assert main([*data, "remove", "zhao"]) == 0
    assert main([*data, "remove", "zhao"]) == 1
