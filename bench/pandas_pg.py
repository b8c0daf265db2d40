#!/usr/bin/python3
"""bench/pandas_pg.py: the pandas reference of bench/postgres.sh (what the Python SQLFlow does).

    pandas_pg.py read  URL TABLE        read_sql("SELECT * FROM TABLE") into a DataFrame
    pandas_pg.py write URL CSV TABLE    read_csv(CSV), then to_sql(TABLE, method="multi",
                                        chunksize=10000, if_exists="replace")

URL is an SQLAlchemy URL (postgresql+psycopg2://user@host:port/db). Only the read_sql or the
to_sql call is timed: connecting and reading the CSV are not. Prints one line
"rows=N seconds=S". Run it with /usr/bin/python3 (Debian's python3-pandas, python3-sqlalchemy
and python3-psycopg2: `scripts/setup-deps.sh --bench`).
"""
import sys
import time

import pandas as pd
import sqlalchemy


def read(url, table):
    engine = sqlalchemy.create_engine(url)
    with engine.connect() as conn:
        start = time.perf_counter()
        frame = pd.read_sql(f'SELECT * FROM "{table}"', conn)
        seconds = time.perf_counter() - start
    engine.dispose()
    return len(frame), seconds


def write(url, csv, table):
    frame = pd.read_csv(csv, parse_dates=["created_at"])
    engine = sqlalchemy.create_engine(url)
    with engine.begin() as conn:
        start = time.perf_counter()
        frame.to_sql(table, conn, method="multi", chunksize=10000, if_exists="replace",
                     index=False)
    # engine.begin() commits on leaving the block: the commit is part of the write.
    seconds = time.perf_counter() - start
    engine.dispose()
    return len(frame), seconds


def main(argv):
    if len(argv) == 4 and argv[1] == "read":
        rows, seconds = read(argv[2], argv[3])
    elif len(argv) == 5 and argv[1] == "write":
        rows, seconds = write(argv[2], argv[3], argv[4])
    else:
        print("usage: pandas_pg.py read URL TABLE | write URL CSV TABLE", file=sys.stderr)
        return 2
    print(f"rows={rows} seconds={seconds:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
