import subprocess
import sys


def test_tiktoken_works_offline_from_an_empty_cache(tmp_path):
    # A fresh process with an empty cache dir: the real tiktoken.get_encoding must load without network.
    code = ("import socket\n"
            "def deny(*a, **k): raise OSError('network disabled')\n"
            "socket.socket.connect = deny\n"
            "from assistant.tokens import encoding\n"
            "enc = encoding('cl100k_base')\n"
            "print(len(enc.encode('就业率达 96.81%以上')), enc.decode(enc.encode('生师比 6.91')))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"TIKTOKEN_CACHE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"})
    count, text = out.stdout.split(" ", 1)
    assert int(count) > 3
    assert text.strip() == "生师比 6.91"
    assert any(tmp_path.iterdir())
