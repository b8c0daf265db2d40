-- The shop's tables in PostgreSQL: run once with `psql -f data/setup.sql` (the example's test
-- runs it in a fresh database of its own).
DROP TABLE IF EXISTS orders, customers, customer_revenue, country_totals;
CREATE TABLE customers (
  customer_id integer PRIMARY KEY,
  name        text NOT NULL,
  country     char(2) NOT NULL,
  signed_up   date NOT NULL
);
CREATE TABLE orders (
  order_id    bigint PRIMARY KEY,
  customer_id integer NOT NULL REFERENCES customers,
  amount      numeric(10,2) NOT NULL,
  status      text NOT NULL,
  ordered_at  timestamptz NOT NULL
);
INSERT INTO customers VALUES
  (1, 'Ada Lovelace', 'GB', '2025-01-05'),
  (2, 'Grace Hopper', 'US', '2025-02-11'),
  (3, 'Katherine Johnson', 'US', '2025-03-20'),
  (4, 'Émilie du Châtelet', 'FR', '2025-04-02');
INSERT INTO orders VALUES
  (101, 1, 120.50, 'delivered', '2026-01-03 09:15:00+00'),
  (102, 2,  75.00, 'delivered', '2026-01-04 14:02:10+00'),
  (103, 1,  19.99, 'cancelled', '2026-01-05 08:00:00+00'),
  (104, 3, 310.10, 'shipped',   '2026-01-07 17:45:30+00'),
  (105, 2,  42.25, 'delivered', '2026-01-09 11:11:11+00'),
  (106, 4,  88.80, 'shipped',   '2026-01-10 20:30:00+01'),
  (107, 1,   5.05, 'delivered', '2026-01-12 07:00:00+00');
