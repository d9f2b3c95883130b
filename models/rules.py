"""The keyword rule tagger: the cheap reference point every learned tagger must beat.

Rule: a candidate takes the label of the nearest keyword in its clause (text
between ，。；！？ or line breaks). Keywords to the left count by distance;
to the right at double distance (``1件结转下年度``, ``两次举办…培训`` put the
word after the count). A category or outcome word (工作动态类, 予以公开, 维持,
上年结转 …) that is nearer than any label word makes the count "O", as the
annotation rules say. Three precedence rules from ``narrative_labels.md``:
a total whose clause names exactly one kind of channel takes that channel's
label; 培训/参训 counts in 人/人次/名/位 are TRAINEES, otherwise TRAININGS; 办结/答复
outside an application sentence are MESSAGES when the sentence is about
messages. Confidence is ``None``: rules have no calibrated probability.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from .candidates import Candidate
from .tagger import OUTSIDE, mention_dict

# label -> keywords (longest alternatives first inside each regex)
KEYWORDS: dict[str, str] = {
    "PROACTIVE_TOTAL": r"主动公开|公开各类|共公开|公开政府信息|公开信息|发布各类信息|发布信息",
    "PORTAL_POSTS": r"门户网站|政府网站|政务公开平台|信息公开平台|公开平台|公开专栏|网站|专栏|政务网",
    "NEWMEDIA_POSTS": r"微信公众号|公众号|微信|微博|新媒体|抖音|头条号|客户端|视频号|APP|App",
    "POLICY_DOCS": r"规范性文件|政策文件|政策法规|政策信息|规章",
    "INTERPRETATIONS": r"政策解读|解读",
    "PRESS_EVENTS": r"新闻发布会|发布会|新闻发布",
    "RESPONSES": r"回应社会关切|回应关切|舆情回应|回应|舆情",
    "CONSULTATIONS": r"意见征集|征求意见|民意征集|征集|在线访谈|访谈|开放日|听证",
    "MESSAGES": r"留言|信箱|热线|诉求|咨询|投诉|来信|12345",
    "REQUESTS_RECEIVED": r"依申请公开|公开申请|收到|受理|新收|接收|申请",
    "REQUESTS_ANSWERED": r"办结|答复|已办理|回复|处理",
    "REQUESTS_CARRIED_OVER": r"结转下|转入下|转办下|结转|延期",
    "REVIEWS": r"行政复议|复议",
    "LAWSUITS": r"行政诉讼|诉讼",
    "TRAININGS": r"培训",
    "TRAINEES": r"参训人员|参训|学员",
    "FEES": r"信息处理费|处理费|收费|费用",
}
# words that make a count unlabelled when they are nearest: categories, outcomes, carried-in, other kinds
OUTSIDE_WORDS = (
    r"类信息|概况|工作动态|政务动态|要闻|板块|栏目|子目录|人事|财政|预决算|预算|决算|公告|公示|专题|三公|"
    r"予以公开|不予公开|部分公开|同意公开|不同意公开|不属于|不存在|告知|维持|纠正|纠错|其他情形|"
    r"上年结转|上年度结转|上一年度结转|当面申请|信函申请|网络申请|网上申请|现场申请|传真申请|当面|信函|传真|访问|浏览|点击|部门|单位|乡镇|街道|"
    r"自\d{4}年以来|以来|现行有效"
)
CHANNELS = ("PORTAL_POSTS", "NEWMEDIA_POSTS")
PEOPLE_UNITS = frozenset({"人", "人次", "名", "位"})
RIGHT_WEIGHT = 2
CLAUSE_END = re.compile(r"[，,。；;！？!?\n]")
SENTENCE_END = re.compile(r"[。；;！？!?\n]")

_KW = [(label, re.compile(p)) for label, p in KEYWORDS.items()] + [(OUTSIDE, re.compile(OUTSIDE_WORDS))]


def _bounds(text: str, start: int, end: int, stop: re.Pattern[str]) -> tuple[int, int]:
    lo = max((m.end() for m in stop.finditer(text, max(0, start - 200), start)), default=max(0, start - 200))
    m = stop.search(text, end, end + 200)
    return lo, (m.start() if m else min(len(text), end + 200))


def _nearest(text: str, lo: int, hi: int, cand: Candidate) -> str | None:
    best: tuple[int, int, str] | None = None  # (distance, -length, label)
    for label, pat in _KW:
        for m in pat.finditer(text, lo, hi):
            if m.end() <= cand.start:
                d = cand.start - m.end()
            elif m.start() >= cand.end:
                d = RIGHT_WEIGHT * (m.start() - cand.end) + 1
            else:
                continue
            key = (d, -(m.end() - m.start()), label)
            if best is None or key[:2] < best[:2]:
                best = key
    return best[2] if best else None


def rule_label(text: str, cand: Candidate) -> str:
    """The label the keyword rules give one candidate ("O" when none applies)."""
    lo, hi = _bounds(text, cand.start, cand.end, CLAUSE_END)
    label = _nearest(text, lo, hi, cand)
    if label is None:
        return OUTSIDE
    s_lo, s_hi = _bounds(text, cand.start, cand.end, SENTENCE_END)
    sentence = text[s_lo:s_hi]
    if label == "PROACTIVE_TOTAL":
        clause = text[lo:hi]
        kinds = [c for c in CHANNELS if re.search(KEYWORDS[c], clause)]
        if len(kinds) == 1:
            label = kinds[0]
    if label in ("TRAININGS", "TRAINEES"):
        label = "TRAINEES" if cand.unit in PEOPLE_UNITS else "TRAININGS"
    if label in ("REQUESTS_ANSWERED", "REQUESTS_CARRIED_OVER") and "申请" not in sentence:
        label = "MESSAGES" if re.search(KEYWORDS["MESSAGES"], sentence) else OUTSIDE
    if label == "FEES" and cand.unit != "元":
        label = OUTSIDE
    return label


class RuleTagger:
    """Tagger protocol over ``rule_label``; stateless, nothing to train or save."""

    name = "rules"
    source = "rule"

    def predict(self, text: str, candidates: Sequence[Candidate]) -> list[dict[str, Any]]:
        return [mention_dict(c, rule_label(text, c), None) for c in candidates]
