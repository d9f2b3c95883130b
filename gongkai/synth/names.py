"""Invented but plausible place and agency names (no real report is copied)."""

from __future__ import annotations

import random

_CHARS = (
    "东西南北中安平宁清河山阳华兴丰泉江湖云龙凤新永和庆长乐康泰德嘉福城桥林石岭溪川源峰"
    "海沙金玉明光启宏盛昌隆恒瑞祥丰顺通达远华春秋松柏梅兰竹岩滨洲渡口营屯"
)
_BUREAUS = (
    "教育局", "财政局", "民政局", "自然资源局", "生态环境局", "住房和城乡建设局", "交通运输局",
    "水利局", "农业农村局", "商务局", "文化广电和旅游局", "卫生健康委员会", "退役军人事务局",
    "应急管理局", "审计局", "市场监督管理局", "医疗保障局", "统计局", "人力资源和社会保障局",
    "司法局", "发展和改革委员会", "工业和信息化局", "城市管理局", "林业局", "体育局",
)


def place(rng: random.Random, n: int | None = None) -> str:
    n = n or rng.choice([2, 2, 2, 3])
    return "".join(rng.choice(_CHARS) for _ in range(n))


def random_agency(rng: random.Random) -> str:
    """An agency of any level: district office, city bureau, town, street office, department."""
    city, county, town = place(rng), place(rng), place(rng)
    level = rng.choices(
        ["county_gov", "county_office", "city_bureau", "county_bureau", "town", "street", "city_gov"],
        weights=[3, 3, 3, 3, 3, 2, 1],
    )[0]
    kind = rng.choice(["区", "县", "市"])
    return {
        "county_gov": f"{county}{kind}人民政府",
        "county_office": f"{county}{kind}人民政府办公室",
        "city_bureau": f"{city}市{rng.choice(_BUREAUS)}",
        "county_bureau": f"{county}{kind}{rng.choice(_BUREAUS)}",
        "town": f"{town}{rng.choice(['镇', '乡'])}人民政府",
        "street": f"{town}街道办事处",
        "city_gov": f"{city}市人民政府",
    }[level]


def short_name(agency: str) -> str:
    """What the prose calls itself: 我区 / 我局 / 我镇 …"""
    for suffix, me in (
        ("人民政府办公室", "我办"), ("街道办事处", "我街道"), ("镇人民政府", "我镇"), ("乡人民政府", "我乡"),
        ("区人民政府", "我区"), ("县人民政府", "我县"), ("市人民政府", "我市"), ("委员会", "我委"),
    ):
        if agency.endswith(suffix):
            return me
    return "我局"


def area_word(agency: str) -> str:
    """全区 / 全县 / 全镇 … for counts of departments and the like."""
    for ch in ("镇", "乡", "街道", "区", "县", "市"):
        if ch in agency:
            return "全" + ch
    return "全市"
