-- bucketry sql --dialect bigquery: per-variant counts for skill_tree_layout (tree, list)
WITH exposures AS (
  SELECT CAST(user_id AS STRING) AS unit, JSON_VALUE(properties, '$.variant') AS variant, MIN(timestamp) AS first_exposure
  FROM analytics.events
  WHERE event = 'experiment_exposure'
    AND JSON_VALUE(properties, '$.experiment') = 'skill_tree_layout'
    AND JSON_VALUE(properties, '$.variant') IN ('tree', 'list')
  GROUP BY 1, 2
),
units AS (
  SELECT unit, MIN(variant) AS variant, COUNT(*) AS variants, MIN(first_exposure) AS first_exposure
  FROM exposures GROUP BY unit
),
metric_events AS (
  SELECT CAST(user_id AS STRING) AS unit, event AS event, MAX(timestamp) AS last_time
  FROM analytics.events
  WHERE event IN ('skill_unlocked')
  GROUP BY 1, 2
),
tallies AS (
  SELECT CASE WHEN u.variants = 1 THEN u.variant ELSE '(several variants)' END AS variant,
  COUNT(*) AS units,
  MIN(u.first_exposure) AS first_exposure,
  MAX(u.first_exposure) AS last_exposure,
  COUNT(DISTINCT TIMESTAMP_TRUNC(u.first_exposure, HOUR)) AS exposure_hours,
  SUM(CASE WHEN m0.last_time >= u.first_exposure THEN 1 ELSE 0 END) AS converted_0
  FROM units u
LEFT JOIN metric_events m0 ON m0.unit = u.unit AND m0.event = 'skill_unlocked'
  GROUP BY 1
),
durations AS (
  SELECT u.variant, u.variants, SAFE_CAST(JSON_VALUE(e.properties, '$.duration_ms') AS FLOAT64) AS duration
  FROM analytics.events e JOIN units u ON u.unit = CAST(e.user_id AS STRING)
  WHERE e.timestamp >= u.first_exposure
),
duration_stats AS (
  SELECT CASE WHEN variants = 1 THEN variant ELSE '(several variants)' END AS variant,
    APPROX_QUANTILES(duration, 100)[OFFSET(50)] AS duration_p50, APPROX_QUANTILES(duration, 100)[OFFSET(95)] AS duration_p95
  FROM durations WHERE duration IS NOT NULL GROUP BY 1
)
SELECT t.*, d.duration_p50, d.duration_p95
FROM tallies t
LEFT JOIN duration_stats d ON d.variant = t.variant
ORDER BY t.variant
