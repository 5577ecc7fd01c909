"""Node positions computed in Python, so the browser draws with physics off.

Numpy only (scipy is not a dependency).  Each connected component is laid
out on its own and the components are packed in rows, largest first:

* small components: ``networkx.spring_layout`` (dense Fruchterman-Reingold);
* large ones: pivot MDS (Brandes & Pich) for the global shape, refined by
  Fruchterman-Reingold whose repulsion is computed on a grid with an FFT
  convolution (particle-mesh), so an iteration costs O(n + M^2 log M)
  instead of O(n^2).  5,000 nodes take about a second.

Positions are in "ideal edge lengths"; :func:`compute_layout` scales them to
pixels.
"""
from __future__ import annotations

import math

import networkx as nx
import numpy as np

SMALL = 150  # components up to this size use networkx's dense spring layout


def _simple_undirected(g: nx.Graph) -> nx.Graph:
    h = nx.Graph()
    h.add_nodes_from(g.nodes())
    h.add_edges_from((u, v) for u, v in g.edges() if u != v)
    return h


def _csr(h: nx.Graph, nodes: list, index: dict) -> tuple:
    """Adjacency of ``nodes`` (one component of ``h``) as CSR arrays over their positions."""
    rows = [[index[v] for v in h[u]] for u in nodes]
    indptr = np.zeros(len(nodes) + 1, dtype=np.int64)
    np.cumsum([len(r) for r in rows], out=indptr[1:])
    indices = np.fromiter((v for r in rows for v in r), dtype=np.int64, count=int(indptr[-1]))
    return indptr, indices


def _bfs_levels(indptr: np.ndarray, indices: np.ndarray, source: int) -> np.ndarray:
    """Hop distance from ``source`` to every node (-1 if unreachable), a level at a time."""
    n = len(indptr) - 1
    level = np.full(n, -1, dtype=np.int64)
    level[source] = 0
    frontier = np.array([source], dtype=np.int64)
    depth = 0
    while len(frontier):
        depth += 1
        starts, ends = indptr[frontier], indptr[frontier + 1]
        counts = ends - starts
        total = int(counts.sum())
        if total == 0:
            break
        # the neighbours of every frontier node, gathered without a Python loop
        offsets = np.repeat(starts - np.cumsum(counts) + counts, counts) + np.arange(total)
        nbrs = indices[offsets]
        level[nbrs[level[nbrs] < 0]] = depth
        frontier = np.flatnonzero(level == depth)
    return level


def _pivot_mds(h: nx.Graph, nodes: list, rng: np.random.Generator, pivots: int = 40) -> np.ndarray:
    index = {n: i for i, n in enumerate(nodes)}
    n = len(nodes)
    k = min(pivots, n)
    indptr, indices = _csr(h, nodes, index)
    dist = np.empty((n, k), dtype=float)
    mind = np.full(n, np.inf)
    current = int(rng.integers(n))
    for p in range(k):
        col = _bfs_levels(indptr, indices, current).astype(float)
        col[col < 0] = float(n)  # unreachable cannot happen within a component
        dist[:, p] = col
        mind = np.minimum(mind, col)
        current = int(np.argmax(mind))  # max-min: the next pivot is the farthest node
    d2 = dist ** 2
    c = -0.5 * (d2 - d2.mean(axis=0, keepdims=True) - d2.mean(axis=1, keepdims=True) + d2.mean())
    u, s, _vt = np.linalg.svd(c, full_matrices=False)
    pos = u[:, :2] * s[:2]
    if pos.shape[1] < 2:
        pos = np.column_stack([pos, np.zeros(n)])
    return pos


def _median_edge_length(pos: np.ndarray, ei: np.ndarray, ej: np.ndarray) -> float:
    if len(ei) == 0:
        return 1.0
    lengths = np.linalg.norm(pos[ei] - pos[ej], axis=1)
    m = float(np.median(lengths))
    return m if m > 1e-9 else 1.0


def _fr_particle_mesh(pos: np.ndarray, ei: np.ndarray, ej: np.ndarray, rng: np.random.Generator,
                      iterations: int = 120, grid: int = 128) -> np.ndarray:
    """Fruchterman-Reingold with ideal edge length 1; repulsion from a grid convolution."""
    pos = pos.copy()
    temperature = 2.0
    cooling = (0.02 / temperature) ** (1.0 / max(iterations, 1))
    for _ in range(iterations):
        lo = pos.min(axis=0)
        span = float((pos.max(axis=0) - lo).max()) + 1e-6
        m = int(min(grid, max(16, math.ceil(span / 0.5))))  # cells about half an edge wide
        h = span / m
        cell = np.minimum(((pos - lo) / h).astype(np.int64), m - 1)
        density = np.bincount(cell[:, 0] * m + cell[:, 1], minlength=m * m).reshape(m, m).astype(float)
        # kernel over offsets -m..m-1 (linear convolution via a 2m x 2m FFT)
        off = np.arange(-m, m) * h
        dx, dy = np.meshgrid(off, off, indexing="ij")
        r2 = dx * dx + dy * dy
        r2[m, m] = np.inf
        kx, ky = dx / r2, dy / r2
        kx, ky = np.fft.ifftshift(kx), np.fft.ifftshift(ky)
        padded = np.zeros((2 * m, 2 * m))
        padded[:m, :m] = density
        fd = np.fft.rfft2(padded)
        fx = np.fft.irfft2(fd * np.fft.rfft2(kx), s=padded.shape)[:m, :m]
        fy = np.fft.irfft2(fd * np.fft.rfft2(ky), s=padded.shape)[:m, :m]
        disp = np.column_stack([fx[cell[:, 0], cell[:, 1]], fy[cell[:, 0], cell[:, 1]]])
        # exact-ish repulsion inside a cell: push co-located nodes apart a little
        disp += rng.normal(scale=0.05, size=disp.shape)
        # attraction along edges: d^2 / k with k = 1
        if len(ei):
            delta = pos[ei] - pos[ej]
            dist = np.linalg.norm(delta, axis=1, keepdims=True)
            pull = delta * dist
            np.add.at(disp, ei, -pull)
            np.add.at(disp, ej, pull)
        length = np.linalg.norm(disp, axis=1, keepdims=True)
        length[length < 1e-9] = 1e-9
        pos += disp / length * np.minimum(length, temperature)
        temperature *= cooling
    return pos


def _component_layout(h: nx.Graph, nodes: list, rng: np.random.Generator) -> np.ndarray:
    n = len(nodes)
    if n == 1:
        return np.zeros((1, 2))
    index = {node: i for i, node in enumerate(nodes)}
    sub = h.subgraph(nodes)
    edges = np.array([(index[u], index[v]) for u, v in sub.edges()], dtype=np.int64).reshape(-1, 2)
    ei, ej = edges[:, 0], edges[:, 1]
    if n <= SMALL:
        seed = int(rng.integers(2**31))
        placed = nx.spring_layout(sub, seed=seed, iterations=80)
        pos = np.array([placed[node] for node in nodes], dtype=float)
        return pos / _median_edge_length(pos, ei, ej)
    pos = _pivot_mds(h, nodes, rng)
    pos = pos / _median_edge_length(pos, ei, ej)
    pos += rng.normal(scale=0.3, size=pos.shape)  # nodes with equal distances coincide in MDS
    iterations = 120 if n <= 3000 else 80
    return _fr_particle_mesh(pos, ei, ej, rng, iterations=iterations)


def _pack(blocks: list[np.ndarray], gap: float = 2.0) -> list[np.ndarray]:
    """Shelf-pack component layouts (already sorted largest first) into a rough square."""
    boxes = []
    for pos in blocks:
        lo = pos.min(axis=0)
        boxes.append((pos - lo, pos.max(axis=0) - lo))
    area = sum((w + gap) * (hgt + gap) for _p, (w, hgt) in boxes)
    row_width = max(math.sqrt(area) * 1.2, max(w for _p, (w, _h) in boxes) if boxes else 0.0)
    out, x, y, row_height = [], 0.0, 0.0, 0.0
    for pos, (w, hgt) in boxes:
        if x > 0 and x + w > row_width:
            x, y, row_height = 0.0, y + row_height + gap, 0.0
        out.append(pos + np.array([x, y]))
        x += w + gap
        row_height = max(row_height, hgt)
    return out


def compute_layout(g: nx.Graph, *, spacing: float = 60.0, seed: int = 7) -> dict:
    """Node -> (x, y) in pixels; an edge is about ``spacing`` pixels long."""
    if g.number_of_nodes() == 0:
        return {}
    rng = np.random.default_rng(seed)
    h = _simple_undirected(g)
    components = sorted((sorted(c, key=str) for c in nx.connected_components(h)),
                        key=lambda c: (-len(c), str(c[0])))
    blocks = [_component_layout(h, c, rng) for c in components]
    placed = _pack(blocks)
    allpos = np.vstack(placed)
    centre = (allpos.min(axis=0) + allpos.max(axis=0)) / 2
    result = {}
    for nodes, pos in zip(components, placed):
        for node, (x, y) in zip(nodes, (pos - centre) * spacing):
            result[node] = (round(float(x), 1), round(float(y), 1))
    return result


def layout_key(g: nx.Graph, spacing: float, seed: int = 7) -> str:
    """A digest of all a layout is computed from: the nodes and edges in their order, the spacing."""
    import hashlib
    import json

    h = hashlib.sha256(json.dumps([spacing, seed, [str(n) for n in g.nodes()]]).encode("utf-8"))
    h.update(json.dumps([[str(u), str(v)] for u, v in g.edges()]).encode("utf-8"))
    return h.hexdigest()[:32]


def reused_layout(g: nx.Graph, *, spacing: float, last=None, save=None) -> dict:
    """``compute_layout(g, spacing=spacing)``, taken from ``last`` (a file a build saved with
    ``save``) when that was the layout of the same nodes and edges; saved to ``save``."""
    import json

    from kg.viz.common import atomic_write

    key = layout_key(g, spacing)
    positions = None
    if last is not None:
        try:
            with open(last, encoding="utf-8") as fh:
                kept = json.load(fh)
            if kept.get("key") == key:
                positions = {n: tuple(kept["positions"][str(n)]) for n in g.nodes()}
        except (OSError, ValueError, KeyError, TypeError):
            positions = None
    if positions is None:
        positions = compute_layout(g, spacing=spacing)
    if save is not None:
        data = json.dumps({"key": key, "positions": {str(n): list(p) for n, p in positions.items()}})
        atomic_write(save, lambda fh: fh.write(data.encode("utf-8")))
    return positions
