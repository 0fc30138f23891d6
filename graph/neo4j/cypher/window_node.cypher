// Fragment: whether node {n} may be stepped on in the year window (graph/risk.py
// node_passes): a paper only with a year inside it, every other node always.
NOT $windowed
OR NOT {n}:Paper
OR coalesce({n}.year IS NOT NULL AND ($ymin IS NULL OR {n}.year >= $ymin)
            AND ($ymax IS NULL OR {n}.year <= $ymax), false)
