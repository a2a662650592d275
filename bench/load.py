"""Load bench: start the app and send concurrent chat requests through gradio_client.

    .venv/bin/python bench/load.py [--requests 32] [--concurrency 32] [--timeout 300]

Starts ``python -m assistant serve`` on a free 127.0.0.1 port (the index of ASSISTANT_INDEX_DIR,
built first when missing), waits until it answers, then sends ``--requests`` chat questions from
``--concurrency`` threads at once through the page's chat endpoint (the same queue a browser uses).
Bounded: every request has a deadline and the whole run stops after ``--timeout`` seconds.
Prints errors (must be 0), p50/p95/max latency and throughput; exits 1 when any request failed.
Only 127.0.0.1 is ever contacted.
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = [
    "老旧小区改造涉及多少户？",
    "讲话提出了哪几个方面的要求？",
    "如何推进城市更新？",
    "对领导干部作风有什么要求？",
    "2022年的主要目标是什么？",
    "怎样优化营商环境？",
    "民生实事有哪些？",
    "如何抓好安全生产？",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_app(port: int, log_path: Path) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT), GRADIO_ANALYTICS_ENABLED="False", ASSISTANT_HOST="127.0.0.1")
    log = open(log_path, "w")
    return subprocess.Popen([sys.executable, "-m", "assistant", "serve", "--host", "127.0.0.1", "--port", str(port)],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_ready(url: str, proc: subprocess.Popen, limit: float) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"服务进程已退出（代码 {proc.returncode}），见日志")
        try:
            urllib.request.urlopen(url + "/config", timeout=2).read()
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"服务在 {limit:.0f} 秒内未就绪")


def chat_endpoint(client) -> str:
    """The api_name of the chat handler (the function is called `respond` in assistant/ui.py)."""
    api = client.view_api(return_format="dict", print_info=False)
    names = list(api.get("named_endpoints", {}))
    chat = [n for n in names if "respond" in n] or [n for n in names if "chat" in n or "ask" in n]
    if not chat:
        raise SystemExit(f"找不到问答接口；可用接口：{names}")
    return sorted(chat, key=len)[0]


def one_request(url: str, api_name: str, question: str, deadline: float) -> tuple[float, str]:
    """(seconds, error or '') of one chat request from a fresh client (one browser tab each)."""
    from gradio_client import Client

    t0 = time.perf_counter()
    try:
        client = Client(url, verbose=False, download_files=False)
        job = client.submit(question, [], [], api_name=api_name)
        result = job.result(timeout=max(1.0, deadline - time.monotonic()))
        plain = str(result[-1]) if isinstance(result, (list, tuple)) and result else ""
        if not plain.strip():
            return time.perf_counter() - t0, "空回答"
        if plain.startswith(("处理问题时出错", "无法处理这个问题")):  # the page's error messages
            return time.perf_counter() - t0, f"错误回答：{plain[:200]}"
        return time.perf_counter() - t0, ""
    except Exception as exc:  # counted, never hidden
        return time.perf_counter() - t0, f"{exc.__class__.__name__}: {exc}"


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(p / 100 * len(values)) - 1))]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=32)
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--timeout", type=float, default=300.0, help="whole-run limit in seconds")
    ap.add_argument("--startup", type=float, default=300.0, help="seconds to wait for the app")
    ap.add_argument("--url", default="", help="use an already running app at this 127.0.0.1 URL")
    args = ap.parse_args(argv)

    proc = None
    url = args.url
    log_path = Path(os.environ.get("TMPDIR", "/tmp")) / "assistant-load-bench.log"
    if not url:
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        proc = start_app(port, log_path)
    if not url.startswith(("http://127.0.0.1", "http://localhost")):
        raise SystemExit("只对本机 127.0.0.1 做压测")
    try:
        t_start = time.monotonic()
        wait_ready(url, proc, args.startup) if proc else None
        startup = time.monotonic() - t_start
        from gradio_client import Client

        api_name = chat_endpoint(Client(url, verbose=False, download_files=False))
        one_request(url, api_name, QUESTIONS[0], time.monotonic() + 120)  # warm-up (not counted)
        deadline = time.monotonic() + args.timeout
        t0 = time.perf_counter()
        with cf.ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            futures = [pool.submit(one_request, url, api_name, QUESTIONS[i % len(QUESTIONS)], deadline)
                       for i in range(args.requests)]
            results = [f.result() for f in futures]
        wall = time.perf_counter() - t0
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
    latencies = [s for s, err in results if not err]
    errors = [err for _s, err in results if err]
    report = {
        "requests": args.requests, "concurrency": args.concurrency, "endpoint": api_name,
        "errors": len(errors), "startup_s": round(startup, 1), "wall_s": round(wall, 2),
        "throughput_rps": round(args.requests / wall, 2) if wall else None,
        "p50_s": round(statistics.median(latencies), 2) if latencies else None,
        "p95_s": round(pct(latencies, 95), 2) if latencies else None,
        "max_s": round(max(latencies), 2) if latencies else None,
    }
    print(json.dumps(report, ensure_ascii=False))
    for err in errors[:5]:
        print("错误：", err, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
