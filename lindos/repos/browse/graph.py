"""The lanes of the changelog graph, computed for one page of rows.

The algorithm is Kallithea's (itself Mercurial's ``graphmod``): walk the
rows newest first, keep a list of lanes, each tracking the changeset it
waits for; a row's changeset takes its lane (or opens a new one at the
right if nothing waited for it), and its parents replace it in the lane
list, the first parent in the same column. Each row then says where its
dot sits and which lines run from this row to the next.

Policy, as Kallithea drew it:

* A parent not on the page (it is older: pages are topological) gets a
  short line that fades out below its child rather than a lane to the
  bottom, so a page of a repository with hundreds of branches stays
  readable. Children that share such a parent share its stub.
* A parent listed *above* its child (git without a commit-graph file lists
  by date, and skewed clocks can put a parent first) is treated the same
  way, so a lane never waits for a row that already went by.
* Colours: the first parent on the same branch (or of unknown branch, as
  most git changesets are) inherits its child's colour; every other new
  lane gets the next colour.

``build_graph`` does no I/O: the caller passes ids, parents and branches.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Edge:
    """A line from column ``start`` of a row to column ``end`` of the next
    row; ``fades`` when it leads to a parent not shown on the page."""

    start: int
    end: int
    color: int
    fades: bool = False


@dataclass(frozen=True)
class GraphRow:
    column: int
    color: int
    edges: tuple[Edge, ...]

    def as_json(self) -> list:
        """The compact form ``static/changelog_graph.js`` reads."""
        return [self.column, self.color, [[e.start, e.end, e.color, int(e.fades)] for e in self.edges]]


def _stub(parent: str) -> tuple[str, str]:
    return ("stub", parent)


def _is_stub(key) -> bool:
    return isinstance(key, tuple)


def build_graph(
    rows: list[tuple[str, list[str]]], branch_of: Callable[[str], str | None] | None = None
) -> list[GraphRow]:
    """One ``GraphRow`` per ``(id, parent ids)`` of ``rows`` (newest first).

    ``branch_of(id)`` names a changeset's branch, or None when unknown; it
    is asked only of changesets on the page.
    """
    position = {id: index for index, (id, _parents) in enumerate(rows)}

    def branch(key) -> str | None:
        return None if _is_stub(key) or branch_of is None else branch_of(key)

    lanes: list = []  # what each column waits for: an id or a stub
    colors: dict = {}
    next_color = 0
    result = []
    for index, (id, parents) in enumerate(rows):
        wanted: list = []
        for parent in parents:
            key = parent if position.get(parent, -1) > index else _stub(parent)
            if key not in wanted:
                wanted.append(key)
        if id not in lanes:
            lanes.append(id)  # a head: nothing above waited for it
            colors[id] = next_color
            next_color += 1
        column = lanes.index(id)
        added = [key for key in wanted if key not in lanes]
        spliced = lanes[:column] + added + lanes[column + 1 :]
        next_lanes = []
        for key in spliced:
            if not _is_stub(key) or key in wanted:
                next_lanes.append(key)
            else:
                colors.pop(key, None)  # a stub of an earlier row ends here
        color = colors.pop(id)
        inherit = True
        own_branch = branch(id)
        for key in added:
            if inherit and branch(key) in (own_branch, None):
                colors[key] = color
                inherit = False
            else:
                colors[key] = next_color
                next_color += 1
        edges = []
        for start, key in enumerate(lanes):
            if key in next_lanes:
                edges.append(Edge(start, next_lanes.index(key), colors[key], _is_stub(key)))
            elif key == id:
                for parent in wanted:
                    edges.append(Edge(start, next_lanes.index(parent), colors[parent], _is_stub(parent)))
        result.append(GraphRow(column, color, tuple(edges)))
        lanes = next_lanes
    return result


def lane_count(graph: list[GraphRow]) -> int:
    """Columns the page's graph needs (0 for an empty page)."""
    widest = 0
    for row in graph:
        widest = max(widest, row.column + 1, *(max(e.start, e.end) + 1 for e in row.edges))
    return widest
