"""Every query of the event computation, as plain SQL that DuckDB runs and Spark SQL or PostgreSQL could.

Only standard SQL here: SELECT, JOIN, GROUP BY, UNION ALL, CASE, COALESCE, COUNT/SUM/MAX, ROW_NUMBER.
The engine binds the names the queries read; with DuckDB that is `dxmonitor.events.store` and
`compute`, with Spark it would be `spark.read.parquet(...).createOrReplaceTempView(...)`:

    dossier_rows   stored rows (schema.STORED_COLUMNS) plus `month` and `sign` from the partition path
    agency_map     the registry as exported to agencies.parquet: agency_id, code, kind, province_id,
                   current_id, current_province_id
    agency_month   per agency and month counts (AGENCY_MONTH's result, or the aggregate files)
    rollup         ROLLUP's result: the units each agency counts toward
    aggregate      in a fold-in: the months' aggregate files; `deltas` the counts of the batches added
    batch, stored  in the upsert: the batch's valid rows, and the stored rows of the same dossiers

Codes are those of `schema`: channel 1 is online, state 4 is done; booleans are stored as 0/1; on_time
is NULL unless the dossier is done, paid_online NULL when the service charges no fee.
"""

# The counts of AGENCY_MONTH and BARE in the order of schema.COUNTS.
_COUNTS = """
        COUNT(*) AS dossiers,
        SUM(CASE WHEN channel = 1 THEN 1 ELSE 0 END) AS online,
        SUM(CASE WHEN channel = 1 THEN fully_online_service ELSE 0 END) AS fully_online,
        SUM(digital_result) AS digital_result,
        SUM(data_reused) AS data_reused,
        SUM(digitised) AS digitised,
        COUNT(on_time) AS done,
        SUM(on_time) AS on_time,
        COUNT(paid_online) AS with_fee,
        SUM(paid_online) AS paid_online,
        SUM(synthetic) AS synthetic"""

# Per agency and month, the counts of the versions in force. Rows are grouped by their sign first, so
# the scan is a plain GROUP BY over small integers; the signs then apply to the few grouped rows.
# History rows (sign 0) count for nothing and are not read.
AGENCY_MONTH = f"""
WITH by_sign AS (
    SELECT agency_id, month, sign,{_COUNTS}
    FROM dossier_rows
    WHERE sign <> 0
    GROUP BY agency_id, month, sign
)
SELECT agency_id, month,
    SUM(sign * dossiers) AS dossiers,
    SUM(sign * online) AS online,
    SUM(sign * fully_online) AS fully_online,
    SUM(sign * digital_result) AS digital_result,
    SUM(sign * data_reused) AS data_reused,
    SUM(sign * digitised) AS digitised,
    SUM(sign * done) AS done,
    SUM(sign * COALESCE(on_time, 0)) AS on_time,
    SUM(sign * with_fee) AS with_fee,
    SUM(sign * COALESCE(paid_online, 0)) AS paid_online,
    SUM(sign * synthetic) AS synthetic
FROM by_sign
GROUP BY agency_id, month
"""

# The benchmark's baseline: the same counts with no versions, signs or roll-ups.
BARE = f"""
SELECT agency_id, month,{_COUNTS}
FROM dossier_rows
GROUP BY agency_id, month
"""

# Counts shaped like AGENCY_MONTH's, summed per agency and month (the FROM follows).
_SUMMED = """
SELECT agency_id, month,
    SUM(dossiers) AS dossiers,
    SUM(online) AS online,
    SUM(fully_online) AS fully_online,
    SUM(digital_result) AS digital_result,
    SUM(data_reused) AS data_reused,
    SUM(digitised) AS digitised,
    SUM(done) AS done,
    SUM(on_time) AS on_time,
    SUM(with_fee) AS with_fee,
    SUM(paid_online) AS paid_online,
    SUM(synthetic) AS synthetic
"""

# Several deltas (AGENCY_MONTH's shape, bound as `deltas`), summed per agency and month.
SUM_DELTAS = f"""{_SUMMED}FROM deltas
GROUP BY agency_id, month
"""

# Months' aggregates plus the deltas of the batches folded in (all shaped like AGENCY_MONTH), summed
# per agency and month; agencies left with no dossier go (every other count is then zero too).
MERGE = f"""{_SUMMED}FROM (SELECT * FROM aggregate UNION ALL SELECT * FROM deltas) counts
GROUP BY agency_id, month
HAVING SUM(dossiers) <> 0
"""

# Which unit each receiving agency counts toward, under each province map:
#   map 'period'  — the agencies as they were in the month: the 63 provinces before 2025-07-01,
#                   the 34 after (a dossier's agency must exist on its submission date);
#   map 'current' — today's agencies, reached through the successions (a pre-2025 province counts
#                   toward the province it merged into, a merged ministry toward its main successor).
# Levels: 'commune' and 'central' are an agency's own dossiers; 'province' is the province's own plus
# its communes'; 'nation' is everything.
ROLLUP = """
SELECT agency_id, 'period' AS map, 'commune' AS level, agency_id AS unit_id
FROM agency_map WHERE kind = 'commune'
UNION ALL
SELECT agency_id, 'current', 'commune', current_id
FROM agency_map WHERE kind = 'commune' AND current_id IS NOT NULL
UNION ALL
SELECT agency_id, 'period', 'province', province_id
FROM agency_map WHERE province_id IS NOT NULL
UNION ALL
SELECT agency_id, 'current', 'province', current_province_id
FROM agency_map WHERE current_province_id IS NOT NULL
UNION ALL
SELECT agency_id, 'period', 'central', agency_id
FROM agency_map WHERE kind IN ('ministry', 'ministry_level', 'government_agency', 'central_body')
UNION ALL
SELECT agency_id, 'current', 'central', current_id
FROM agency_map
WHERE kind IN ('ministry', 'ministry_level', 'government_agency', 'central_body') AND current_id IS NOT NULL
UNION ALL
SELECT a.agency_id, maps.map, 'nation', n.agency_id
FROM agency_map a
CROSS JOIN (SELECT agency_id FROM agency_map WHERE kind = 'nation') n
CROSS JOIN (SELECT 'period' AS map UNION ALL SELECT 'current') maps
WHERE a.kind <> 'nation'
"""

# The figures per map, level, unit and month: the counts summed over the agencies that roll up to it.
# `rollup` is ROLLUP's result (it depends on the registry only, so callers keep it between runs).
FIGURES = """
SELECT r.map, r.level, r.unit_id AS agency_id, m.month,
    SUM(m.dossiers) AS dossiers,
    SUM(m.online) AS online,
    SUM(m.fully_online) AS fully_online,
    SUM(m.digital_result) AS digital_result,
    SUM(m.data_reused) AS data_reused,
    SUM(m.digitised) AS digitised,
    SUM(m.done) AS done,
    SUM(m.on_time) AS on_time,
    SUM(m.with_fee) AS with_fee,
    SUM(m.paid_online) AS paid_online,
    SUM(m.synthetic) AS synthetic
FROM agency_month m
JOIN rollup r ON r.agency_id = m.agency_id
GROUP BY r.map, r.level, r.unit_id, m.month
"""

# The upsert. `stored` holds (dossier_key, version_time, month, sign) of every stored row of the
# batch's dossiers (any sign). A version is in force
# when its +1 row has no -1 retraction; a dossier's current version is its newest one in force.
CURRENT_VERSIONS = """
SELECT dossier_key, MAX(version_time) AS version_time
FROM (
    SELECT dossier_key, version_time, SUM(sign) AS in_force
    FROM stored
    GROUP BY dossier_key, version_time
) versions
WHERE in_force = 1
GROUP BY dossier_key
"""

# Each valid batch row's outcome:
#   duplicate — the same dossier and version time as an earlier row of the batch (not stored again);
#   stored    — this version is already stored (re-ingesting a batch changes nothing);
#   new       — the dossier's first version (stored with sign +1);
#   replaces  — newer than the version in force, which gets a -1 retraction (stored with sign +1);
#   older     — older than the version in force, or than a newer row of the batch (kept as history, 0).
# Only dossiers with several rows in the batch are ranked: most batches have one row per dossier.
CLASSIFY = f"""
WITH current_versions AS ({CURRENT_VERSIONS}),
known AS (SELECT DISTINCT dossier_key, version_time FROM stored),
repeated AS (SELECT dossier_key FROM batch GROUP BY dossier_key HAVING COUNT(*) > 1),
ranked AS (
    SELECT b.row_number,
        ROW_NUMBER() OVER (PARTITION BY b.dossier_key, b.version_time ORDER BY b.row_number) AS copy,
        ROW_NUMBER() OVER (PARTITION BY b.dossier_key ORDER BY b.version_time DESC, b.row_number) AS recency
    FROM batch b
    JOIN repeated r ON r.dossier_key = b.dossier_key
)
SELECT b.*,
    CASE
        WHEN COALESCE(r.copy, 1) > 1 THEN 'duplicate'
        WHEN k.dossier_key IS NOT NULL THEN 'stored'
        WHEN COALESCE(r.recency, 1) = 1 AND c.dossier_key IS NULL THEN 'new'
        WHEN COALESCE(r.recency, 1) = 1 AND b.version_time > c.version_time THEN 'replaces'
        ELSE 'older'
    END AS outcome
FROM batch b
LEFT JOIN ranked r ON r.row_number = b.row_number
LEFT JOIN known k ON k.dossier_key = b.dossier_key AND k.version_time = b.version_time
LEFT JOIN current_versions c ON c.dossier_key = b.dossier_key
"""

# The versions a batch retracts: the versions in force of the dossiers it gives a newer version.
RETRACTED = f"""
WITH current_versions AS ({CURRENT_VERSIONS})
SELECT DISTINCT s.dossier_key, s.version_time, s.month
FROM stored s
JOIN current_versions c ON c.dossier_key = s.dossier_key AND c.version_time = s.version_time
JOIN classified r ON r.dossier_key = s.dossier_key AND r.outcome = 'replaces'
WHERE s.sign = 1
"""

# Their stored +1 rows (dossier_rows bound to the +1 files of the retracted months), to store as -1.
RETRACTED_ROWS = """
SELECT s.*
FROM dossier_rows s
JOIN retracted r
    ON r.dossier_key = s.dossier_key AND r.version_time = s.version_time AND r.month = s.month
WHERE s.sign = 1
"""
