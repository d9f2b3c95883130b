"""The printed labels of the standard tables, as patterns over normalized cell text.

Real reports vary the wording (其他法律行政法规禁止公开 / 其他法律法规禁止公开),
split labels with spaces ("不予公 开"), drop or change numbering, and use
full- or half-width brackets; cells are normalized (``numbers.normalize``)
before matching, and each row is recognised by the words that only it has.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# ---- table 2 -----------------------------------------------------------------------

# row key -> pattern on the whole normalized cell
T2_ROWS: dict[str, re.Pattern[str]] = {
    "regulations": re.compile(r"^(\d+[.、])?规章$"),
    "normative_docs": re.compile(r"^(\d+[.、])?(行政)?规范性文件$"),
    "licensing": re.compile(r"^(\d+[.、])?行政许可$"),
    "other_services": re.compile(r"^(\d+[.、])?其他对外管理服务事项$"),
    "penalty": re.compile(r"^(\d+[.、])?行政处罚$"),
    "coercion": re.compile(r"^(\d+[.、])?行政强制$"),
    "fees": re.compile(r"^(\d+[.、])?行政事业性收费$"),
    "procurement": re.compile(r"^(\d+[.、])?政府集中采购$"),
}

# column key sequences per format, in print order
T2_COLS: dict[str, dict[str, tuple[str, ...]]] = {
    "2019": {
        "regulations": ("made", "published", "total"),
        "normative_docs": ("made", "published", "total"),
        "licensing": ("prev_items", "change", "decisions"),
        "other_services": ("prev_items", "change", "decisions"),
        "penalty": ("prev_items", "change", "decisions"),
        "coercion": ("prev_items", "change", "decisions"),
        "fees": ("prev_items", "change"),
        "procurement": ("items", "amount"),
    },
    "2021": {
        "regulations": ("made", "repealed", "valid"),
        "normative_docs": ("made", "repealed", "valid"),
        "licensing": ("decisions",),
        "penalty": ("decisions",),
        "coercion": ("decisions",),
        "fees": ("amount",),
    },
}

# words that only one format's headers or rows print
FORMAT_EVIDENCE: dict[str, tuple[str, ...]] = {
    "2019": ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减", "本年增减",
             "其他对外管理服务事项", "政府集中采购", "采购项目数量", "采购总金额"),
    "2021": ("本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额",
             "逾期不补正", "缴纳费用", "收费通知"),
}

T2_START = re.compile(r"第二十条第\(一\)项|第二十条第一项")
AMOUNT_HEADER = re.compile(r"(金额|总金额)(\(?单位[:：]?(?P<unit>万元|元))?")

# ---- table 3 -----------------------------------------------------------------------


@dataclass(frozen=True)
class T3Label:
    key: str  # row key, e.g. "denied.third_party"; "" for a pure group label
    group: str | None  # the group this label opens or belongs to
    pattern: re.Pattern[str]


_P = re.compile
T3_LABELS: tuple[T3Label, ...] = (
    T3Label("new_received", None, _P(r"新收")),
    T3Label("carried_over", None, _P(r"上年(度)?结转|上一年度?结转")),
    T3Label("carried_forward", None, _P(r"结转下(一)?年度?|转入下一?年度?|下年度继续办理")),
    T3Label("granted", "results", _P(r"予以公开")),
    T3Label("partial", "results", _P(r"部分公开")),
    T3Label("denied.state_secret", "denied", _P(r"国家秘密")),
    T3Label("denied.law_forbidden", "denied", _P(r"禁止公开")),
    T3Label("denied.safety_stability", "denied", _P(r"三安全一稳定|危及")),
    T3Label("denied.third_party", "denied", _P(r"第三方")),
    T3Label("denied.internal_affairs", "denied", _P(r"内部事务")),
    T3Label("denied.process_info", "denied", _P(r"过程性")),
    T3Label("denied.enforcement_file", "denied", _P(r"执法案卷")),
    T3Label("denied.inquiry", "denied", _P(r"查询事项")),
    T3Label("unable.not_held", "unable", _P(r"不掌握")),
    T3Label("unable.need_create", "unable", _P(r"另行制作|没有现成")),
    T3Label("unable.unclear", "unable", _P(r"不明确")),
    T3Label("not_processed.petition", "not_processed", _P(r"信访|举报投诉")),
    T3Label("not_processed.duplicate", "not_processed", _P(r"重复申请")),
    T3Label("not_processed.publication", "not_processed", _P(r"出版物")),
    T3Label("not_processed.massive", "not_processed", _P(r"大量反复|反复申请")),
    T3Label("not_processed.confirm", "not_processed", _P(r"确认或|重新出具|已获取信息")),
    T3Label("other_handling.no_correction", "other_handling", _P(r"不补正")),
    T3Label("other_handling.no_fee", "other_handling", _P(r"缴纳费用|收费通知")),
    T3Label("other_handling.other", "other_handling", _P(r"^(\d+[.、]|\(\d+\))?其他(处理|情形)?$")),
    # group labels: they open a block of numbered rows and carry no numbers of their own
    T3Label("", "results", _P(r"办理结果")),
    T3Label("", "denied", _P(r"不予公开$")),
    T3Label("", "unable", _P(r"无法提供$")),
    T3Label("", "not_processed", _P(r"不予处理$")),
    # (六)其他处理: a row in 2019, the head of three rows in 2021 — decided by what follows
    T3Label("other_handling", "other_handling", _P(r"^(\(六\)|六[.、])?其他处理$")),
    T3Label("total", None, _P(r"^(\(七\)|七[.、])总计$")),
)
T3_BARE_TOTAL = re.compile(r"^总计$")
T3_START = re.compile(r"勾稽关系|申请人情况")

# a t3 row label is a short cell: prose that happens to contain 重复申请 is not a label
T3_MAX_LABEL_LEN = 48

# ---- table 4 -----------------------------------------------------------------------

T4_HEADER_WORDS = frozenset({
    "行政复议", "行政诉讼", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉",
    "复议后起诉", "维持", "纠正", "其他", "结果", "尚未", "审结", "未经复议", "直接起诉", "复议后", "起诉",
    "未审结",
})

# ---- section headings ---------------------------------------------------------------

SECTION_HEADINGS: dict[str, re.Pattern[str]] = {
    "t2": _P(r"^二[、.]?主动公开政府信息(情况)?$"),
    "t3": _P(r"^三[、.]?收到和处理政府信息公开申请(情况)?$"),
    "t4": _P(r"^四[、.]?(因)?政府信息公开(申请)?(行政复议|行政诉讼)"),
    "end": _P(r"^五[、.]?(政府信息公开工作)?存在的?主要问题|^五[、.]"),
}
