"""Report metadata: the year it covers and the agency that wrote it."""

from __future__ import annotations

import re
from collections import Counter

from .document import Document
from .numbers import normalize

_TITLE = re.compile(r"(?P<agency>[\u4e00-\u9fff（）()、·]{0,40}?)\s*(?P<year>(19|20)\d{2})\s*年\s*(度)?\s*(政府)?信息公开(工作)?(年度)?(报告|年报)")
_AGENCY_TAIL = (
    "人民政府办公室|人民政府办公厅|政府办公室|人民政府|办公室|办公厅|委员会|管理委员会|局|厅|署|办事处|中心|委|院|所|站|馆|会"
)
_PLACE = r"[\u4e00-\u9fff]{1,12}?(?:省|市|区|县|旗|镇|乡|街道|自治州|盟)"
_PROSE_AGENCY = re.compile(
    rf"(?:(?:19|20)\d{{2}}\s*年(?:度)?[，,]?\s*|^)(?P<agency>[\u4e00-\u9fff]{{2,30}}?(?:{_AGENCY_TAIL}))"
    r"(?=认真|严格|坚持|按照|围绕|深入|全面|进一步|紧紧|始终|持续|以|在|根据|依据|高度|积极|扎实|共|未|继续|贯彻)"
)
_YEAR_IN_DOCNO = re.compile(r"[〔\[【(（]\s*(19|20)\d{2}\s*[〕\]】)）]")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")


def _title_match(doc: Document) -> re.Match[str] | None:
    for line in doc.lines[:40]:
        t = "".join(line.cells).strip().lstrip("#").strip()
        if not t or len(t) > 80:
            continue
        m = _TITLE.search(t)
        if m:
            return m
    return None


def find_year(doc: Document) -> int | None:
    m = _title_match(doc)
    if m:
        return int(m.group("year"))
    head = _YEAR_IN_DOCNO.sub("", doc.text[:6000])
    m2 = re.search(r"统计期限[^。]{0,20}?((?:19|20)\d{2})\s*年", head)
    if m2:
        return int(m2.group(1))
    years = Counter(int(y) for y in _YEAR.findall(head))
    return years.most_common(1)[0][0] if years else None


def _has_place(name: str) -> bool:
    return bool(re.match(_PLACE, name)) or any(ch in name for ch in "省市区县旗镇乡")


def find_agency(doc: Document) -> str | None:
    m = _title_match(doc)
    title_agency = normalize(m.group("agency")) if m else ""
    title_agency = re.sub(r"^(关于)?", "", title_agency)
    if title_agency and _has_place(title_agency):
        return title_agency
    body = doc.text[:20000]
    if title_agency:
        # "政府办公室2019年…": the place is named in the prose ("龙亭区政府办公室作为…")
        pat = re.compile(rf"(?P<place>{_PLACE}){re.escape(title_agency)}")
        hits = Counter(normalize(x.group(0)) for x in pat.finditer(body))
        if hits:
            return hits.most_common(1)[0][0]
        return title_agency
    m3 = _PROSE_AGENCY.search(normalize(body[:3000]))
    if m3:
        return m3.group("agency")
    return None
