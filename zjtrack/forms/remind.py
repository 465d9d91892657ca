"""Reminders (提醒): for each unit that has not reported for the period, or leads targets that are
overdue, behind or due soon, a short message naming them and the due date, in plain text and in
the Markdown that DingTalk and WeCom group robots accept; and the robots' JSON to post it.

Deciding who is reminded of what is pure (statuses come from `evaluate`, returns from
`reported`); `post` is the one function here that touches the network, and only when asked.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import NamedTuple

from ..evaluate import Status, TargetResult, evaluate, roles_of
from ..model import Plan
from ..problems import UserError
from ..registry import Registry
from ..text import one_line
from ..views import deadline_label, describe_target, target_row
from ..vocab import status_label
from .period import Period
from .reported import standings

MAX_ITEMS = 10  # a robot message stays short: the rest is counted
ROBOTS = ("dingtalk", "wecom")


class Item(NamedTuple):
    target: str
    text: str  # 职业学校办学条件达标学校比例 ≥ 90%
    why: str  # 逾期未完成，时限 2025年底


class Reminder(NamedTuple):
    unit: str
    period: Period
    missing: bool  # has not reported for the period
    items: tuple[Item, ...]

    def plain(self, lang: str = "zh") -> str:
        return _plain(self, lang)

    def markdown(self, lang: str = "zh") -> str:
        return _markdown(self, lang)


def _why(res: TargetResult, lang: str) -> str:
    deadline = deadline_label(res.target, lang)
    label = status_label(res.status, lang, never_recorded=res.never_recorded)
    if res.status in (Status.OVERDUE, Status.BEHIND):
        return f"{label}，时限 {deadline}" if lang == "zh" else f"{label}, deadline {deadline}"
    days = res.days_left or 0
    return f"{days} 天后到期（{deadline}）" if lang == "zh" else f"due in {days} days ({deadline})"


def reminders(plan: Plan, period: Period, as_of: dt.date, lang: str = "zh") -> list[Reminder]:
    """Every unit to remind, by name: those not reported for `period` (as `reported` counts), and
    those leading targets overdue, behind, or due within the config's `due_soon_days`."""
    registry = Registry(plan.units)
    missing = {s.unit for s in standings(plan, period, as_of) if s.state == "missing"}
    items: dict[str, list[Item]] = {}
    for res in evaluate(plan, as_of):
        urgent = res.needs_supervision or res.due_within(plan.config.due_soon_days)
        if not urgent:
            continue
        row = target_row(res.document, res.measure, res.target, registry)
        item = Item(res.target.id, one_line(describe_target(row, lang)), _why(res, lang))
        for unit in roles_of(res, registry).lead:
            items.setdefault(unit, []).append(item)
    units = sorted(missing | items.keys())
    return [Reminder(u, period, u in missing, tuple(items.get(u, ()))) for u in units]


def _lines(r: Reminder, lang: str, bullet: str) -> list[str]:
    zh = lang == "zh"
    out = []
    if r.missing:
        out.append(
            f"{r.period.label} 期进展报送表尚未报送，请于 {r.period.due.isoformat()} 前报送。"
            if zh
            else f"Your form for {r.period.label} has not come back: please return it by "
            f"{r.period.due.isoformat()}."
        )
    if r.items:
        out.append(
            f"牵头的以下 {len(r.items)} 项任务需关注："
            if zh
            else f"{len(r.items)} targets you lead need attention:"
        )
        for it in r.items[:MAX_ITEMS]:
            out.append(
                f"{bullet}{it.target} {it.text}（{it.why}）"
                if zh
                else f"{bullet}{it.target} {it.text} ({it.why})"
            )
        if len(r.items) > MAX_ITEMS:
            rest = len(r.items) - MAX_ITEMS
            out.append(
                f"{bullet}另有 {rest} 项，详见周报。"
                if zh
                else f"{bullet}and {rest} more: see the weekly report."
            )
    return out


def _plain(r: Reminder, lang: str) -> str:
    head = f"【提醒】{r.unit}：" if lang == "zh" else f"[Reminder] {r.unit}:"
    return "\n".join([head, *_lines(r, lang, "- ")]) + "\n"


def _md_escape(text: str) -> str:
    """Markdown that a robot shows as written: its marks escaped."""
    for ch in "\\`*_[]#>":
        text = text.replace(ch, "\\" + ch)
    return text


def _markdown(r: Reminder, lang: str) -> str:
    title = "进展报送提醒" if lang == "zh" else "Progress reminder"
    lines = [f"#### {title}", f"**{_md_escape(r.unit)}**", ""]
    lines += [
        _md_escape(x) if not x.startswith("- ") else "- " + _md_escape(x[2:])
        for x in _lines(r, lang, "- ")
    ]
    return "\n".join(lines) + "\n"


def payload(robot: str, r: Reminder, lang: str = "zh") -> bytes:
    """The robot's JSON for one reminder: DingTalk's and WeCom's markdown messages."""
    text = r.markdown(lang)
    if robot == "dingtalk":
        title = ("进展报送提醒：" if lang == "zh" else "Reminder: ") + r.unit
        body: dict[str, object] = {
            "msgtype": "markdown",
            "markdown": {"title": title, "text": text},
        }
    elif robot == "wecom":
        body = {"msgtype": "markdown", "markdown": {"content": text}}
    else:
        raise ValueError(robot)
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def robot_of(url: str, given: str | None) -> str:
    """Which robot a webhook URL is: named, or known by its host."""
    if given is not None:
        return given
    if "dingtalk.com" in url:
        return "dingtalk"
    if "qyapi.weixin.qq.com" in url:
        return "wecom"
    raise UserError(
        f"无法从地址判断机器人类型：请加 --robot dingtalk 或 --robot wecom（{url}）",
        f"cannot tell the robot from the URL: add --robot dingtalk or --robot wecom ({url})",
        option="--robot",
    )


def post(url: str, body: bytes, timeout: float = 10.0) -> None:
    """POST one message; raises UserError (exit 1) with the robot's own words on failure."""
    import urllib.error
    import urllib.request

    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": "application/json; charset=utf-8"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            answer = response.read(65536)
    except urllib.error.HTTPError as e:
        raise UserError(
            f"机器人拒绝了消息：HTTP {e.code} {e.reason}",
            f"the robot refused the message: HTTP {e.code} {e.reason}",
            exit_code=1,
        ) from None
    except (urllib.error.URLError, OSError) as e:
        reason = getattr(e, "reason", e)
        raise UserError(
            f"无法连接机器人地址：{reason}", f"cannot reach the robot: {reason}", exit_code=1
        ) from None
    _check(answer)


def _check(answer: bytes) -> None:
    """Both robots answer `{"errcode": 0, "errmsg": "ok"}`; anything else is a failure."""
    try:
        reply = json.loads(answer.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        reply = None
    if not isinstance(reply, dict) or reply.get("errcode") != 0:
        said = one_line(answer.decode("utf-8", "replace"))[:200]
        raise UserError(
            f"机器人未接受消息：{said}（检查地址、关键词或签名设置）",
            f"the robot did not accept the message: {said} (check the URL, keyword or signing)",
            exit_code=1,
        )
