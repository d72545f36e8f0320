"""`dxmonitor extract-eval`: score the extractor on the sample notices against the hand-written gold."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dxmonitor.ingest.evaluate import evaluate
from dxmonitor.ingest.extract import extract
from dxmonitor.ingest.reading import read_path

PACKAGE = Path(__file__).resolve().parents[3]
GOLD = PACKAGE / "ingest" / "tests" / "gold"
SAMPLES = PACKAGE / "samples"


def _pct(value) -> str:
    return "-" if value is None else f"{value:.2f}"


class Command(BaseCommand):
    help = "Score task and indicator extraction per document and overall against gold annotations."
    requires_system_checks: list = []

    def add_arguments(self, parser):
        parser.add_argument("--gold", default=str(GOLD), help="folder of gold JSON files")
        parser.add_argument("--samples", default=str(SAMPLES), help="folder of the annotated notices")
        parser.add_argument("--json", action="store_true", help="print the scores as JSON")
        parser.add_argument("--details", action="store_true", help="list every disagreement")

    def handle(self, *args, **options):
        gold = Path(options["gold"])
        if not gold.is_dir() or not any(gold.glob("*.json")):
            raise CommandError(f"No gold annotations (*.json) in {gold}")
        report = evaluate(gold, Path(options["samples"]), lambda path: extract(read_path(path)))
        if not options["details"]:
            for document in report["documents"]:
                document.pop("problems", None)
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
            return
        self.stdout.write(render(report))
        if options["details"]:
            for document in report["documents"]:
                for problem in document.get("problems", []):
                    self.stdout.write(_problem(document["document"], problem))


def render(report: dict) -> str:
    head = (
        f"{'document':<28} {'tasks':>5} {'P':>5} {'R':>5} {'F1':>5} {'lead':>5} {'coord':>5} {'dline':>5}"
        f" {'ind':>4} {'iF1':>5} {'code':>5} {'targ':>5} {'res':>5} {'secs':>6}"
    )
    lines = [head, "-" * len(head)]
    rows = [(d["document"], d) for d in report["documents"]] + [("OVERALL", report["overall"])]
    for name, row in rows:
        if "error" in row:
            lines.append(f"{name:<28} {row['error']}")
            continue
        t, i = row["tasks"], row["indicators"]
        seconds = f"{row['seconds']:>6.2f}" if "seconds" in row else f"{'':>6}"
        if name == "OVERALL":
            lines.append("-" * len(head))
        lines.append(
            f"{name[:28]:<28} {t['gold']:>5} {_pct(t['precision']):>5} {_pct(t['recall']):>5} {_pct(t['f1']):>5}"
            f" {_pct(t.get('lead')):>5} {_pct(t.get('coordinating')):>5} {_pct(t.get('deadline')):>5}"
            f" {i['gold']:>4} {_pct(i['f1']):>5} {_pct(i.get('code')):>5} {_pct(i.get('targets')):>5}"
            f" {_pct(i.get('results')):>5} {seconds}"
        )
    return "\n".join(lines)


def _problem(document: str, problem: dict) -> str:
    def show(item):
        if item is None:
            return "—"
        if "text" in item:
            lead = ",".join(a["code"] for a in item.get("lead") or [])
            coord = ",".join(a["code"] for a in item.get("coordinating") or [])
            date = (item.get("deadline") or {}).get("date")
            return f"[{item.get('clause')}] L={lead} C={coord} D={date} {item['text'][:80]}"
        targets = [(t.get("period"), t.get("value")) for t in item.get("targets") or []]
        results = [(r.get("period"), r.get("value")) for r in item.get("results") or []]
        return f"[{item.get('code')}] T={targets} R={results} {item.get('name', '')[:70]}"

    return f"{document[:12]} {','.join(problem['wrong'])}\n   gold: {show(problem['gold'])}\n   pred: {show(problem['predicted'])}"
