-- q4: average price of the winning bid of closed auctions, per category. The bid time bounds
-- (between the auction's start and its expiry) are not both time attributes, so this is a
-- regular join with a filter, then MAX per auction and AVG per category over its retractions.
CREATE TABLE nexmark_q4 (id BIGINT, final BIGINT)
WITH ('connector' = 'blackhole');

INSERT INTO nexmark_q4
SELECT
    Q.category,
    AVG(Q.final)
FROM (
    SELECT MAX(B.price) AS final, A.category
    FROM auction A, bid B
    WHERE A.id = B.auction AND B.dateTime BETWEEN A.dateTime AND A.expires
    GROUP BY A.id, A.category
) Q
GROUP BY Q.category;
