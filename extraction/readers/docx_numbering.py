"""Word list numbering: the "一、" / "(1)" / "1." that Word draws before a numbered paragraph.

That text is not in document.xml; it comes from numbering.xml (and from the
paragraph style, for numbered heading styles). Reports that number their
section headings this way would otherwise lose "一、总体情况" → "总体情况".
Only what a reader needs: counters per list and level, the common formats.
"""

from __future__ import annotations

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CN = "〇一二三四五六七八九"


def _cn(n: int) -> str:
    """Chinese counting as Word prints it: 1→一, 10→十, 11→十一, 20→二十, 105→一百零五."""
    if n <= 0:
        return str(n)
    if n < 10:
        return _CN[n]
    if n < 20:
        return "十" + (_CN[n - 10] if n > 10 else "")
    if n < 100:
        return _CN[n // 10] + "十" + (_CN[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        tail = "" if rest == 0 else ("零" + _cn(rest) if rest < 10 else (_cn(rest) if rest >= 20 else "一" + _cn(rest)))
        return _CN[n // 100] + "百" + tail
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for v, s in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                 (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= v:
            out, n = out + s, n - v
    return out


def _letters(n: int) -> str:
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else ""


def format_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional", "japaneseCounting",
               "taiwaneseCounting", "chineseLegalSimplified"):
        return _cn(n)
    if fmt == "ideographDigital":
        return "".join(_CN[int(d)] for d in str(n))
    if fmt == "decimalFullWidth":
        return str(n).translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n)
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperLetter":
        return _letters(n)
    if fmt == "lowerLetter":
        return _letters(n).lower()
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("bullet", "none"):
        return ""
    return str(n)


class Numbering:
    """Counters for the lists of one document; ``label(numId, ilvl)`` advances and returns the text."""

    def __init__(self, numbering_xml: bytes | None, styles_xml: bytes | None) -> None:
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}  # numId -> ilvl -> (start, fmt, text)
        self.abstract_of: dict[str, str] = {}
        self.style_num: dict[str, tuple[str, int]] = {}
        self.counters: dict[str, list[int]] = {}
        # parsed on first use: most paragraphs are not numbered, and parsing costs more than the body
        self._numbering_xml, self._styles_xml = numbering_xml, styles_xml
        self._loaded = self._styles_loaded = numbering_xml is None

    def _need_numbering(self) -> None:
        if not self._loaded:
            self._loaded = True
            self._load_numbering(etree.fromstring(self._numbering_xml, _PARSER))

    def _need_styles(self) -> None:
        if not self._styles_loaded:
            self._styles_loaded = True
            if self._styles_xml and b"numPr" in self._styles_xml:
                self._load_styles(etree.fromstring(self._styles_xml, _PARSER))

    def _load_numbering(self, root: etree._Element) -> None:
        abstract: dict[str, dict[int, tuple[int, str, str]]] = {}
        for a in root.iter(W + "abstractNum"):
            lv = {}
            for lvl in a.iter(W + "lvl"):
                ilvl = int(lvl.get(W + "ilvl", "0"))
                start = _val(lvl, "start", "1")
                lv[ilvl] = (int(start) if start.isdigit() else 1, _val(lvl, "numFmt", "decimal"),
                            _val(lvl, "lvlText", ""))
            abstract[a.get(W + "abstractNumId", "")] = lv
        for num in root.iter(W + "num"):
            aid = _val(num, "abstractNumId", "")
            nid = num.get(W + "numId", "")
            self.levels[nid] = dict(abstract.get(aid, {}))
            self.abstract_of[nid] = aid
            for ov in num.iter(W + "lvlOverride"):
                ilvl = int(ov.get(W + "ilvl", "0"))
                st = ov.find(W + "startOverride")
                if st is not None and ilvl in self.levels[nid]:
                    _, fmt, text = self.levels[nid][ilvl]
                    self.levels[nid][ilvl] = (int(st.get(W + "val", "1")), fmt, text)

    def _load_styles(self, root: etree._Element) -> None:
        based: dict[str, str] = {}
        own: dict[str, tuple[str, int]] = {}
        for st in root.iterchildren(W + "style"):
            sid = st.get(W + "styleId", "")
            b = st.find(W + "basedOn")
            if b is not None:
                based[sid] = b.get(W + "val", "")
            numpr = st.find(f"{W}pPr/{W}numPr")
            if numpr is not None:
                nid = _val(numpr, "numId", "")
                own[sid] = (nid, int(_val(numpr, "ilvl", "0") or 0))
        for sid in set(own) | set(based):
            s, seen = sid, set()
            while s and s not in own and s not in seen:
                seen.add(s)
                s = based.get(s, "")
            if s in own:
                self.style_num[sid] = own[s]

    def label(self, num_id: str, ilvl: int) -> str:
        self._need_numbering()
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels or num_id == "0":
            return ""
        key = self.abstract_of.get(num_id, num_id)  # lists sharing an abstract definition count on together
        counts = self.counters.setdefault(key, [0] * 9)
        ilvl = min(ilvl, 8)
        if counts[ilvl] == 0:
            counts[ilvl] = levels[ilvl][0] - 1
        counts[ilvl] += 1
        for deeper in range(ilvl + 1, 9):
            counts[deeper] = 0
        _, fmt, text = levels[ilvl]
        if fmt == "bullet":
            return ""
        out = text
        for k in range(ilvl, -1, -1):
            if f"%{k + 1}" in out:
                kfmt = levels.get(k, (1, "decimal", ""))[1]
                n = counts[k] if counts[k] else levels.get(k, (1, "", ""))[0]
                out = out.replace(f"%{k + 1}", format_number(n, kfmt))
        return out

    def for_paragraph(self, ppr: etree._Element | None) -> str:
        """The number text of a paragraph (its own numPr, else its style's), advancing the counter."""
        if ppr is None:
            return ""
        numpr = ppr.find(W + "numPr")
        if numpr is not None:
            nid = _val(numpr, "numId", "")
            if nid:
                return self.label(nid, int(_val(numpr, "ilvl", "0") or 0))
        st = ppr.find(W + "pStyle")
        if st is None or self._numbering_xml is None:
            return ""
        self._need_styles()
        if sn := self.style_num.get(st.get(W + "val", "")):
            return self.label(sn[0], sn[1])
        return ""


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_comments=True)


def _val(el: etree._Element, child: str, default: str) -> str:
    c = el.find(W + child)
    return c.get(W + "val", default) if c is not None else default
