"""Conversation history: per-user SQLite store that survives restarts."""

from __future__ import annotations

import threading

import pytest

from assistant.history import ConversationStore


def test_create_append_load_list(tmp_path):
    store = ConversationStore.for_data_dir(tmp_path)
    cid = store.create("wang")
    store.append("wang", cid, "user", "2022年的生师比是多少？")
    store.append("wang", cid, "assistant", "生师比为11.21[1]。", {"citations": [{"n": 1, "source": "a.md"}]})
    conv = store.load("wang", cid)
    assert conv.title == "2022年的生师比是多少？"
    assert [(m.role, m.content) for m in conv.messages] == [("user", "2022年的生师比是多少？"),
                                                             ("assistant", "生师比为11.21[1]。")]
    assert conv.messages[1].meta == {"citations": [{"n": 1, "source": "a.md"}]}
    assert [c.id for c in store.list("wang")] == [cid]


def test_users_never_see_each_other(tmp_path):
    store = ConversationStore.for_data_dir(tmp_path)
    mine = store.create("wang", "mine")
    theirs = store.create("li", "theirs")
    assert [c.id for c in store.list("wang")] == [mine]
    assert [c.id for c in store.list("li")] == [theirs]
    with pytest.raises(KeyError):
        store.load("wang", theirs)
    with pytest.raises(KeyError):
        store.append("wang", theirs, "user", "intrusion")
    with pytest.raises(KeyError):
        store.delete("wang", theirs)
    with pytest.raises(KeyError):
        store.rename("wang", theirs, "x")
    assert store.load("li", theirs).messages == []


def test_persists_across_restart(tmp_path):
    store = ConversationStore.for_data_dir(tmp_path)
    cid = store.create("wang")
    store.append("wang", cid, "user", "问题")
    store.close()
    reopened = ConversationStore.for_data_dir(tmp_path)
    assert reopened.load("wang", cid).messages[0].content == "问题"


def test_order_and_delete(tmp_path):
    store = ConversationStore.for_data_dir(tmp_path)
    first = store.create("wang", "first")
    second = store.create("wang", "second")
    store.append("wang", first, "user", "later activity")
    assert [c.id for c in store.list("wang")] == [first, second]
    store.delete("wang", first)
    assert [c.id for c in store.list("wang")] == [second]
    with pytest.raises(KeyError):
        store.load("wang", first)


def test_titles_and_roles(tmp_path):
    store = ConversationStore.for_data_dir(tmp_path)
    cid = store.create("wang")
    assert store.load("wang", cid).title == "新对话"
    store.append("wang", cid, "user", "很长的问题" * 20)
    assert len(store.load("wang", cid).title) <= 31
    store.rename("wang", cid, "师资")
    assert store.load("wang", cid).title == "师资"
    with pytest.raises(ValueError):
        store.append("wang", cid, "system", "x")


def test_concurrent_appends(tmp_path):
    store = ConversationStore.for_data_dir(tmp_path)
    ids = {u: store.create(u) for u in ("a", "b", "c", "d")}

    def work(user: str) -> None:
        for i in range(25):
            store.append(user, ids[user], "user", f"{user}{i}")

    threads = [threading.Thread(target=work, args=(u,)) for u in ids]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    for user, cid in ids.items():
        assert [m.content for m in store.load(user, cid).messages] == [f"{user}{i}" for i in range(25)]
