"""Ruled tables on a PDF page: from drawn lines to a grid of (merged) cells.

A table's column and row boundaries are where its rules are drawn, not where
its text happens to sit, so cells are built from the rules: the distinct x of
the vertical rules and y of the horizontal rules cut the table into slots, and
two neighbouring slots are one merged cell where no rule separates them. This
handles spans (rowspan/colspan) and text wrapped inside a cell, which
splitting lines by x gaps cannot.

Coordinates are PDF points, y upwards. Pure functions on tuples, no PDF library.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

HRule = tuple[float, float, float]  # y, x0, x1
VRule = tuple[float, float, float]  # x, y0, y1
TOL = 1.5  # points: rules this close are the same line; this much overshoot still meets


def _cluster(values: list[float], tol: float = TOL) -> list[float]:
    """Sorted distinct values, merging those within ``tol`` (the mean stands for the group)."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]


def _merge_segments(rules: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """Collinear rules that overlap or touch become one (reportlab and Word draw a rule per cell edge)."""
    out: list[list[float]] = []
    for pos, a, b in sorted(rules, key=lambda r: (round(r[0] / TOL), r[1])):
        if out and abs(out[-1][0] - pos) <= TOL and a <= out[-1][2] + TOL:
            out[-1][2] = max(out[-1][2], b)
        else:
            out.append([pos, a, b])
    return [(p, a, b) for p, a, b in out]


@dataclass
class GridTable:
    xs: list[float]  # column boundaries, left to right
    ys: list[float]  # row boundaries, top to bottom (descending y)
    hsegs: list[list[tuple[float, float]]]  # per ys index: drawn x intervals
    vsegs: list[list[tuple[float, float]]]  # per xs index: drawn y intervals
    owner: list[list[int]] = field(default_factory=list)  # slot -> cell id
    cells: dict[int, tuple[int, int]] = field(default_factory=dict)  # cell id -> (first row, first col)

    @property
    def nrows(self) -> int:
        return len(self.ys) - 1

    @property
    def ncols(self) -> int:
        return len(self.xs) - 1

    @property
    def top(self) -> float:
        return self.ys[0]

    @property
    def bottom(self) -> float:
        return self.ys[-1]

    def contains(self, x: float, y: float) -> bool:
        return self.xs[0] - TOL <= x <= self.xs[-1] + TOL and self.ys[-1] - TOL <= y <= self.ys[0] + TOL

    def slot(self, x: float, y: float) -> tuple[int, int] | None:
        j = bisect_right(self.xs, x) - 1
        i = bisect_right(self._neg_ys, -y) - 1
        if 0 <= i < self.nrows and 0 <= j < self.ncols:
            return i, j
        return None

    def __post_init__(self) -> None:
        self._neg_ys = [-y for y in self.ys]
        self._merge()

    def _merge(self) -> None:
        nr, nc = self.nrows, self.ncols
        parent = list(range(nr * nc))

        def find(a: int) -> int:
            while parent[a] != a:
                parent[a] = parent[parent[a]]
                a = parent[a]
            return a

        def union(a: int, b: int) -> None:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)

        # which row middles each inner column rule covers, which column middles each inner row rule covers
        ymids = [-(self.ys[i] + self.ys[i + 1]) / 2 for i in range(nr)]  # negated: ascending
        xmids = [(self.xs[j] + self.xs[j + 1]) / 2 for j in range(nc)]
        for j in range(1, nc):
            covered = _covered([(-b, -a) for a, b in self.vsegs[j]], ymids)
            for i in range(nr):
                if not covered[i]:
                    union(i * nc + j - 1, i * nc + j)
        for i in range(1, nr):
            covered = _covered(self.hsegs[i], xmids)
            for j in range(nc):
                if not covered[j]:
                    union((i - 1) * nc + j, i * nc + j)
        # a parent's slot index is never above its child's, so one pass in slot order resolves each slot to its root:
        # the smallest slot of its cell (top row, then left column)
        for k in range(nr * nc):
            parent[k] = parent[parent[k]]
        self.owner = [parent[i * nc:(i + 1) * nc] for i in range(nr)]
        self.cells = {c: divmod(c, nc) for c in sorted(set(parent))}

    def row_cells(self, i: int, texts: dict[int, str]) -> list[str] | None:
        """Row ``i`` as a reader sees it: a merged cell once per row at its first column, its text in its
        first row ("" below); None for a row every slot of which continues a cell from above."""
        out: list[str] = []
        starts = False
        for j in range(self.ncols):
            c = self.owner[i][j]
            if j > 0 and self.owner[i][j - 1] == c:
                continue
            r0, c0 = self.cells[c]
            if c0 != j:  # a cell reaching in from the left on an earlier row (an L-shaped merge): skip
                continue
            if r0 == i:
                starts = True
                out.append(texts.get(c, ""))
            else:
                out.append("")
        return out if starts else None


def _nearest(sorted_values: list[float], v: float) -> int:
    k = bisect_right(sorted_values, v)
    if k == 0:
        return 0
    if k == len(sorted_values) or v - sorted_values[k - 1] <= sorted_values[k] - v:
        return k - 1
    return k


def _covered(segs: list[tuple[float, float]], mids: list[float]) -> list[bool]:
    """Per sorted middle: does a drawn segment reach it (``TOL`` of slack at both ends)?"""
    out = [False] * len(mids)
    for a, b in segs:
        lo, hi = bisect_left(mids, a - TOL), bisect_right(mids, b + TOL)
        out[lo:hi] = [True] * (hi - lo)
    return out


def _touching(hs: list[HRule], vs: list[VRule]) -> tuple[list[int], list[int]]:
    """Connected groups of rules (a horizontal and a vertical rule are connected where they meet): a group
    number per horizontal rule and per vertical rule, numbered in order of first appearance."""
    by_x = sorted(range(len(vs)), key=lambda b: vs[b][0])
    vx = [vs[b][0] for b in by_x]
    meets_h: list[list[int]] = []
    meets_v: list[list[int]] = [[] for _ in vs]
    for a, (y, x0, x1) in enumerate(hs):
        met = [b for b in by_x[bisect_left(vx, x0 - TOL):bisect_right(vx, x1 + TOL)]
               if vs[b][1] - TOL <= y <= vs[b][2] + TOL]
        meets_h.append(met)
        for b in met:
            meets_v[b].append(a)
    comp_h, comp_v = [-1] * len(hs), [-1] * len(vs)
    c = 0
    for first in range(len(hs)):
        if comp_h[first] >= 0:
            continue
        comp_h[first] = c
        todo = [first]
        while todo:
            for b in meets_h[todo.pop()]:
                if comp_v[b] < 0:
                    comp_v[b] = c
                    for a in meets_v[b]:
                        if comp_h[a] < 0:
                            comp_h[a] = c
                            todo.append(a)
        c += 1
    for b in range(len(vs)):
        if comp_v[b] < 0:
            comp_v[b] = c
            c += 1
    return comp_h, comp_v


def find_tables(hrules: list[HRule], vrules: list[VRule], min_size: float = 4.0) -> list[GridTable]:
    """Group rules that touch into tables; each with at least two rows' and two columns' rules is a grid."""
    hs = [r for r in _merge_segments(hrules) if r[2] - r[1] >= min_size]
    vs = [r for r in _merge_segments(vrules) if r[2] - r[1] >= min_size]
    comp_h, comp_v = _touching(hs, vs)
    groups: dict[int, tuple[list[HRule], list[VRule]]] = {}
    for h, c in zip(hs, comp_h, strict=True):
        groups.setdefault(c, ([], []))[0].append(h)
    for v, c in zip(vs, comp_v, strict=True):
        groups.setdefault(c, ([], []))[1].append(v)
    tables = []
    for gh, gv in groups.values():
        ys = sorted(_cluster([h[0] for h in gh]), reverse=True)
        xs = _cluster([v[0] for v in gv])
        if len(ys) < 2 or len(xs) < 2:
            continue
        hsegs: list[list[tuple[float, float]]] = [[] for _ in ys]
        neg = [-y for y in ys]
        for y, x0, x1 in gh:
            hsegs[_nearest(neg, -y)].append((x0, x1))
        vsegs: list[list[tuple[float, float]]] = [[] for _ in xs]
        for x, y0, y1 in gv:
            vsegs[_nearest(xs, x)].append((y0, y1))
        tables.append(GridTable(xs=xs, ys=ys, hsegs=hsegs, vsegs=vsegs))
    tables.sort(key=lambda t: -t.top)
    return tables
