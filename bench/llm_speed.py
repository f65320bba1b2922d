"""Local chat model speed on this machine: load time, prompt and generation tokens/s, time to first token.

Usage: ``python bench/llm_speed.py [--models qwen2.5-coder-0.5b,qwen2.5-coder-1.5b] [--prompt-tokens 1500]``

For each model: start the llama.cpp server child (load time = spawn until ``/health`` answers),
send one streaming chat request with a Chinese report-style prompt of about ``--prompt-tokens``
tokens (prompt cache off), and read llama.cpp's own ``timings`` from the last chunk.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.llm.local_server import LocalModelServer  # noqa: E402
from assistant.llm.model_files import ensure_model_file  # noqa: E402
from assistant.settings import Settings  # noqa: E402

SENTENCES = [
    "本学院坚持立德树人根本任务，围绕中外合作办学的定位，持续完善人才培养方案。",
    "引进外方优质课程共计二十四门，外方教师承担的专业核心课程比例达到三分之一以上。",
    "学院建立了教学质量监控体系，每学期开展学生评教、同行听课和督导检查。",
    "本年度毕业生就业率为百分之九十六点三，升学深造比例较上年提高四个百分点。",
    "在师资队伍建设方面，学院选派十二名青年教师赴合作院校进修，并引进三名海外博士。",
    "学院注重学生英语能力培养，雅思平均成绩六点五分，出国交流学生人数稳步增长。",
    "实验室与实践基地建设持续推进，新建智能制造联合实验室一个，校外实习基地八个。",
    "存在的主要问题是外方课程本土化不足，部分课程的考核方式与国内教学管理要求衔接不够。",
    "下一步，学院将加强中外双方教学团队协同，完善课程评价机制，提升办学质量和社会声誉。",
]


def _post(url: str, payload: dict[str, Any]) -> Any:
    request = urllib.request.Request(url, json.dumps(payload).encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=600) as response:
        return json.load(response)


def chinese_prompt(root: str, tokens: int) -> str:
    """A report-style Chinese text of exactly ``tokens`` tokens for this model (before the chat template)."""
    text = "".join(f"第{i + 1}条：{SENTENCES[i % len(SENTENCES)]}" for i in range(tokens // 10))
    ids = _post(root + "/tokenize", {"content": text})["tokens"][:tokens]
    return _post(root + "/detokenize", {"tokens": ids})["content"]


def measure(name: str, settings: Settings, prompt_tokens: int, max_tokens: int) -> dict[str, Any]:
    path = ensure_model_file(name, settings.models_dir)
    start = time.perf_counter()
    with LocalModelServer(path, threads=settings.local_threads, n_ctx=settings.local_context) as server:
        load_s = time.perf_counter() - start
        root = server.base_url.removesuffix("/v1")
        task = "以下是某中外合作办学机构年度自评报告的材料，请概括其主要成绩和问题：\n"
        body = task + chinese_prompt(root, prompt_tokens)
        payload = {
            "messages": [{"role": "user", "content": body}],
            "max_tokens": max_tokens, "temperature": 0, "stream": True, "cache_prompt": False,
        }  # fmt: skip
        request = urllib.request.Request(
            server.base_url + "/chat/completions", json.dumps(payload).encode(), {"Content-Type": "application/json"}
        )
        sent = time.perf_counter()
        first: float | None = None
        timings: dict[str, Any] = {}
        with urllib.request.urlopen(request, timeout=600) as response:
            for raw in response:
                line = raw.decode().strip()
                if not line.startswith("data: ") or line == "data: [DONE]":
                    continue
                chunk = json.loads(line[6:])
                delta = (chunk.get("choices") or [{}])[0].get("delta", {})
                if first is None and delta.get("content"):
                    first = time.perf_counter()
                timings = chunk.get("timings", timings)
        total = time.perf_counter() - sent
    return {
        "model": name,
        "load_s": load_s,
        "prompt_tokens": timings.get("prompt_n"),
        "prompt_tps": timings.get("prompt_per_second"),
        "ttft_s": (first - sent) if first else None,
        "gen_tokens": timings.get("predicted_n"),
        "gen_tps": timings.get("predicted_per_second"),
        "total_s": total,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default="qwen2.5-coder-0.5b,qwen2.5-coder-1.5b")
    parser.add_argument("--prompt-tokens", type=int, default=1500)
    parser.add_argument("--max-tokens", type=int, default=128)
    args = parser.parse_args()
    settings = Settings()
    print(f"threads={settings.local_threads} n_ctx={settings.local_context} cpus={os.cpu_count()} "
          f"loadavg(before)={os.getloadavg()[0]:.2f}")  # fmt: skip
    rows = [measure(name, settings, args.prompt_tokens, args.max_tokens) for name in args.models.split(",")]
    print(f"{'model':<20} {'load s':>7} {'prompt tok':>10} {'prompt t/s':>10} {'TTFT s':>7} {'gen tok':>7} {'gen t/s':>7}")
    for r in rows:
        print(f"{r['model']:<20} {r['load_s']:>7.1f} {r['prompt_tokens']:>10} {r['prompt_tps']:>10.1f} "
              f"{r['ttft_s']:>7.1f} {r['gen_tokens']:>7} {r['gen_tps']:>7.1f}")  # fmt: skip
    print(f"loadavg(after)={os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
