"""A report as an ordered list of blocks (title, headings, paragraphs, tables) for the DOCX/PDF renderers.

The renderers differ only in how they draw a block; what a report contains and
in which order is decided once here. Filler paragraphs (number-free, written
for this project) pad the prose so a rendered report runs to about six pages,
the size the reader benchmarks are stated for.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from dataclasses import dataclass

from .layout import Grid, Style, report_grids


@dataclass
class Block:
    kind: str  # "title" | "heading" | "para" | "table" | "push"
    text: str = ""
    grid: Grid | None = None


_FILLER_OPENERS = [
    "下一步，我们将",
    "针对上述问题，本机关将",
    "在今后的工作中，我们将",
    "为进一步做好政务公开工作，将",
    "围绕群众关切，我们将",
]
_FILLER_ACTIONS = [
    "持续完善政府信息公开工作机制，明确各科室职责分工，做到分工明确、责任到人",
    "加强政务公开工作人员业务培训，提升依法公开意识和答复能力",
    "严格落实公开属性源头认定制度，做到应公开尽公开",
    "规范依申请公开办理流程，确保答复内容准确、程序合法、时限达标",
    "加强政府网站和政务新媒体内容保障，及时更新各栏目信息",
    "深化重点领域信息公开，围绕民生热点及时发布权威信息",
    "做好政策解读和回应关切工作，增强政策发布的针对性和有效性",
    "加强对公开内容的保密审查，防止泄露国家秘密和个人隐私",
    "完善政府信息管理制度，推动政府信息资源规范化、标准化管理",
    "推进基层政务公开标准化规范化建设，拓展公开渠道",
    "健全监督考核机制，将政务公开工作纳入年度绩效考核",
    "主动接受社会监督，认真听取群众意见建议，不断改进工作",
]
_PROBLEMS = [
    "一是公开内容的全面性和及时性有待进一步提高，部分栏目更新不够及时",
    "二是政策解读形式较为单一，图解、视频等多元化解读方式运用不足",
    "三是工作人员业务能力有待加强，对新修订条例的理解还不够深入",
    "四是依申请公开答复的规范性还需进一步提升",
]
_OTHER = [
    "本年度未收取信息处理费。",
    "本机关依据《政府信息公开信息处理费管理办法》收取信息处理费的情况：无。",
    "无其他需要报告的事项。",
]


def filler_paragraph(rng: random.Random) -> str:
    """One number-free paragraph of plan-for-next-year prose."""
    acts = rng.sample(_FILLER_ACTIONS, rng.randint(3, 5))
    return rng.choice(_FILLER_OPENERS) + "；".join(acts) + "。"


def _prose_paragraphs(prose: str) -> list[str]:
    paras = [p.strip() for p in re.split(r"\n+", prose) if p.strip()]
    if paras and re.match(r"^一\s*[、.．]\s*总体情况\s*$", paras[0]):
        paras = paras[1:]
    return paras


def report_blocks(
    rng: random.Random, record: Mapping, prose: str, style: Style, *, target_chars: int | None = None
) -> list[Block]:
    """Title, sections 一…六 with the record's tables in 二/三/四, padded to about ``target_chars`` of prose."""
    meta = record.get("meta") or {}
    agency = meta.get("agency") or "某区人民政府办公室"
    year = meta.get("year") or 2021
    grids = {g.heading[0]: g for g in report_grids(record, style)}
    target = target_chars if target_chars is not None else rng.randint(3800, 5200)

    sec1 = _prose_paragraphs(prose)
    sec5 = ["；".join(rng.sample(_PROBLEMS, rng.randint(2, 4))) + "。"]
    have = sum(len(p) for p in sec1) + sum(len(p) for p in sec5)
    while have < target:
        p = filler_paragraph(rng)
        (sec1 if rng.random() < 0.4 else sec5).append(p)
        have += len(p)

    blocks = [Block("title", f"{agency}{year}年政府信息公开工作年度报告")]
    blocks.append(Block("para", "本报告根据《中华人民共和国政府信息公开条例》要求编制。本报告中所列数据的统计期限自"
                                f"{year}年1月1日起至{year}年12月31日止。"))
    blocks.append(Block("heading", "一、总体情况"))
    blocks += [Block("para", p) for p in sec1]
    for key, heading in (("二", "二、主动公开政府信息情况"), ("三", "三、收到和处理政府信息公开申请情况"),
                         ("四", "四、政府信息公开行政复议、行政诉讼情况")):
        if key == "三" and key in grids:
            blocks.append(Block("push"))  # renderers that paginate start table 3 low on a page
        blocks.append(Block("heading", heading))
        if key in grids:
            blocks.append(Block("table", grid=grids[key]))
        else:
            blocks.append(Block("para", "本年度无相关情况。"))
    blocks.append(Block("heading", "五、存在的主要问题及改进情况"))
    blocks += [Block("para", p) for p in sec5]
    blocks.append(Block("heading", "六、其他需要报告的事项"))
    blocks.append(Block("para", rng.choice(_OTHER)))
    return blocks
