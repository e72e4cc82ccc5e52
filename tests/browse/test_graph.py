"""The changelog graph's lanes (``lindos.repos.browse.graph``), on
hand-made pages: the function takes ids and parents only."""

from lindos.repos.browse.graph import Edge, GraphRow, build_graph, lane_count


def test_a_straight_line_stays_in_one_lane():
    graph = build_graph([("c", ["b"]), ("b", ["a"]), ("a", [])])
    assert [row.column for row in graph] == [0, 0, 0]
    assert graph[0].edges == (Edge(0, 0, 0),)
    assert graph[2].edges == ()  # the root ends the lane
    assert lane_count(graph) == 1


def test_a_merge_opens_a_lane_for_its_second_parent_and_closes_it_at_the_fork():
    #   m        merge of t into b
    #   |\
    #   b |
    #   | t
    #   |/
    #   a
    graph = build_graph([("m", ["b", "t"]), ("b", ["a"]), ("t", ["a"]), ("a", [])])
    assert graph[0] == GraphRow(0, 0, (Edge(0, 0, 0), Edge(0, 1, 1)))
    assert graph[1].column == 0 and graph[2].column == 1
    # t's lane joins a's in column 0
    assert graph[2].edges == (Edge(0, 0, 0), Edge(1, 0, 0))
    assert graph[3].column == 0
    assert lane_count(graph) == 2


def test_two_heads_take_two_lanes():
    graph = build_graph([("x", ["a"]), ("y", ["a"]), ("a", [])])
    assert [row.column for row in graph] == [0, 1, 0]
    assert graph[0].color != graph[1].color


def test_a_parent_off_the_page_fades_out():
    graph = build_graph([("c", ["b"]), ("b", ["older"])])
    assert graph[1].edges == (Edge(0, 0, 0, fades=True),)
    assert graph[1].as_json() == [0, 0, [[0, 0, 0, 1]]]


def test_a_stub_lasts_one_row():
    # x's parent is off the page; the stub must not follow y down.
    graph = build_graph([("x", ["gone"]), ("y", ["z"]), ("z", [])])
    assert graph[0].edges == (Edge(0, 0, 0, fades=True),)
    assert graph[1].column == 1
    assert all(not e.fades for e in graph[1].edges)
    assert graph[2].column == 0


def test_a_parent_listed_above_its_child_gets_no_lane_waiting_forever():
    # skewed clocks: p is listed before its child c
    graph = build_graph([("p", []), ("c", ["p"]), ("d", ["e"]), ("e", [])])
    assert graph[1].edges == (Edge(0, 0, graph[1].color, fades=True),)
    assert graph[2].column == 1  # beside the fading stub
    assert graph[3].column == 0  # the stub is gone: nothing waits for p
    assert lane_count(graph) == 2


def test_colours_follow_the_branch():
    branches = {"m": "default", "b": "default", "t": "topic", "a": "default"}
    graph = build_graph([("m", ["t", "b"]), ("b", ["a"]), ("t", ["a"]), ("a", [])], branches.get)
    # m's first parent is on another branch: the colour goes to b instead
    colours = {id: row.color for id, row in zip("mbta", graph)}
    assert colours["b"] == colours["m"]
    assert colours["t"] != colours["m"]


def test_an_empty_page():
    assert build_graph([]) == []
    assert lane_count([]) == 0
