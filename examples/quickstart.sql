-- Floe quick start: the hottest auctions per 10-second window of a bounded Nexmark stream.
-- Run with:  go run ./cmd/floe run examples/quickstart.sql

CREATE TABLE bid (
    auction  BIGINT,
    bidder   BIGINT,
    price    BIGINT,
    channel  VARCHAR,
    url      VARCHAR,
    dateTime TIMESTAMP(3),
    extra    VARCHAR,
    WATERMARK FOR dateTime AS dateTime - INTERVAL '4' SECOND
) WITH (
    'connector' = 'nexmark',
    'table' = 'bid',
    'events.num' = '200000',
    'first-event.rate' = '1000'
);

CREATE TABLE hot_auctions (
    window_start TIMESTAMP(3),
    window_end   TIMESTAMP(3),
    auction      BIGINT,
    bids         BIGINT,
    max_price    BIGINT
) WITH ('connector' = 'print', 'print-identifier' = 'hot');

SET 'parallelism.default' = '2';

INSERT INTO hot_auctions
SELECT window_start, window_end, auction, COUNT(*) AS bids, MAX(price) AS max_price
FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '10' SECOND))
GROUP BY window_start, window_end, auction
HAVING COUNT(*) >= 40;
