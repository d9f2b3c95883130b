"""Section 一、总体情况 prose with gold narrative mentions, plus the unlabelled prose around it.

Sentences come from templates written for this project (no real report text):
``[a|b]`` picks one alternative, ``{LABEL:条/件}`` prints a labelled count with
one of the measure words, ``{LABEL@key:件}`` a labelled count whose value is
``ctx[key]``, ``{_key:件}`` an unlabelled count (a distractor), ``{Y}``/``{ME}``…
plain words. Distractors follow ``shared/spec/narrative_labels.md``: dates,
document numbers, percentages, counts of departments, category and outcome
breakdowns, carried-in applications, running totals, website visits.
"""

from __future__ import annotations

import random
import re
from typing import Any, NamedTuple

from .names import area_word, place, short_name
from .numerals import number_text, span_value

Mention = dict[str, Any]


class _Slot(NamedTuple):
    """One sentence or clause position: written when its label was chosen (or, for an
    unlabelled slot, with probability ``p``); a ``dep`` slot only right after the slot before it."""

    label: str | None
    p: float
    alternatives: list[str]
    dep: bool = False

# Labels whose figure may be printed approximately (2000余条); table-linked ones never are.
_APPROX_OK = {
    "PROACTIVE_TOTAL", "PORTAL_POSTS", "NEWMEDIA_POSTS", "INTERPRETATIONS", "RESPONSES",
    "CONSULTATIONS", "MESSAGES", "TRAINEES",
}
_CN_OK_NOT = {"FEES"}

# ---- templates by topic -------------------------------------------------------------------------
# Each slot: (label that must be chosen, or None for a distractor/filler slot with its probability,
# alternatives). A template is usable when every ctx key it names exists.

_PROACTIVE: list[_Slot] = [
    _Slot("PROACTIVE_TOTAL", 1, [
        "{Y}，{ME}[共|累计|]主动公开政府信息[|共计]{PROACTIVE_TOTAL:条}",
        "全年[通过各类渠道|]主动公开[各类|]政府信息[共|][约|]{PROACTIVE_TOTAL:条}",
        "[本年度|全年|{Y}]共公开各类信息{PROACTIVE_TOTAL:条}",
        "{Y}度主动公开政府信息总计{PROACTIVE_TOTAL:条}",
        "截至{Y}底，{ME}累计发布政务信息{PROACTIVE_TOTAL:条}",
        "全年主动公开政府信息数量达到{PROACTIVE_TOTAL:条}",
        "通过政府网站、政务新媒体等渠道发布政府信息{PROACTIVE_TOTAL:条}",
    ]),
    _Slot(None, 0.55, dep=True, alternatives=[
        "，其中[规范性文件|行政规范性文件|政策文件]{POLICY_DOCS:件/条}，[工作动态类信息|政务动态|通知公告类信息]{_cat1:条}，[其他类信息|其他信息]{_cat2:条}",
        "，其中[机构职能类信息|财政预决算信息|人事信息]{_cat1:条}，[工作动态|政务要闻]{_cat2:条}",
        "，其中，[政府网站|门户网站]公开政府信息{PORTAL_POSTS:条}，[政务微信|微信公众号]公开政府信息{NEWMEDIA_POSTS:条}，其他方式公开{_other_ch:条}",
        "，涉及[公告公示|人事任免|财政资金]等内容{_cat1:条}",
    ]),
    _Slot(None, 1, ["。"]),
    _Slot("POLICY_DOCS", 0.8, [
        "[本年度|全年]{ME}[制发|印发|出台]行政规范性文件{POLICY_DOCS:件}，均按规定[在政府网站|通过政府信息公开专栏]予以公开。",
        "公开政策文件{POLICY_DOCS:件}，[同步|及时]更新政策文件库。",
        "依法公开规章和规范性文件{POLICY_DOCS:件}。",
        "主动公开[规范性文件|行政规范性文件]{POLICY_DOCS:件}，[做到应公开尽公开|实现集中统一公开]。",
    ]),
    _Slot(None, 0.3, ["截至{Y}底，现行有效规范性文件{_stock:件}，已全部在政策文件库集中公开。"]),
    _Slot("INTERPRETATIONS", 1, [
        "围绕重要政策发布政策解读[材料|信息|]{INTERPRETATIONS:篇/条/件}，[采用图文、视频等形式|通过图解、问答等方式]增强解读实效。",
        "坚持政策文件与解读方案同步起草、同步审签、同步发布，全年解读政策{INTERPRETATIONS:篇}。",
        "对[《{CITY}市优化营商环境若干措施》|重点民生政策]等{INTERPRETATIONS:份/件}政策文件进行解读。",
    ]),
    _Slot("PRESS_EVENTS", 1, [
        "[召开|举行|组织召开]新闻发布会{PRESS_EVENTS:场/次}，[主要负责同志|分管负责同志]出席发布并回答记者提问。",
        "全年举办新闻发布活动{PRESS_EVENTS:场}，[邀请|组织]相关部门负责人解读重点工作。",
        "参加[市|县|区|]政府新闻发布会{PRESS_EVENTS:次}，[介绍|通报]重点工作进展情况。",
    ]),
    _Slot("RESPONSES", 1, [
        "[积极|及时]回应社会关切{RESPONSES:次/条}，[依法|妥善]处置涉政务舆情事件。",
        "全年[妥善处置|回应]政务舆情{RESPONSES:起/次}，[回应率|处置率]100%。",
        "通过各类渠道发布舆情回应信息{RESPONSES:条}。",
        "[及时|主动]回应群众关切问题{RESPONSES:条}。",
    ]),
    _Slot(None, 0.35, [
        "{DATE}，[在|于]{CITY}[会议中心|政务服务中心]召开政务公开工作推进会，部署{Y1}重点任务。",
        "按照《{CITY}市{Y}政务公开工作要点》（{DOCNO}）要求，梳理公开事项{_items:项}。",
        "编印《政府公报》{_gazette:期}，免费发放至{AREA}各公开查阅点。",
        "政府网站日均访问量{_daily:次}。",
    ]),
]

_PLATFORM: list[_Slot] = [
    _Slot("PORTAL_POSTS", 1, [
        "{Y}，在[区|县|市|]政府门户网站发布[各类|]信息{PORTAL_POSTS:条}。",
        "通过政府网站公开政府信息{PORTAL_POSTS:条}，[及时|持续]更新[信息公开目录|重点领域专栏]。",
        "[政务公开平台|政府信息公开专栏]全年发布政务信息{PORTAL_POSTS:条}。",
        "政府网站信息公开专栏[更新|发布]信息{PORTAL_POSTS:条}，[栏目|内容]保障有力。",
        "门户网站[全年|]累计更新信息{PORTAL_POSTS:条}，其中[工作动态|通知公告]{_cat3:条}。",
    ]),
    _Slot(None, 0.5, [
        "门户网站全年访问量[达|超过]{_visits:人次}。",
        "自{Y0}开通以来，网站累计发布信息{_since:条}。",
        "[新开设|开设]专题专栏{_cols:个}，[集中展示|分类发布]重点领域信息。",
    ]),
    _Slot("NEWMEDIA_POSTS", 1, [
        "“{CITY}发布”微信公众号[推送|发布]信息{NEWMEDIA_POSTS:条/篇}，[政务微博|官方微博]发布信息{NEWMEDIA_POSTS@nm2:条}。",
        "通过政务新媒体[平台|]发布[各类|]信息{NEWMEDIA_POSTS:条}。",
        "通过[微博、微信|微信、抖音|政务微博、微信公众号]等新媒体平台发布信息{NEWMEDIA_POSTS:条}。",
        "[政务微信|微信公众号]全年推送文章{NEWMEDIA_POSTS:篇}，[关注人数|粉丝数]超过{_fans:人}。",
    ]),
    _Slot("CONSULTATIONS", 1, [
        "[开展|组织]网上意见征集{CONSULTATIONS:次}，[征集结果|采纳情况]及时向社会公布。",
        "[组织|开展]在线访谈{CONSULTATIONS:期/场}，[围绕|就]民生热点与网民[在线交流|互动]。",
        "举办政府开放日活动{CONSULTATIONS:场/次}，邀请[群众代表|人大代表、政协委员]走进机关。",
        "就重大行政决策事项公开征求意见{CONSULTATIONS:次}。",
        "[发布意见征集公告|开展民意征集]{CONSULTATIONS:个/次}，[广泛听取|充分吸纳]社会公众意见。",
    ]),
    _Slot("MESSAGES", 1, [
        "[区长|县长|局长|镇长|市长]信箱[受理|收到]群众来信{MESSAGES:件/封}，[均已按期回复|办结率100%]。",
        "12345[政务服务便民|]热线[转办|受理]群众诉求{MESSAGES:件}，按时办结率{_pct}%。",
        "[办理|回复]网民留言{MESSAGES:条/件}，[群众满意率|回复率]达{_pct}%。",
        "接待群众[来电|来访]咨询{MESSAGES:人次}，[其中|]政策咨询{MESSAGES@msg2:件}。",
        "[受理|办理]民生诉求{MESSAGES:件}，[及时|依法]分类转办。",
    ]),
]

_REQUESTS: list[_Slot] = [
    _Slot(None, 1, ["{NOREQ}"]),
    _Slot("REQUESTS_RECEIVED", 1, [
        "{Y}，{ME}[共|]收到政府信息公开申请{REQUESTS_RECEIVED:件}",
        "全年[共|]受理依申请公开[申请|事项|]{REQUESTS_RECEIVED:件}",
        "本年度新收政府信息公开申请{REQUESTS_RECEIVED:件}",
        "{Y}共收到和办理政府信息公开申请{REQUESTS_RECEIVED:件}",
        "{Y}依申请公开{REQUESTS_RECEIVED:件}",
        "全年共受理政府信息公开申请{REQUESTS_RECEIVED@received_alt:件}（含上年结转{_carried_in:件}）",
    ]),
    _Slot(None, 0.4, dep=True, alternatives=[
        "，其中当面申请{_ch1:件}、网络申请{_ch2:件}、信函申请{_ch3:件}",
        "，上年结转{_carried_in:件}",
        "，其中[予以公开|同意公开]{_granted:件}、[不予公开|不予处理]{_denied:件}、无法提供{_unable:件}",
    ]),
    _Slot("REQUESTS_ANSWERED", 1, [
        "，[已|均已|]按期办结{REQUESTS_ANSWERED:件}",
        "，[依法|按时]答复{REQUESTS_ANSWERED:件}",
        "，已办理{REQUESTS_ANSWERED:件}",
        "，办结{REQUESTS_ANSWERED:件}",
    ]),
    _Slot("REQUESTS_CARRIED_OVER", 1, [
        "，{REQUESTS_CARRIED_OVER:件}结转下年度[继续|]办理",
        "，转入下一年度办理{REQUESTS_CARRIED_OVER:件}",
        "，另有{REQUESTS_CARRIED_OVER:件}因在法定答复期限内结转下年度办理",
        "，结转至{Y1}办理{REQUESTS_CARRIED_OVER:件}",
    ]),
    _Slot(None, 1, ["。"]),
    _Slot("FEES", 1, [
        "全年收取信息处理费{FEES:元}。",
        "[本年度|{Y}]共收取信息处理费{FEES:元}，[均按规定上缴|已按规定开具票据]。",
    ]),
    _Slot(None, 0.4, [
        "依申请公开[按时答复率|办理满意度]达到{_pct}%。",
        "进一步规范依申请公开办理流程，严格在法定期限内作出答复。",
        "修订政府信息公开指南{_rev:次}，公布受理渠道和办理流程。",
    ]),
    _Slot("REVIEWS", 1, [
        "[发生|收到]政府信息公开[类|]行政复议[案件|]{REVIEWS:件/起}",
        "因政府信息公开被申请行政复议{REVIEWS:起}",
        "全年共发生行政复议{REVIEWS:起}",
    ]),
    _Slot(None, 0.5, ["，[其中|]维持{_rv_upheld:起}、纠正{_rv_corr:起}"], dep=True),
    _Slot("LAWSUITS", 1, [
        "[；|，]被提起行政诉讼{LAWSUITS:起/件}",
        "[；|，]发生政府信息公开行政诉讼{LAWSUITS:件}",
        "，行政诉讼{LAWSUITS:件}",
    ]),
    _Slot(None, 1, ["。"]),
    _Slot(None, 1, ["{NOLIT}"]),
    _Slot(None, 0.25, ["全年涉及政府信息公开的行政复议、行政诉讼案件共{_rl:件}，均已依法妥善处理。"]),
]

_TRAINING: list[_Slot] = [
    _Slot("TRAININGS", 1, [
        "[组织|举办|开展][政务公开|业务|专题]培训{TRAININGS:次/期/场}",
        "全年开展政务公开业务培训{TRAININGS:次}",
        "举办[政务公开|信息公开]专题培训班{TRAININGS:期}",
    ]),
    _Slot("TRAINEES", 1, [
        "，[参训人员|培训人员|参训干部]{TRAINEES:人次/人/名}",
        "，培训{TRAINEES:人次}",
        "，累计培训{TRAINEES:人次}",
        "，共{TRAINEES:人}参加",
    ]),
    _Slot(None, 0.6, ["，覆盖{AREA}{_depts:个}单位", "，实现{AREA}{_depts:个}部门全覆盖"], dep=True),
    _Slot(None, 1, ["。"]),
    _Slot(None, 0.5, [
        "将政务公开工作纳入年度绩效考核，考核权重占{_pct2}%。",
        "对{AREA}{_depts2:个}单位的政府网站和政务新媒体开展[季度|常态化]检查，[发现|整改]问题{_issues:个}。",
        "{DATE}至{DATE2}，组织开展政务公开专项督查。",
    ]),
]

_FILLER = [
    "坚持以公开为常态、不公开为例外，不断提升政务公开质量和实效。",
    "严格落实信息发布审核制度，确保发布内容准确、及时、规范。",
    "进一步畅通公开渠道，切实保障人民群众的知情权、参与权、表达权和监督权。",
    "对照年度工作要点逐项分解任务，明确责任分工和完成时限。",
    "加强与宣传、网信等部门的沟通协调，形成工作合力。",
    "围绕群众关注的热点难点问题，及时准确发布权威信息。",
    "建立健全依申请公开登记、审核、办理、答复、归档等工作流程。",
    "严格执行保密审查制度，做到涉密信息不上网、上网信息不涉密。",
    "持续优化栏目设置，方便公众查阅和获取政府信息。",
    "将政务公开工作纳入年度目标管理，强化督促检查。",
]

_HEADINGS = {
    "proactive": ["主动公开情况", "主动公开政府信息情况", "政府信息主动公开方面", "加大主动公开力度"],
    "platform": ["政府信息公开平台建设情况", "平台建设情况", "政务新媒体及互动交流方面", "公开平台建设"],
    "requests": ["依申请公开情况", "依申请公开办理情况", "依申请政府信息公开方面", "规范依申请公开办理"],
    "training": ["监督保障及教育培训情况", "监督保障方面", "政府信息公开培训情况", "强化监督保障"],
    "management": ["政府信息管理情况", "政府信息资源的规范化、标准化管理情况", "规范信息管理"],
}
_NUM_HEAD = ["一", "二", "三", "四", "五", "六", "七", "八"]


def _ctx(rng: random.Random, record: dict[str, Any]) -> dict[str, Any]:
    """Every count a sentence may print, mostly tied to the record's tables."""
    t = record.get("tables") or {}
    fmt = record["meta"]["format"]

    def tv(k: str) -> int:
        v = t.get(k)
        return int(v) if v is not None else 0

    agency = record["meta"]["agency"] or "本机关"
    proactive = int(10 ** rng.uniform(1.5, 4.6))
    portal = max(1, int(proactive * rng.uniform(0.3, 0.8)))
    c: dict[str, Any] = {
        "PROACTIVE_TOTAL": proactive,
        "PORTAL_POSTS": portal,
        "NEWMEDIA_POSTS": max(1, int(proactive * rng.uniform(0.05, 0.4))),
        "nm2": rng.randint(5, 900),
        "POLICY_DOCS": tv("t2.normative_docs.published" if fmt == "2019" else "t2.normative_docs.made")
        or rng.randint(1, 30),
        "INTERPRETATIONS": rng.randint(1, 150),
        "PRESS_EVENTS": rng.randint(1, 25),
        "RESPONSES": rng.randint(1, 120),
        "CONSULTATIONS": rng.randint(1, 40),
        "MESSAGES": int(10 ** rng.uniform(1, 4.5)),
        "msg2": rng.randint(1, 300),
        "REQUESTS_RECEIVED": tv("t3.new_received.total"),
        "received_alt": tv("t3.new_received.total") + tv("t3.carried_over.total"),
        "REQUESTS_ANSWERED": tv("t3.total.total"),
        "REQUESTS_CARRIED_OVER": tv("t3.carried_forward.total"),
        "REVIEWS": tv("t4.review.total"),
        "LAWSUITS": tv("t4.litigation_direct.total") + tv("t4.litigation_after_review.total"),
        "TRAININGS": rng.randint(1, 15),
        "TRAINEES": int(10 ** rng.uniform(1.3, 3.6)),
        "FEES": rng.choice([0, 0, 0, rng.randint(10, 3000)]),
        "_cat1": max(1, int(proactive * rng.uniform(0.1, 0.5))),
        "_cat2": max(1, int(proactive * rng.uniform(0.05, 0.3))),
        "_cat3": max(1, int(portal * rng.uniform(0.1, 0.5))),
        "_other_ch": rng.randint(1, 500),
        "_stock": tv("t2.normative_docs.total" if fmt == "2019" else "t2.normative_docs.valid")
        or rng.randint(10, 300),
        "_items": rng.randint(20, 800),
        "_gazette": rng.randint(4, 24),
        "_visits": int(10 ** rng.uniform(4, 7)),
        "_since": int(10 ** rng.uniform(4.7, 6)),
        "_cols": rng.randint(3, 30),
        "_rev": rng.randint(1, 3),
        "_daily": rng.randint(300, 90000),
        "_fans": int(10 ** rng.uniform(3, 5.5)),
        "_granted": tv("t3.granted.total"),
        "_denied": sum(tv(f"t3.denied.{k}.total") for k in (
            "state_secret", "law_forbidden", "safety_stability", "third_party",
            "internal_affairs", "process_info", "enforcement_file", "inquiry")),
        "_unable": sum(tv(f"t3.unable.{k}.total") for k in ("not_held", "need_create", "unclear")),
        "_rv_upheld": tv("t4.review.upheld"),
        "_rv_corr": tv("t4.review.corrected"),
        "_rl": tv("t4.review.total") + tv("t4.litigation_direct.total") + tv("t4.litigation_after_review.total"),
        "_depts": rng.randint(5, 80),
        "_depts2": rng.randint(5, 80),
        "_issues": rng.randint(3, 60),
        "_pct": rng.choice(["100", "98.5", "99", "96.7", "100"]),
        "_pct2": rng.choice(["5", "8", "10", "4"]),
        # words
        "Y": f"{record['meta']['year']}年",
        "Y0": f"{record['meta']['year'] - rng.randint(5, 12)}年",
        "Y1": f"{record['meta']['year'] + 1}年",
        "ME": short_name(agency),
        "AREA": area_word(agency),
        "LEAD": "{0}委、{0}政府".format(area_word(agency)[1:]) if area_word(agency)[1:] in "区县市" else "上级",
        "CITY": place(rng),
        "DATE": f"{rng.randint(1, 12)}月{rng.randint(1, 20)}日",
        "DOCNO": f"{place(rng, 1)}政办〔{record['meta']['year']}〕{rng.randint(1, 60)}号",
    }
    for key in ("PROACTIVE_TOTAL", "MESSAGES", "PORTAL_POSTS"):
        if c[key] >= 10000 and rng.random() < 0.5:  # big figures are often round: 1.53万条
            c[key] = c[key] // 100 * 100
    c["DATE2"] = c["DATE"].split("月")[0] + f"月{rng.randint(21, 28)}日"
    carried_in = tv("t3.carried_over.total")
    if carried_in:
        c["_carried_in"] = carried_in
    else:  # the 含上年结转 sentence only makes sense with something carried in
        c.pop("received_alt")
    rec = c["REQUESTS_RECEIVED"]
    if rec >= 3:  # split by channel, unlabelled
        a = rng.randint(0, rec // 2)
        b = rng.randint(0, rec - a)
        c["_ch1"], c["_ch2"], c["_ch3"] = a, b, rec - a - b
    if not c["_granted"]:  # an outcome breakdown of nothing reads oddly
        for k in ("_granted", "_denied", "_unable"):
            c.pop(k)
    if not c["_rl"]:
        c.pop("_rl")
    if not (c["_rv_upheld"] or c["_rv_corr"]):
        c.pop("_rv_upheld")
    return c


_TOKEN = re.compile(r"\{([^{}]+)\}")
_CHOICE = re.compile(r"\[([^\[\]]*)\]")
_CJK = r"[\u4e00-\u9fff]"


def _keys(template: str) -> set[str]:
    out = set()
    for tok in _TOKEN.findall(template):
        name = tok.split(":")[0]
        out.add(name.split("@")[1] if "@" in name else name)
    return out


class _Writer:
    """Appends template text and records mention offsets as it goes."""

    def __init__(self, rng: random.Random, ctx: dict[str, Any], spaced: bool) -> None:
        self.rng, self.ctx, self.spaced = rng, ctx, spaced
        self.text = ""
        self.mentions: list[Mention] = []

    def usable(self, template: str) -> bool:
        return all(k in self.ctx for k in _keys(template))

    def choose(self, template: str) -> str:
        return _CHOICE.sub(lambda m: self.rng.choice(m.group(1).split("|")), template)

    def emit(self, template: str) -> None:
        t = self.choose(template)
        # plain words first, so spacing sees the whole literal run
        t = _TOKEN.sub(lambda m: str(self.ctx[m.group(1)]) if ":" not in m.group(1) else m.group(0), t)
        pos = 0
        for m in _TOKEN.finditer(t):
            self._literal(t[pos : m.start()])
            self._number(m.group(1))
            pos = m.end()
        self._literal(t[pos:])

    def _literal(self, s: str) -> None:
        if self.spaced:
            s = re.sub(rf"(?<={_CJK})(?=\d)|(?<=\d)(?={_CJK})", " ", s)
            if s[:1].isdigit() and re.match(_CJK, self.text[-1:] or "x"):
                s = " " + s
        self.text += s

    def _number(self, tok: str) -> None:
        name, units = tok.split(":")
        label, key = (name.split("@") + [None])[:2] if "@" in name else (name, name)
        value = int(self.ctx[key])
        unit = self.rng.choice(units.split("/"))
        span, printed, approx = number_text(
            self.rng, value, unit, spaced=self.spaced,
            approx_ok=label in _APPROX_OK, cn_ok=label not in _CN_OK_NOT,
        )
        if self.spaced and span[:1].isdigit() and re.match(_CJK, self.text[-1:] or "x"):
            self.text += " "
        start = len(self.text)
        self.text += span
        if not label.startswith("_"):
            v, a = span_value(span)
            assert v == printed and a == approx, (span, printed, approx)
            self.mentions.append({
                "label": label, "start": start, "end": len(self.text), "text": span,
                "value": printed, "approx": approx,
            })


def _paragraph(w: _Writer, slots: list[_Slot], chosen: set[str]) -> bool:
    """Emit one topic paragraph; False when nothing was written."""
    start = len(w.text)
    wrote_any = prev = False
    for slot in slots:
        wanted = slot.label is None or slot.label in chosen
        if not wanted or (slot.dep and not prev) or w.rng.random() >= slot.p:
            prev = False
            continue
        usable = [a for a in slot.alternatives if w.usable(a)]
        if not usable:
            prev = False
            continue
        tmpl = w.choose(w.rng.choice(usable))
        if tmpl == "。":
            if w.text[start:] and w.text[-1] != "。":
                w.emit(tmpl)
            continue
        if tmpl.startswith(("，", "；")) and (not w.text[start:] or w.text[-1] == "。"):
            tmpl = tmpl[1:]  # a clause with nothing before it starts its own sentence
        w.emit(tmpl)
        wrote_any = prev = True
    if wrote_any and w.text[-1] != "。":
        w.emit("。")
    return wrote_any


def _heading(rng: random.Random, style: str, i: int, text: str) -> str:
    if style == "full":
        return f"（{_NUM_HEAD[i]}）{text}"
    if style == "half":
        return f"({_NUM_HEAD[i]}){text}"
    if style == "half_sp":
        return f"({_NUM_HEAD[i]}) {text}"
    return f"{i + 1}.{text}"


def render_prose(rng: random.Random, record: dict[str, Any]) -> tuple[str, list[Mention]]:
    """The body of section 一、总体情况: lines joined by "\\n" (sub-headings on their own lines).

    Returns the text and its gold mentions (offsets into the text). Counts about
    applications, reviews and lawsuits agree with the tables, except in about one
    report in eight where one of them deliberately does not.
    """
    ctx = _ctx(rng, record)
    if rng.random() < 0.12:
        lab = rng.choice(["REQUESTS_RECEIVED", "REQUESTS_ANSWERED", "REVIEWS", "LAWSUITS"])
        ctx[lab] += rng.randint(1, 5)
    labels = [
        "PROACTIVE_TOTAL", "PORTAL_POSTS", "NEWMEDIA_POSTS", "POLICY_DOCS", "INTERPRETATIONS",
        "PRESS_EVENTS", "RESPONSES", "CONSULTATIONS", "MESSAGES", "REQUESTS_RECEIVED",
        "REQUESTS_ANSWERED", "REQUESTS_CARRIED_OVER", "REVIEWS", "LAWSUITS", "TRAININGS", "TRAINEES", "FEES",
    ]
    chosen = {lab for lab in labels if rng.random() < 0.6}
    if rng.random() < 0.85:
        chosen.add("REQUESTS_RECEIVED")
    if ctx["REQUESTS_CARRIED_OVER"] == 0 and rng.random() < 0.7:
        chosen.discard("REQUESTS_CARRIED_OVER")
    me = ctx["ME"]
    if ctx["REQUESTS_RECEIVED"] == 0 and rng.random() < 0.6:
        chosen -= {"REQUESTS_RECEIVED", "REQUESTS_ANSWERED", "REQUESTS_CARRIED_OVER"}
        ctx["NOREQ"] = rng.choice([f"{ctx['Y']}，{me}未收到政府信息公开申请。", "本年度未收到依申请公开请求。"])
    if ctx["REVIEWS"] == 0 and ctx["LAWSUITS"] == 0 and rng.random() < 0.6:
        chosen -= {"REVIEWS", "LAWSUITS"}
        ctx["NOLIT"] = "未发生因政府信息公开引起的行政复议、行政诉讼。"
    w = _Writer(rng, ctx, spaced=rng.random() < 0.1)
    agency, year = record["meta"]["agency"] or "本机关", record["meta"]["year"]
    w.emit(rng.choice([
        "{Y}，" + agency + "认真贯彻落实《中华人民共和国政府信息公开条例》（以下简称《条例》），"
        "[紧紧围绕|坚持]中心工作，[扎实推进|持续深化]政务公开各项工作。",
        "{Y}，在[上级|{LEAD}]的正确领导下，{ME}[深入贯彻|严格执行]《条例》，"
        "[不断|持续]提高政府工作透明度。",
        "[今年以来|本年度]，{ME}按照《条例》和[上级|省、市]工作部署，[健全工作机制|完善制度体系]，稳步推进政府信息公开工作。",
    ]))
    if rng.random() < 0.3:
        w.emit(rng.choice(["报告中", "本报告", "本年度报告中"]) + f"所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。")
    topics = [("proactive", _PROACTIVE), ("platform", _PLATFORM), ("requests", _REQUESTS), ("training", _TRAINING)]
    if rng.random() < 0.3:
        rng.shuffle(topics)
    head_style = rng.choice(["full", "full", "half", "half_sp", "arabic", "none"])
    n = 0
    fillers = list(_FILLER)  # each filler sentence at most once per report
    for name, slots in topics:
        w.text += "\n"
        mark = len(w.text)
        if head_style != "none":
            w.text += _heading(rng, head_style, n, rng.choice(_HEADINGS[name])) + "\n"
        body = len(w.text)
        if not _paragraph(w, slots, chosen):
            w.text = w.text[:mark].rstrip("\n")  # nothing said: drop the heading too
            continue
        for f in rng.sample(fillers, min(len(fillers), rng.choice([0, 1, 1, 2]))):
            fillers.remove(f)
            w.emit(f)
        if body == len(w.text):
            continue
        n += 1
    if rng.random() < 0.2 and "PROACTIVE_TOTAL" in chosen:
        w.text += "\n"
        w.emit("综上，全年共主动公开政府信息{PROACTIVE_TOTAL:条}。")
    text = w.text.strip("\n")
    shift = len(w.text) - len(w.text.lstrip("\n"))
    for m in w.mentions:
        m["start"] -= shift
        m["end"] -= shift
    return text, w.mentions


# ---- unlabelled prose around the tables ---------------------------------------------------------

_PROBLEMS = [
    "政务公开工作人员业务能力有待进一步提升",
    "政策解读形式还不够丰富，解读的针对性和可读性有待加强",
    "基层政务公开标准化规范化工作推进还不够平衡",
    "信息发布的及时性和准确性仍需加强",
    "依申请公开办理的规范化水平有待提高",
    "政务新媒体内容更新不够及时",
]
_PLANS = [
    "加强业务培训，提升工作人员的公开意识和业务水平",
    "丰富政策解读形式，增强解读的实效性",
    "完善信息发布审核机制，确保公开内容准确规范",
    "加大重点领域信息公开力度，及时回应社会关切",
    "规范依申请公开办理流程，提高答复质量",
    "强化监督考核，推动各项任务落到实处",
]


def problems_text(rng: random.Random, record: dict[str, Any]) -> str:
    """Section 五: problems and improvements (no counts)."""
    me = short_name(record["meta"]["agency"] or "")
    ps = rng.sample(_PROBLEMS, rng.randint(2, 3))
    qs = rng.sample(_PLANS, rng.randint(2, 3))
    nums = "一二三"
    first = "；".join(f"{nums[i]}是{p}" for i, p in enumerate(ps)) + "。"
    second = "；".join(f"{nums[i]}是{q}" for i, q in enumerate(qs)) + "。"
    return f"{me}政府信息公开工作还存在一些不足：{first}\n下一步，{me}将重点做好以下工作：{second}"


def other_matters_text(rng: random.Random, record: dict[str, Any]) -> str:
    """Section 六: other matters (no counts; the fee sentence says nothing was charged)."""
    me = short_name(record["meta"]["agency"] or "")
    return rng.choice([
        "无。",
        "无",
        f"{me}无其他需要报告的事项。",
        f"本年度{me}未收取政府信息公开信息处理费。",
        "本机关无其他需要报告的事项。",
    ])


def preamble_text(rng: random.Random, record: dict[str, Any]) -> str:
    """The paragraph before section 一 (dates and document numbers: distractors, unlabelled)."""
    y = record["meta"]["year"]
    return rng.choice([
        f"本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求编制。报告中所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。",
        f"根据《中华人民共和国政府信息公开条例》和《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办公开办函〔{2019 if y < 2021 else 2021}〕{60 if y < 2021 else 30}号）要求，现将{y}年度政府信息公开工作情况报告如下。",
        "",
    ])


def is_subheading(line: str) -> bool:
    """A sub-heading line of the prose: （一）主动公开情况, (二)…, 3.… with no full stop."""
    return bool(re.match(r"^(（[一二三四五六七八]）|\([一二三四五六七八]\) ?|[1-8]\.)", line)) and "。" not in line
