"""Run a script that `niche sql` printed on a real engine: `python3 run.py DIALECT SCRIPT`.

DuckDB runs the script as it is. Spark runs in local mode, one statement at a time (statements
end with a semicolon at the end of a line, as `niche sql` writes them). Used by tests/cli/engines.rs
and by benches/units; exits non-zero with the engine's message on failure.
"""
import sys
import time


def main():
    dialect, path = sys.argv[1], sys.argv[2]
    script = open(path, encoding="utf-8").read()
    start = time.monotonic()
    if dialect == "duckdb":
        import duckdb

        con = duckdb.connect()
        con.execute(script)
    elif dialect == "spark":
        import tempfile

        from pyspark.sql import SparkSession

        # Spark makes a `spark-warehouse` folder where it runs unless told where: in a temporary
        # folder of its own, gone when the run ends, not in the caller's working tree.
        warehouse = tempfile.TemporaryDirectory(prefix="niche-spark-")
        spark = (
            SparkSession.builder.master("local[2]")
            .appName("niche-units")
            .config("spark.sql.warehouse.dir", warehouse.name)
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.driver.memory", "2g")
            .getOrCreate()
        )
        spark.sparkContext.setLogLevel("ERROR")
        statements = [s.strip() for s in script.split(";\n") if s.strip()]
        for s in statements:
            body = "\n".join(l for l in s.splitlines() if not l.startswith("--")).strip()
            if body:
                spark.sql(body)
        spark.stop()
        warehouse.cleanup()
    elif dialect == "datafusion":
        import datafusion

        ctx = datafusion.SessionContext()
        for s in [s.strip() for s in script.split(";\n") if s.strip()]:
            body = "\n".join(l for l in s.splitlines() if not l.startswith("--")).strip()
            if body:
                ctx.sql(body).collect()
    else:
        sys.exit(f"no runner for dialect {dialect}")
    print(f"{dialect}: {time.monotonic() - start:.2f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
