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
		// HOP windows accumulate per 2-second slice and merge five slices per window: every
		// kind of accumulator must merge exactly.
		name: "hop_tvf_merged_aggregates",
		floe: `SELECT window_start, window_end, MOD(auction, 7) AS a7, COUNT(*) AS n, COUNT(DISTINCT bidder) AS bidders,
		              COUNT(DISTINCT channel) FILTER (WHERE price > 10000) AS ch, SUM(price) AS total, AVG(price) AS mean,
		              MIN(url) AS lo, MAX(channel) AS hi, MAX(price) FILTER (WHERE MOD(bidder, 2) = 0) AS even_top,
		              SUM(CAST(price AS DECIMAL(20, 2))) AS dsum
		       FROM TABLE(HOP(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '2' SECOND, INTERVAL '10' SECOND))
		       GROUP BY window_start, window_end, MOD(auction, 7)`,
		duckdb: `WITH w AS (
		             SELECT *, unnest(generate_series(
		                 CAST(floor(epoch_us(dateTime) / 2000000) * 2000000 AS BIGINT) - 8000000,
		                 CAST(floor(epoch_us(dateTime) / 2000000) * 2000000 AS BIGINT), 2000000)) AS s
		             FROM bid)
		         SELECT make_timestamp(s), make_timestamp(s + 10000000), auction % 7, count(*), count(DISTINCT bidder),
		                count(DISTINCT channel) FILTER (WHERE price > 10000), sum(price), sum(price) // count(price),
		                min(url), max(channel), max(price) FILTER (WHERE bidder % 2 = 0),
		                sum(CAST(price AS DECIMAL(20, 2)))
		         FROM w GROUP BY s, auction % 7`,
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

// joinRankCases mix joins and ranking with aggregations over updating inputs.
var joinRankCases = []testCase{
	{
		name: "left_join_updating_right",
		floe: `SELECT A.id, A.category, B.cnt, B.top
		       FROM auction A LEFT JOIN (SELECT auction, COUNT(*) AS cnt, MAX(price) AS top FROM bid GROUP BY auction) B
		       ON A.id = B.auction`,
		duckdb: `SELECT A.id, A.category, B.cnt, B.top
		         FROM auction A LEFT JOIN (SELECT auction, count(*) AS cnt, max(price) AS top FROM bid GROUP BY auction) B
		         ON A.id = B.auction`,
	},
	{
		name: "full_join_two_aggregations",
		floe: `SELECT S.seller, S.n, B.bidder, B.m
		       FROM (SELECT seller, COUNT(*) AS n FROM auction GROUP BY seller) S
		       FULL JOIN (SELECT bidder, COUNT(*) AS m FROM bid WHERE MOD(bidder, 7) = 0 GROUP BY bidder) B
		       ON S.seller = B.bidder`,
		duckdb: `SELECT S.seller, S.n, B.bidder, B.m
		         FROM (SELECT seller, count(*) AS n FROM auction GROUP BY seller) S
		         FULL JOIN (SELECT bidder, count(*) AS m FROM bid WHERE bidder % 7 = 0 GROUP BY bidder) B
		         ON S.seller = B.bidder`,
	},
	{
		name: "join_residual_then_aggregate",
		floe: `SELECT P.state, COUNT(*) AS auctions, SUM(A.initialBid) AS s
		       FROM person P JOIN auction A ON P.id = A.seller AND A.reserve > P.id * 1000 GROUP BY P.state`,
		duckdb: `SELECT P.state, count(*), sum(A.initialBid)
		         FROM person P JOIN auction A ON P.id = A.seller AND A.reserve > P.id * 1000 GROUP BY P.state`,
	},
	{
		name:   "expression_keys_left_join",
		floe:   `SELECT P.id, A.id FROM person P LEFT JOIN auction A ON P.id * 2 = A.seller * 2 AND CAST(P.id AS DOUBLE) = A.seller`,
		duckdb: `SELECT P.id, A.id FROM person P LEFT JOIN auction A ON P.id * 2 = A.seller * 2 AND CAST(P.id AS DOUBLE) = A.seller`,
	},
	{
		name:   "left_join_empty_interval",
		floe:   `SELECT A.id, B.price FROM auction A LEFT JOIN bid B ON A.id = B.auction AND B.dateTime > A.dateTime AND B.dateTime < A.dateTime`,
		duckdb: `SELECT A.id, B.price FROM auction A LEFT JOIN bid B ON A.id = B.auction AND B.dateTime > A.dateTime AND B.dateTime < A.dateTime`,
	},
	{
		name:   "right_join_on_filter",
		floe:   `SELECT P.id, P.name, A.id FROM person P RIGHT JOIN auction A ON P.id = A.seller AND A.category = 10`,
		duckdb: `SELECT P.id, P.name, A.id FROM person P RIGHT JOIN auction A ON P.id = A.seller AND A.category = 10`,
	},
	{
		name: "interval_join",
		floe: `SELECT P.id, A.id FROM person P JOIN auction A
		       ON P.id = A.seller AND P.dateTime BETWEEN A.dateTime - INTERVAL '5' SECOND AND A.dateTime + INTERVAL '3' SECOND`,
		duckdb: `SELECT P.id, A.id FROM person P JOIN auction A
		         ON P.id = A.seller AND P.dateTime BETWEEN A.dateTime - INTERVAL 5 SECOND AND A.dateTime + INTERVAL 3 SECOND`,
	},
	{
		name: "left_interval_join",
		floe: `SELECT A.id, B.price FROM auction A LEFT JOIN bid B
		       ON A.id = B.auction AND B.dateTime >= A.dateTime AND B.dateTime < A.dateTime + INTERVAL '2' SECOND`,
		duckdb: `SELECT A.id, B.price FROM auction A LEFT JOIN bid B
		         ON A.id = B.auction AND B.dateTime >= A.dateTime AND B.dateTime < A.dateTime + INTERVAL 2 SECOND`,
	},
	{
		name: "left_window_join",
		floe: `SELECT P.id, P.ws, A.n
		       FROM (SELECT id, window_start AS ws, window_end AS we FROM TABLE(TUMBLE(TABLE person, DESCRIPTOR(dateTime), INTERVAL '10' SECOND))) P
		       LEFT JOIN (SELECT seller, window_start AS ws, window_end AS we, COUNT(*) AS n
		                  FROM TABLE(TUMBLE(TABLE auction, DESCRIPTOR(dateTime), INTERVAL '10' SECOND)) GROUP BY seller, window_start, window_end) A
		       ON P.id = A.seller AND P.ws = A.ws AND P.we = A.we`,
		duckdb: `WITH a AS (SELECT seller, epoch_ms(dateTime) // 10000 * 10000 AS ws, count(*) AS n FROM auction GROUP BY 1, 2)
		         SELECT P.id, epoch_ms(epoch_ms(P.dateTime) // 10000 * 10000), a.n
		         FROM person P LEFT JOIN a ON P.id = a.seller AND epoch_ms(P.dateTime) // 10000 * 10000 = a.ws`,
	},
	{
		name: "topn_over_updating_join_aggregate",
		floe: `SELECT category, auction, cnt, rn FROM (
		           SELECT *, ROW_NUMBER() OVER (PARTITION BY category ORDER BY cnt DESC, auction ASC) AS rn
		           FROM (SELECT A.category, B.auction, COUNT(*) AS cnt FROM bid B JOIN auction A ON B.auction = A.id
		                 GROUP BY A.category, B.auction))
		       WHERE rn <= 3`,
		duckdb: `SELECT category, auction, cnt, rn FROM (
		             SELECT *, row_number() OVER (PARTITION BY category ORDER BY cnt DESC, auction ASC) AS rn
		             FROM (SELECT A.category, B.auction, count(*) AS cnt FROM bid B JOIN auction A ON B.auction = A.id
		                   GROUP BY A.category, B.auction))
		         WHERE rn <= 3`,
	},
	{
		name: "rank_and_dense_rank",
		floe: `SELECT auction, price, r, d FROM (
		           SELECT auction, price, r, DENSE_RANK() OVER (PARTITION BY auction ORDER BY price DESC) AS d FROM (
		               SELECT auction, price, RANK() OVER (PARTITION BY auction ORDER BY price DESC) AS r FROM bid)
		           WHERE r <= 3)
		       WHERE d <= 2`,
		duckdb: `SELECT auction, price, r, d FROM (
		             SELECT auction, price, r, dense_rank() OVER (PARTITION BY auction ORDER BY price DESC) AS d FROM (
		                 SELECT auction, price, rank() OVER (PARTITION BY auction ORDER BY price DESC) AS r FROM bid)
		             WHERE r <= 3)
		         WHERE d <= 2`,
	},
	{
		name: "window_topn",
		floe: `SELECT window_start, window_end, auction, price, rn FROM (
		           SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY price DESC) AS rn
		           FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '10' SECOND)))
		       WHERE rn <= 3`,
		duckdb: `SELECT ws, ws + INTERVAL 10 SECOND, price, rn FROM (
		             SELECT ` + bucket10s + ` AS ws, price, row_number() OVER (PARTITION BY ws ORDER BY price DESC) AS rn FROM bid)
		         WHERE rn <= 3`,
		keep: []int{0, 1, 3, 4},
	},
	{
		name:   "order_by_limit",
		floe:   `SELECT auction, price FROM bid ORDER BY price DESC, auction ASC LIMIT 7 OFFSET 2`,
		duckdb: `SELECT auction, price FROM bid ORDER BY price DESC, auction ASC LIMIT 7 OFFSET 2`,
	},
	{
		name: "dedup_keep_first_rowtime",
		floe: `SELECT auction, bidder, dateTime FROM (
		           SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY dateTime ASC) AS rn FROM bid)
		       WHERE rn = 1`,
		duckdb: `SELECT auction, min(dateTime) FROM bid GROUP BY auction`,
		keep:   []int{0, 2},
	},
}

func TestJoinRankDifferential(t *testing.T) {
	for _, c := range joinRankCases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.setup = bench.SourceDDL(nexmarkEvents, nexmarkRate)
			c.tables = []string{"bid", "auction", "person"}
			check(t, c)
		})
	}
}
