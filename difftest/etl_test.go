package difftest

import (
	"testing"

	"github.com/floedb/floe/bench"
)

// bucket is DuckDB SQL for the start of the size-µs window containing ts.
const bucket10s = `make_timestamp(CAST(floor(epoch_us(dateTime) / 10000000) * 10000000 AS BIGINT))`

// etlCases are queries of the kinds the field reports describe (cleaning, windows, multi-level
// aggregation with retraction, unions), each with its DuckDB formulation.
var etlCases = []testCase{
	{
		name: "tumble_tvf",
		floe: `SELECT window_start, window_end, auction, COUNT(*) AS bids, SUM(price) AS total, MAX(price) AS top
		       FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '10' SECOND))
		       GROUP BY window_start, window_end, auction`,
		duckdb: `SELECT ` + bucket10s + ` AS ws, ws + INTERVAL 10 SECOND, auction, count(*), sum(price), max(price)
		         FROM bid GROUP BY ws, auction`,
	},
	{
		name: "hop_tvf",
		floe: `SELECT window_start, window_end, auction, COUNT(*) AS bids, SUM(price) AS total
		       FROM TABLE(HOP(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '2' SECOND, INTERVAL '10' SECOND))
		       GROUP BY window_start, window_end, auction`,
		duckdb: `WITH w AS (
		             SELECT auction, price, unnest(generate_series(
		                 CAST(floor(epoch_us(dateTime) / 2000000) * 2000000 AS BIGINT) - 8000000,
		                 CAST(floor(epoch_us(dateTime) / 2000000) * 2000000 AS BIGINT), 2000000)) AS s
		             FROM bid)
		         SELECT make_timestamp(s), make_timestamp(s + 10000000), auction, count(*), sum(price) FROM w GROUP BY s, auction`,
	},
	{
		name: "cumulate_tvf",
		floe: `SELECT window_start, window_end, COUNT(*) AS bids, SUM(price) AS total, MIN(price) AS low
		       FROM TABLE(CUMULATE(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '2' SECOND, INTERVAL '10' SECOND))
		       GROUP BY window_start, window_end`,
		duckdb: `WITH w AS (
		             SELECT price, CAST(floor(epoch_us(dateTime) / 10000000) * 10000000 AS BIGINT) AS s,
		                    unnest(generate_series(
		                        CAST((floor(epoch_us(dateTime) / 2000000) + 1) * 2000000 AS BIGINT),
		                        CAST(floor(epoch_us(dateTime) / 10000000) * 10000000 AS BIGINT) + 10000000, 2000000)) AS e
		             FROM bid)
		         SELECT make_timestamp(s), make_timestamp(e), count(*), sum(price), min(price) FROM w GROUP BY s, e`,
	},
	{
		name: "hop_tvf_alone",
		floe: `SELECT auction, price, window_start, window_end, window_time
		       FROM TABLE(HOP(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '5' SECOND, INTERVAL '10' SECOND)) WHERE price > 5000000`,
		duckdb: `SELECT auction, price, make_timestamp(s), make_timestamp(s + 10000000), make_timestamp(s + 10000000 - 1000)
		         FROM (SELECT auction, price, unnest(generate_series(
		                 CAST(floor(epoch_us(dateTime) / 5000000) * 5000000 AS BIGINT) - 5000000,
		                 CAST(floor(epoch_us(dateTime) / 5000000) * 5000000 AS BIGINT), 5000000)) AS s
		               FROM bid WHERE price > 5000000)`,
	},
	{
		name: "cumulate_tvf_alone",
		floe: `SELECT auction, window_start, window_end FROM TABLE(CUMULATE(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '2' SECOND, INTERVAL '6' SECOND))
		       WHERE MOD(auction, 10) = 3`,
		duckdb: `SELECT auction, make_timestamp(CAST(floor(epoch_us(dateTime) / 6000000) * 6000000 AS BIGINT)), make_timestamp(e)
		         FROM (SELECT auction, dateTime, unnest(generate_series(
		                 CAST((floor(epoch_us(dateTime) / 2000000) + 1) * 2000000 AS BIGINT),
		                 CAST(floor(epoch_us(dateTime) / 6000000) * 6000000 AS BIGINT) + 6000000, 2000000)) AS e
		               FROM bid WHERE auction % 10 = 3)`,
	},
	{
		name: "session_tvf",
		floe: `SELECT bidder, window_start, window_end, COUNT(*) AS bids, MAX(price) AS top
		       FROM TABLE(SESSION(TABLE bid PARTITION BY bidder, DESCRIPTOR(dateTime), INTERVAL '5' SECOND))
		       GROUP BY bidder, window_start, window_end`,
		duckdb: `WITH b AS (
		             SELECT bidder, price, dateTime,
		                    CASE WHEN dateTime - lag(dateTime) OVER (PARTITION BY bidder ORDER BY dateTime) <= INTERVAL 5 SECOND
		                         THEN 0 ELSE 1 END AS n
		             FROM bid),
		         s AS (SELECT *, sum(n) OVER (PARTITION BY bidder ORDER BY dateTime ROWS UNBOUNDED PRECEDING) AS sid FROM b)
		         SELECT bidder, min(dateTime), max(dateTime) + INTERVAL 5 SECOND, count(*), max(price) FROM s GROUP BY bidder, sid`,
	},
	{
		name: "legacy_hop",
		floe: `SELECT auction, HOP_START(dateTime, INTERVAL '2' SECOND, INTERVAL '10' SECOND) AS ws, COUNT(*) AS bids
		       FROM bid GROUP BY HOP(dateTime, INTERVAL '2' SECOND, INTERVAL '10' SECOND), auction`,
		duckdb: `WITH w AS (
		             SELECT auction, unnest(generate_series(
		                 CAST(floor(epoch_us(dateTime) / 2000000) * 2000000 AS BIGINT) - 8000000,
		                 CAST(floor(epoch_us(dateTime) / 2000000) * 2000000 AS BIGINT), 2000000)) AS s
		             FROM bid)
		         SELECT auction, make_timestamp(s), count(*) FROM w GROUP BY s, auction`,
	},
	{
		name: "window_filter_distinct",
		floe: `SELECT window_start, channel, COUNT(*) FILTER (WHERE price > 10000) AS big, COUNT(DISTINCT bidder) AS bidders
		       FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '1' MINUTE))
		       WHERE channel IN ('Google', 'Apple', 'Baidu', 'Facebook')
		       GROUP BY window_start, window_end, channel`,
		duckdb: `SELECT make_timestamp(CAST(floor(epoch_us(dateTime) / 60000000) * 60000000 AS BIGINT)) AS ws, channel,
		                count(*) FILTER (WHERE price > 10000), count(DISTINCT bidder)
		         FROM bid WHERE channel IN ('Google', 'Apple', 'Baidu', 'Facebook') GROUP BY ws, channel`,
	},
	{
		name:   "having",
		floe:   `SELECT auction, COUNT(*) AS c, SUM(price) AS s FROM bid GROUP BY auction HAVING COUNT(*) > 20`,
		duckdb: `SELECT auction, count(*), sum(price) FROM bid GROUP BY auction HAVING count(*) > 20`,
	},
	{
		name:   "agg_of_agg_retraction",
		floe:   `SELECT c, COUNT(*) AS auctions FROM (SELECT auction, COUNT(*) AS c FROM bid GROUP BY auction) GROUP BY c`,
		duckdb: `SELECT c, count(*) FROM (SELECT auction, count(*) AS c FROM bid GROUP BY auction) GROUP BY c`,
	},
	{
		name: "filter_over_retraction",
		floe: `SELECT MOD(a, 7) AS m, SUM(b) AS s, COUNT(*) AS n
		       FROM (SELECT auction AS a, SUM(price) AS b FROM bid GROUP BY auction)
		       WHERE a > 1100 AND b > 5000000 GROUP BY MOD(a, 7)`,
		duckdb: `SELECT a % 7, sum(b), count(*) FROM (SELECT auction AS a, sum(price) AS b FROM bid GROUP BY auction)
		         WHERE a > 1100 AND b > 5000000 GROUP BY a % 7`,
	},
	{
		name: "minmax_over_retraction",
		floe: `SELECT MOD(c, 5) AS m, MIN(c) AS lo, MAX(c) AS hi, SUM(c) AS s, AVG(c) AS a, COUNT(DISTINCT c) AS d, MAX(top) AS t
		       FROM (SELECT auction, COUNT(*) AS c, MAX(price) AS top FROM bid GROUP BY auction) GROUP BY MOD(c, 5)`,
		duckdb: `SELECT c % 5, min(c), max(c), sum(c), sum(c) // count(c), count(DISTINCT c), max(top)
		         FROM (SELECT auction, count(*) AS c, max(price) AS top FROM bid GROUP BY auction) GROUP BY c % 5`,
	},
	{
		name:   "person_cleaning",
		tables: []string{"person"},
		floe: `SELECT id, UPPER(city) AS city, LOWER(state) AS st, CONCAT_WS('-', state, city) AS place,
		              SPLIT_INDEX(emailAddress, '@', 1) AS domain, CHAR_LENGTH(name) AS len,
		              SUBSTRING(creditCard, 1, 4) AS card4, REPLACE(name, ' ', '_') AS uname
		       FROM person WHERE state IN ('OR', 'ID', 'CA')`,
		duckdb: `SELECT id, upper(city), lower(state), concat_ws('-', state, city), split_part(emailAddress, '@', 2),
		                length(name), substring(creditCard, 1, 4), replace(name, ' ', '_')
		         FROM person WHERE state IN ('OR', 'ID', 'CA')`,
	},
	{
		name:   "union_all",
		tables: []string{"bid", "auction"},
		floe: `SELECT k, COUNT(*) AS n, SUM(v) AS total
		       FROM (SELECT auction AS k, price AS v FROM bid UNION ALL SELECT id AS k, initialBid AS v FROM auction)
		       GROUP BY k`,
		duckdb: `SELECT k, count(*), sum(v) FROM (SELECT auction AS k, price AS v FROM bid UNION ALL SELECT id, initialBid FROM auction) GROUP BY k`,
	},
	{
		name:   "case_cast_nullif",
		tables: []string{"auction"},
		floe: `SELECT id,
		              CASE WHEN reserve > 2 * initialBid THEN 'high' WHEN reserve = 2 * initialBid THEN 'exact' ELSE 'low' END AS r,
		              CAST(initialBid AS DOUBLE) / 100 AS dollars,
		              NULLIF(category, 10) AS cat,
		              COALESCE(NULLIF(category, 10), 0) AS cat0,
		              CAST(id AS VARCHAR) || '-' || CAST(category AS VARCHAR) AS tag
		       FROM auction`,
		duckdb: `SELECT id,
		                CASE WHEN reserve > 2 * initialBid THEN 'high' WHEN reserve = 2 * initialBid THEN 'exact' ELSE 'low' END,
		                CAST(initialBid AS DOUBLE) / 100, nullif(category, 10), coalesce(nullif(category, 10), 0),
		                CAST(id AS VARCHAR) || '-' || CAST(category AS VARCHAR)
		         FROM auction`,
	},
	{
		name: "time_functions",
		floe: `SELECT FLOOR(dateTime TO MINUTE) AS m, DATE_FORMAT(dateTime, 'HH:mm') AS hm, EXTRACT(SECOND FROM FLOOR(dateTime TO MINUTE)) AS s,
		              COUNT(*) AS n, COUNT(DISTINCT bidder) AS bidders
		       FROM bid GROUP BY FLOOR(dateTime TO MINUTE), DATE_FORMAT(dateTime, 'HH:mm')`,
		duckdb: `SELECT date_trunc('minute', dateTime) AS m, strftime(dateTime, '%H:%M'), 0, count(*), count(DISTINCT bidder)
		         FROM bid GROUP BY m, 2`,
	},
	{
		name:   "distinct",
		floe:   `SELECT DISTINCT channel, MOD(auction, 10) AS a FROM bid WHERE price > 1000000`,
		duckdb: `SELECT DISTINCT channel, auction % 10 FROM bid WHERE price > 1000000`,
	},
	{
		name: "like_regexp_between",
		floe: `SELECT auction, url LIKE '%channel_id%' AS has_id, REGEXP_REPLACE(channel, 'channel-', 'c') AS ch
		       FROM bid WHERE price BETWEEN 1000 AND 5000`,
		duckdb: `SELECT auction, url LIKE '%channel_id%', regexp_replace(channel, 'channel-', 'c', 'g')
		         FROM bid WHERE price BETWEEN 1000 AND 5000`,
	},
}

func TestETLDifferential(t *testing.T) {
	for _, c := range etlCases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.setup = bench.SourceDDL(nexmarkEvents, nexmarkRate)
			if c.tables == nil {
				c.tables = []string{"bid"}
			}
			check(t, c)
		})
	}
}
