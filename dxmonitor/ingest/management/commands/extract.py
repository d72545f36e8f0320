"""`dxmonitor extract FILE`: read a notice and print its tasks and indicators; the database is not used."""

import json

from django.core.management.base import BaseCommand, CommandError

from dxmonitor.ingest.extract import extract
from dxmonitor.ingest.reading import DEFAULT_MAX_BYTES, ReadError, read_path

_WIDTH = 100


class Command(BaseCommand):
    help = "Read a notice (TXT, DOCX or PDF) and print its tasks and indicators as JSON or a table."
    requires_system_checks: list = []

    def add_arguments(self, parser):
        parser.add_argument("file", help="the notice: .txt, .docx or .pdf with a text layer")
        parser.add_argument("--format", choices=("json", "table"), default="json", help="output format")
        parser.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES, help="refuse larger files")

    def handle(self, *args, **options):
        try:
            text = read_path(options["file"], options["max_bytes"])
        except ReadError as error:
            raise CommandError(f"{error.message_en} / {error.message_vi}") from None
        except OSError as error:
            raise CommandError(str(error)) from None
        result = extract(text)
        if options["format"] == "json":
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(render_table(result))


def _codes(agencies) -> str:
    return ", ".join(a["code"] for a in agencies) or "-"


def _cut(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def render_table(result: dict) -> str:
    """The extraction as plain-text tables: the document, its tasks, its indicators."""
    doc = result["document"]
    lines = [
        f"{doc.get('title') or '(no title)'}",
        f"date {doc.get('date') or '-'}  number {doc.get('number') or '-'}  kind {doc.get('kind') or '-'}",
        "",
        f"Tasks ({len(result['tasks'])})",
        f"{'clause':<14} {'lead':<28} {'coordinating':<24} {'deadline':<11} text",
    ]
    for task in result["tasks"]:
        deadline = (task.get("deadline") or {}).get("date") or "-"
        lines.append(
            f"{_cut(task['clause'], 14):<14} {_cut(_codes(task['lead']), 28):<28} "
            f"{_cut(_codes(task['coordinating']), 24):<24} {deadline:<11} {_cut(task['text'], _WIDTH)}"
        )
    if result["indicators"]:
        lines += ["", f"Indicators ({len(result['indicators'])})"]
        lines.append(f"{'code':<8} {'lead':<28} {'targets':<22} {'results':<22} name")
        for indicator in result["indicators"]:
            targets = "; ".join(f"{t['period']} {t['text']}" for t in indicator["targets"]) or "-"
            results = "; ".join(f"{r['period']} {r['text']}" for r in indicator["results"]) or "-"
            lines.append(
                f"{_cut(indicator['code'], 8):<8} {_cut(_codes(indicator['lead']), 28):<28} "
                f"{_cut(targets, 22):<22} {_cut(results, 22):<22} {_cut(indicator['name'], _WIDTH)}"
            )
    return "\n".join(lines)
