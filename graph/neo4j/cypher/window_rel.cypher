// Fragment: whether relationship {r} may be walked in the year window (graph/risk.py
// rel_passes). $windowed is false when there is no window; $ymin/$ymax (null: open) bound it.
// An affiliation passes with no years or a year inside; a co-authorship when its first..last
// years overlap; any other type always. Property names come as parameters ($years,
// $first_year, $last_year) so that Neo4j does not warn about keys a database lacks.
NOT $windowed
OR (type({r}) = 'AFFILIATED_WITH'
    AND (size(coalesce({r}[$years], [])) = 0
         OR any(y IN {r}[$years] WHERE coalesce(($ymin IS NULL OR y >= $ymin)
                                                 AND ($ymax IS NULL OR y <= $ymax), false))))
OR (type({r}) = 'CO_AUTHORED'
    AND ($ymin IS NULL OR coalesce({r}[$last_year] >= $ymin, false))
    AND ($ymax IS NULL OR coalesce({r}[$first_year] <= $ymax, false)))
OR NOT type({r}) IN ['AFFILIATED_WITH', 'CO_AUTHORED']
