"""Line patterns shared by the stages: headings, items, unit-line labels, the tail, date lines."""

from __future__ import annotations

import re

CN_NUMERALS = "一二三四五六七八九十百"
H1 = re.compile(rf"^\s*([{CN_NUMERALS}]+)、\s*")  # 一、 measure or section
H2 = re.compile(rf"^\s*[（(]([{CN_NUMERALS}]+)[）)]\s*")  # （一）
ITEM = re.compile(r"^\s*(?:(\d{1,2})[.．、](?!\d)|[（(](\d{1,2})[）)])\s*")  # 1. / （1）
# unit-line labels and the field each fills
LABELS = {
    "牵头单位": "lead_units",
    "牵头部门": "lead_units",
    "主责单位": "lead_units",
    "主责部门": "lead_units",
    "牵头责任单位": "lead_units",
    "牵头责任部门": "lead_units",
    "责任单位": "responsible_units",
    "责任部门": "responsible_units",
    "负责单位": "responsible_units",
    "负责部门": "responsible_units",
    "配合单位": "supporting_units",
    "配合部门": "supporting_units",
    "协办单位": "supporting_units",
    "参与单位": "supporting_units",
    "牵头职业院校": "lead_colleges",
    "牵头院校": "lead_colleges",
    "牵头学校": "lead_colleges",
    "牵头企业": "lead_enterprises",
    # not a unit: the deadline a task list gives beside its units (牵头单位：…；完成时限：2025年底前)
    "完成时限": "deadline",
    "完成时间": "deadline",
    "时间节点": "deadline",
    "时限要求": "deadline",
}
LABEL = "|".join(sorted(LABELS, key=len, reverse=True))
UNIT_LINE = re.compile(rf"^\s*(?:{LABEL})\s*[：:]")  # 牵头单位：… on its own line
LABEL_AT = re.compile(rf"({LABEL})\s*[：:]")  # each label inside a unit line
# （牵头单位：市教育局，配合单位：市财政局、市人社局） at the end of a paragraph
# （牵头单位：…） at a paragraph's end, a remark in （） inside it allowed (各区政府（含新区，下同）);
# Shenzhen writes [责任单位:…] when the list holds such a remark
INLINE_UNITS = re.compile(
    rf"(?:[（(]\s*((?:{LABEL})\s*[：:](?:[^（）()]|[（(][^（）()]*[）)])*)[）)]"
    rf"|[\[［【]\s*((?:{LABEL})\s*[：:][^\[\]［］【】]*)[\]］】])\s*[。；;]?\s*$"
)
SENTENCE_END = "。！？!?；;：:"

# lines after the body: attachments, distribution, publication flags
TAIL = re.compile(
    r"^\s*(?:附件\s*(?:[:：\d]|$)|附：|抄送\s*[:：]|主送\s*[:：]|是否宜公开|（此件|此件公开)"
)
# a line holding only a date: 2024年7月18日 (or 二〇二四年七月十八日), the issue date under the signature
DATE_LINE = re.compile(
    r"^\s*(\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月"
    r"\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*日\s*(?:印发|印)?\s*$"
)
