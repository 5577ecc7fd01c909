"""The network view: the graph as networkx (GraphML/GEXF export) and as an offline HTML page."""
from kg.viz.network import to_networkx, to_networkx_capped, write_gexf, write_graphml  # noqa: F401  (import first)
from kg.viz.render import cap_nodes, focus_subgraph, render_html, render_page  # noqa: F401

__all__ = ["to_networkx", "to_networkx_capped", "write_graphml", "write_gexf", "render_html", "render_page",
           "focus_subgraph", "cap_nodes"]
