"""`zjtrack remind`: who is reminded of what, and sending to a robot webhook, tested against a
local HTTP server that answers as DingTalk and WeCom robots do."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest
from conftest import Tree, cli
from formkit import fill

AS_OF = "2026-03-04"  # hd-5-1 (2025年底) and hd-5-2 (2025年6月底前) are overdue; 2026-W10


class Robot:
    """A webhook that keeps what it receives and answers with `reply`."""

    def __init__(self, reply: dict[str, Any], status: int = 200) -> None:
        self.bodies: list[dict[str, Any]] = []
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                n = int(self.headers["Content-Length"])
                robot.bodies.append(json.loads(self.rfile.read(n).decode("utf-8")))
                data = json.dumps(reply).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/robot/send?access_token=x"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def robot() -> Iterator[Robot]:
    r = Robot({"errcode": 0, "errmsg": "ok"})
    yield r
    r.close()


def remind(tree: Tree, *args: str) -> Any:
    return cli("remind", str(tree.dir), "--as-of", AS_OF, *args)


def test_who_is_reminded_of_what(tree: Tree) -> None:
    r = remind(tree)
    assert r.exit_code == 0, r.stderr
    blocks = r.stdout.split("\n【提醒】")
    assert r.stdout.startswith("【提醒】海东市发展和改革委员会：")
    edu = next(b for b in blocks if b.startswith("海东市教育局"))
    assert "2026-W10 期进展报送表尚未报送，请于 2026-03-08 前报送。" in edu
    assert "牵头的以下 2 项任务需关注：" in edu
    assert (
        "- hd-5-1 职业学校办学条件达标学校比例 ≥ 90%（逾期未完成（无进展数据），时限 2025年底）"
        in edu
    )
    assert "共 3 条提醒（未发送）" in r.stderr


def test_a_unit_that_reported_is_reminded_only_of_its_items(tree: Tree, tmp_path: Path) -> None:
    made = cli("form", str(tree.dir), "-o", str(tmp_path / "out"), "--as-of", AS_OF)
    assert made.exit_code == 0, made.stderr
    form = tmp_path / "out" / "海东市教育局-2026-W10.xlsx"
    returned = fill(form, tmp_path / "a.xlsx", {"hd-5-1": 85})
    took = cli(
        "intake",
        str(returned),
        "--tasks",
        str(tree.dir),
        "--as-of",
        AS_OF,
        "--yes",
        "--receipts",
        str(tmp_path / "r"),
    )
    assert took.exit_code == 0, took.stdout + took.stderr
    r = remind(tree, "--unit", "市教育局")
    assert "尚未报送" not in r.stdout
    assert "hd-5-1" in r.stdout and "hd-5-2" in r.stdout


def test_markdown_for_robots(tree: Tree) -> None:
    r = remind(tree, "--unit", "市教育局", "-f", "md")
    assert r.stdout.startswith("#### 进展报送提醒\n**海东市教育局**\n")
    assert "- hd-5-2 启动职业教育铸魂育人计划（里程碑）" in r.stdout


def test_send_to_dingtalk(tree: Tree, robot: Robot) -> None:
    r = remind(tree, "--send", robot.url, "--robot", "dingtalk", "--interval", "0")
    assert r.exit_code == 0, r.stderr
    assert "已发送 3 条提醒" in r.stderr
    assert len(robot.bodies) == 3
    body = robot.bodies[1]
    assert body["msgtype"] == "markdown"
    assert body["markdown"]["title"] == "进展报送提醒：海东市各县区人民政府"
    assert body["markdown"]["text"].startswith("#### 进展报送提醒\n**海东市各县区人民政府**")


def test_send_to_wecom(tree: Tree, robot: Robot) -> None:
    r = remind(tree, "--unit", "市教育局", "--send", robot.url, "--robot", "wecom")
    assert r.exit_code == 0, r.stderr
    (body,) = robot.bodies
    assert set(body) == {"msgtype", "markdown"} and set(body["markdown"]) == {"content"}
    assert "hd-5-1" in body["markdown"]["content"]


def test_nothing_is_sent_unless_asked(tree: Tree, robot: Robot) -> None:
    assert remind(tree).exit_code == 0
    assert robot.bodies == []


def test_the_robot_refuses(tree: Tree) -> None:
    robot = Robot({"errcode": 310000, "errmsg": "keywords not in content"})
    try:
        r = remind(tree, "--send", robot.url, "--robot", "dingtalk", "--interval", "0")
    finally:
        robot.close()
    assert r.exit_code == 1
    assert "已发送 0 条，第 1 条（海东市发展和改革委员会）失败" in r.stderr
    assert "机器人未接受消息" in r.stderr and "keywords not in content" in r.stderr
    assert len(robot.bodies) == 1  # it stops at the first failure


def test_http_error(tree: Tree) -> None:
    robot = Robot({"error": "nope"}, status=404)
    try:
        r = remind(tree, "--unit", "市教育局", "--send", robot.url, "--robot", "wecom")
    finally:
        robot.close()
    assert r.exit_code == 1 and "HTTP 404" in r.stderr


def test_unreachable(tree: Tree) -> None:
    r = remind(tree, "--unit", "市教育局", "--send", "http://127.0.0.1:9/x", "--robot", "wecom")
    assert r.exit_code == 1 and "无法连接机器人地址" in r.stderr
    assert "Traceback" not in r.stderr


def test_unknown_robot_kind(tree: Tree) -> None:
    r = remind(tree, "--send", "http://127.0.0.1:9/x")
    assert r.exit_code == 2 and "--robot" in r.stderr


def test_known_by_its_host() -> None:
    from zjtrack.forms.remind import robot_of

    assert robot_of("https://oapi.dingtalk.com/robot/send?access_token=x", None) == "dingtalk"
    assert robot_of("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x", None) == "wecom"
