"""Numerals: arabic digits and Chinese numerals (两, 十二, 一百一十, 二〇二五) -> numbers."""

from __future__ import annotations

_CN_DIGIT = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_POWER = {"十": 10, "百": 100, "千": 1000, "万": 10000}


def cn_number(text: str) -> int:
    """两 -> 2, 十 -> 10, 一百一十 -> 110; digit strings without powers read digit by digit (二〇二五)."""
    if not any(c in _CN_POWER for c in text):
        return int("".join(str(_CN_DIGIT[c]) for c in text))
    total = section = digit = 0
    for ch in text:
        if ch in _CN_DIGIT:
            digit = _CN_DIGIT[ch]
        elif ch == "万":
            total += (section + digit) * 10000
            section = digit = 0
        else:
            section += (digit or 1) * _CN_POWER[ch]
            digit = 0
    return total + section + digit


def number(text: str) -> float | int:
    text = text.strip()
    if text[0].isdigit():
        return float(text) if "." in text else int(text)
    return cn_number(text)


NUM = r"(?:\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)"
