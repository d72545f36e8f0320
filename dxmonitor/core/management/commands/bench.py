"""`dxmonitor bench NAME`: time one registered benchmark on a throwaway database, never the user's own.

The command runs twice. Invoked by a person it makes a temporary data directory (and, with
--database-url, a PostgreSQL database of its own), then runs itself again in a child process whose
settings point there; the child migrates, loads the agencies, runs the benchmark and prints the
figures. Settings are read once per process, so a child is the one way to be sure no query of the
benchmark reaches the installation's database. The parent removes what it made afterwards.
"""

import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import dj_database_url
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import autodiscover_modules

from dxmonitor.core.bench import BENCHMARKS, positive_int, summary

# Set by the parent for the child: the database the child may fill, checked against its settings.
CHILD_ENV = "DXMONITOR_BENCH_DATABASE"


class Command(BaseCommand):
    help = "Time a benchmark (task list, scorecards…) on generated data in a throwaway database."
    requires_system_checks = []

    def add_arguments(self, parser):
        autodiscover_modules("bench")
        self.parsers = {}
        names = parser.add_subparsers(dest="benchmark", required=True, metavar="NAME")
        for name, bench in sorted(BENCHMARKS.items()):
            sub = names.add_parser(name, help=bench.help, description=bench.help)
            sub.add_argument(
                "--repeat", type=positive_int, default=30, help="timed runs per operation (default 30)"
            )
            sub.add_argument("--seed", type=int, default=1, help="seed of the generated data (default 1)")
            sub.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
            sub.add_argument(
                "--database-url",
                default="",
                help="run on a new PostgreSQL database named by this URL (created, then dropped); "
                "default: a SQLite file in a temporary directory",
            )
            sub.add_argument("--keep", action="store_true", help="keep the throwaway database afterwards")
            if bench.arguments:
                bench.arguments(sub)
            self.parsers[name] = sub

    def handle(self, *args, benchmark, **options):
        if CHILD_ENV in os.environ:
            return self._run_here(benchmark, options)
        return self._run_in_child(benchmark, options)

    # The parent: make the throwaway database, run the child on it, remove it.

    def _run_in_child(self, name, options):
        data_dir = Path(tempfile.mkdtemp(prefix="dxmonitor-bench-"))
        url = options["database_url"]
        database = dj_database_url.parse(url)["NAME"] if url else str(data_dir / "dxmonitor.sqlite3")
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update(
            {
                CHILD_ENV: database,
                "DXMONITOR_DATA_DIR": str(data_dir),
                "DJANGO_SETTINGS_MODULE": "dxmonitor.settings",
                "SECRET_KEY": "bench-" + secrets.token_urlsafe(40),
                # DEBUG would keep every query in memory and slow each one down.
                "DEBUG": "false",
                "ALLOWED_HOSTS": "localhost",
            }
        )
        if url:
            env["DATABASE_URL"] = url
        command = [sys.executable, "-m", "dxmonitor.cli", "bench", name, *self._arguments(name, options)]
        try:
            with _postgres_database(url, keep=options["keep"]):
                returncode = subprocess.run(command, env=env).returncode
        finally:
            if options["keep"]:
                self.stderr.write(f"kept: {database}")
            else:
                shutil.rmtree(data_dir, ignore_errors=True)
        if returncode:
            raise CommandError(f"the benchmark failed (exit status {returncode})")

    def _arguments(self, name, options) -> list[str]:
        """The command line that gives the child the same options."""
        args = []
        for action in self.parsers[name]._actions:
            value = options.get(action.dest)
            if not action.option_strings or action.dest in ("help", "database_url", "keep"):
                continue
            if value is True:
                args.append(action.option_strings[-1])
            elif value is not None and value is not False:
                args += [action.option_strings[-1], str(value)]
        return args

    # The child: set up, run, print.

    def _run_here(self, name, options):
        from django.db import connection

        if str(connection.settings_dict["NAME"]) != os.environ[CHILD_ENV]:
            raise CommandError("refusing to run: this is not the benchmark's throwaway database")
        progress = self.stderr.write
        start = time.perf_counter()
        call_command("migrate", interactive=False, verbosity=0)
        from dxmonitor.agencies.services import load_agencies

        load_agencies()
        setup = time.perf_counter() - start
        progress(f"set-up (migrate, load agencies): {setup:.1f} s on {connection.vendor}")
        result = BENCHMARKS[name].run(options, progress)
        figures = {operation: summary(samples) for operation, samples in result.samples.items()}
        meta = {
            "benchmark": name,
            "database": connection.vendor,
            "repeat": options["repeat"],
            "seed": options["seed"],
            "setup_s": round(setup, 2),
            **result.meta,
        }
        if options["json"]:
            self.stdout.write(json.dumps({**figures, "meta": meta}, ensure_ascii=False))
            return
        width = max(len(op) for op in figures)
        self.stdout.write(f"{'operation':<{width}}  {'p50 ms':>9}  {'p95 ms':>9}")
        for operation, figure in figures.items():
            self.stdout.write(f"{operation:<{width}}  {figure['p50_ms']:>9.1f}  {figure['p95_ms']:>9.1f}")
        self.stdout.write("")
        for key, value in meta.items():
            self.stdout.write(f"{key}: {value}")


@contextmanager
def _postgres_database(url: str, keep: bool):
    """Create the database the URL names, refusing one that exists; drop it afterwards unless kept."""
    if not url:
        yield
        return
    config = dj_database_url.parse(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        raise CommandError("--database-url takes a postgres:// URL")
    import psycopg
    from psycopg import sql

    server = {
        "dbname": "postgres",
        "user": config["USER"] or None,
        "password": config["PASSWORD"] or None,
        "host": config["HOST"] or None,
        "port": config["PORT"] or None,
    }
    name = config["NAME"]
    with psycopg.connect(**server, autocommit=True) as admin:
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            # Never someone's database: the benchmark drops what it creates, so it creates a new one.
            raise CommandError(
                f"the database {name} exists; bench creates and drops a database of its own, "
                "so name one that does not exist (or drop this one if a benchmark left it)"
            )
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield
    finally:
        if not keep:
            with psycopg.connect(**server, autocommit=True) as admin:
                admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
