"""Directive operations: storing documents and their sessions."""

import csv
import datetime
import hashlib
import unicodedata
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction

from dxmonitor.directives.models import Document, Session

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def text_hash(text: str) -> str:
    """The identity of a document's text: the same notice uploaded twice hashes the same."""
    canonical = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@transaction.atomic
def store_document(
    text: str,
    *,
    title: str,
    kind: str,
    date=None,
    number="",
    issuer="",
    signer="",
    session=None,
    file_name="",
    content: bytes | None = None,
    is_sample=False,
    actor=None,
) -> tuple[Document, bool]:
    """The document with this text, stored once; returns (document, created)."""
    digest = text_hash(text)
    existing = Document.objects.filter(sha256=digest).first()
    if existing:
        return existing, False
    document = Document(
        sha256=digest,
        text=unicodedata.normalize("NFC", text),
        title=title,
        kind=kind,
        date=date,
        number=number,
        issuer=issuer,
        signer=signer,
        session=session,
        original_name=file_name,
        is_sample=is_sample,
        created_by=actor,
        modified_by=actor,
    )
    if content is not None:
        document.file.save(Path(file_name).name or "document.txt", ContentFile(content), save=False)
    document.save()
    return document, True


def sample_manifest() -> list[dict]:
    """The five sample notices shipped with dxmonitor, oldest first."""
    with open(SAMPLES / "manifest.csv", encoding="utf-8", newline="") as handle:
        return sorted(csv.DictReader(handle), key=lambda row: row["date"])


@transaction.atomic
def load_samples() -> list[tuple[Document, bool]]:
    """Store the sample notices and their sessions; running it again changes nothing."""
    results = []
    for row in sample_manifest():
        day = datetime.date.fromisoformat(row["date"])
        session, _ = Session.objects.get_or_create(
            title=row["session_title"],
            defaults={"date": day, "number": int(row["session_number"]) if row["session_number"] else None},
        )
        content = (SAMPLES / row["file"]).read_bytes()
        results.append(
            store_document(
                content.decode("utf-8"),
                title=row["title"],
                kind=row["kind"],
                date=day,
                issuer=row["issuer"],
                signer=row["signer"],
                session=session,
                file_name=row["file"],
                content=content,
                is_sample=True,
            )
        )
    return results
