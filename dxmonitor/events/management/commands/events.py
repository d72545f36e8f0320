"""`dxmonitor events …`: ingest, generate and compute public-service dossier records, reconcile the results."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from dxmonitor.events import schema, services
from dxmonitor.events.ingest import RefusedFile
from dxmonitor.events.store import StoreError


class Command(BaseCommand):
    help = "Dossier records: ingest files, generate synthetic ones, recompute the EV.* indicators, reconcile."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        ingest = actions.add_parser("ingest", help="ingest CSV, Parquet or JSON Lines files, one batch each")
        ingest.add_argument("files", nargs="+", metavar="FILE")
        ingest.add_argument(
            "--no-recompute", action="store_true", help="store only; recompute later with `events compute`"
        )
        generate = actions.add_parser(
            "generate", help="write a deterministic synthetic data set (marked synthetic)"
        )
        generate.add_argument("--rows", type=int, required=True)
        generate.add_argument("--seed", type=int, default=1)
        generate.add_argument(
            "--out",
            default="",
            help="a .parquet, .csv or .jsonl file (default: dossiers-<rows>-<seed>.parquet)",
        )
        compute = actions.add_parser("compute", help="recompute every month from the stored records")
        compute.add_argument("--json", action="store_true")
        compact = actions.add_parser(
            "compact", help="rewrite each month's many small files (API pushes) as one file per sign"
        )
        compact.add_argument("--month", default="", help="one month, e.g. 2025-07 (default: every month)")
        reconcile = actions.add_parser("reconcile", help="self-reported beside computed values, as CSV")
        reconcile.add_argument("--indicator", default="", help="an indicator code (EV.* or a linked one)")
        reconcile.add_argument("--month", default="", help="a month, e.g. 2025-07")
        reconcile.add_argument("--flagged", action="store_true", help="only the gaps beyond the threshold")
        reconcile.add_argument("--out", default="", help="write the CSV here (default: standard output)")

    def handle(self, *args, action, **options):
        try:
            return getattr(self, "_" + action)(**options)
        except StoreError as error:
            raise CommandError(str(error)) from None

    def _ingest(self, files, no_recompute, **options):
        refused = []
        for name in files:
            bar = tqdm(total=_rows(name), desc=Path(name).name, unit="rows", unit_scale=True, file=sys.stderr)

            def step(label, rows=0, bar=bar):
                bar.set_postfix_str(label)
                bar.update(rows)

            try:
                outcome = services.ingest_file(None, name, step=step, recompute=not no_recompute)
            except RefusedFile as error:
                bar.close()
                self.stderr.write(f"refused (nothing stored): {error}")
                refused.append(name)
                continue
            bar.close()
            o = outcome.as_dict()
            self.stdout.write(
                f"{Path(name).name}: {o['rows']:,} rows — accepted {o['accepted']:,} "
                f"(new {o['new']:,}, replacing {o['replaced']:,}, older kept as history {o['older']:,}), "
                f"replaced {o['replaced']:,}, already stored {o['already_stored']:,}, "
                f"duplicates {o['duplicates']:,}, quarantined {o['quarantined']:,}"
            )
            if o["quarantine_file"]:
                self.stdout.write(f"  quarantine: {o['quarantine_file']}")
        if refused:
            raise CommandError(f"{len(refused)} file(s) refused: {', '.join(refused)}")

    def _generate(self, rows, seed, out, **options):
        if rows < 1:
            raise CommandError("--rows must be at least 1")
        path = Path(out or f"dossiers-{rows}-{seed}.parquet")
        try:
            services.generate_file(path, rows, seed)
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{path}: {rows:,} synthetic dossier records (seed {seed})")

    def _compute(self, json, **options):
        result = services.compute_all()
        if json:
            self.stdout.write(_json(result))
            return
        self.stdout.write(
            f"{len(result['months'])} months recomputed; observations created {result['created']}, "
            f"updated {result['updated']}, deleted {result['deleted']}"
        )

    def _compact(self, month, **options):
        try:
            months = [schema.month_of(month)] if month else None
        except ValueError as error:
            raise CommandError(f"--month: {error}") from None
        for row in services.compact(months):
            self.stdout.write(
                f"{schema.month_period(row['month'])}: {row['files_before']} files → {row['files_after']}"
            )

    def _reconcile(self, indicator, month, flagged, out, **options):
        from dxmonitor.accounts.models import User

        # The command line sees everything, as the secretariat does.
        everyone = User(role="secretariat", is_active=True, is_superuser=True)
        rows = services.reconciliation(everyone, indicator or None, month or None, flagged=flagged)
        if out:
            with open(out, "w", encoding="utf-8", newline="") as handle:
                services.write_reconciliation_csv(rows, handle)
            self.stdout.write(f"{out}: {len(rows)} rows")
        else:
            services.write_reconciliation_csv(rows, self.stdout)


def _rows(name) -> int | None:
    """The row count of a Parquet file (its footer says), for the bar's total; None for other files."""
    try:
        import pyarrow.parquet as pq

        return pq.ParquetFile(name).metadata.num_rows if str(name).endswith(".parquet") else None
    except Exception:  # not Parquet after all: the ingest says so
        return None


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)
