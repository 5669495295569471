-- Orders, shipments and products for the join examples.
CREATE TABLE Orders (
  order_id BIGINT,
  product_id BIGINT,
  amount INT,
  order_time TIMESTAMP(3),
  WATERMARK FOR order_time AS order_time - INTERVAL '1' MINUTE
) WITH ('connector' = 'filesystem', 'path' = 'docs/sql/examples/orders.jsonl', 'format' = 'json');

CREATE TABLE Shipments (
  ship_id BIGINT,
  order_id BIGINT,
  ship_time TIMESTAMP(3),
  WATERMARK FOR ship_time AS ship_time - INTERVAL '1' MINUTE
) WITH ('connector' = 'filesystem', 'path' = 'docs/sql/examples/shipments.jsonl', 'format' = 'json');

CREATE TABLE Products (
  product_id BIGINT,
  name STRING,
  price DECIMAL(10, 2)
) WITH ('connector' = 'filesystem', 'path' = 'docs/sql/examples/products.jsonl', 'format' = 'json');
