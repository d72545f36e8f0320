"""Who does the work in a directive: lead agencies (chủ trì, named doers) and coordinating agencies
(phối hợp với), read with the project's one agency matcher. No Django here."""

from __future__ import annotations

import re
from dataclasses import dataclass

from dxmonitor.agencies.matching import Matcher, Mention, find_agencies

# Named in notices but never given work: the nation, the Government and the Politburo as issuers or
# addressees ("trình Chính phủ"), and the committee that holds the session ("Kế hoạch của Ủy ban …").
NOT_DOERS = {"VN", "CP", "BOCHINHTRI", "UBQGCDS", "UBQGCPDT", "BCDCP_KHCNCDS"}

# Words that may stand between a directive's start and its doers: titles, counts, "Giao", "Yêu cầu"…
_FILLER_WORDS = r"""
    giao(?:\s+cho)? | yêu\s+cầu | đề\s+nghị | riêng | đối\s+với | các\s+đồng\s+chí | đồng\s+chí | kính
  | bộ\s+trưởng | thủ\s+trưởng | chủ\s+tịch | chủ\s+nhiệm | thống\s+đốc | tổng\s+giám\s+đốc | giám\s+đốc
  | bí\s+thư | trưởng\s+ban | trưởng\s+ngành | lãnh\s+đạo | thành\s+viên
  | ban\s+chỉ\s+đạo(?:\s+(?:về\s+)?chuyển\s+đổi\s+số)?(?:\s+của)?
  | (?:ủy|uỷ)\s+ban\s+nhân\s+dân | ubnd | các\s+tỉnh | tỉnh | các\s+thành\s+phố | thành\s+phố
  | các | \d+%?
"""
_FILLERS = re.compile(rf"^(?:\s|[,\-–]|(?:{_FILLER_WORDS})(?!\w))*$", re.IGNORECASE | re.VERBOSE)
# Between two doers of one list: commas, "và", "cùng", parenthesised sub-units ("(Tổng Cục thuế)").
_SEPARATOR = re.compile(
    rf"^(?:\s|[,\-–/]|\([^()]*\)|(?:và|cùng|hoặc|với|{_FILLER_WORDS})(?!\w))*$", re.IGNORECASE | re.VERBOSE
)
_CHAIR_AFTER = re.compile(r"^\s*(?:\([^()]*\)\s*)?(?:sẽ\s+|là\s+cơ\s+quan\s+)?chủ\s+trì(?!\w)", re.IGNORECASE)
_ASSIGN_CUE = re.compile(r"(?<!\w)(?:giao|yêu\s+cầu|đề\s+nghị)(?!\w)", re.IGNORECASE)
# "phối hợp (chặt chẽ) (với) X", and the same role said as "làm việc (cụ thể) với X" or "cùng (với) X".
_COORDINATE_CUE = re.compile(
    r"(?<!\w)(?:phối\s+hợp(?:\s+chặt\s+chẽ)?(?:\s+với)?|làm\s+việc(?:\s+cụ\s+thể)?\s+với|cùng(?:\s+với)?)(?!\w)",
    re.IGNORECASE,
)
_TOPIC = re.compile(r"^\s*(?:Về|Đối\s+với)\s", re.IGNORECASE)


@dataclass(frozen=True)
class Agency:
    """A resolved agency: the project's code and its canonical name."""

    code: str
    name: str

    def as_dict(self) -> dict:
        return {"code": self.code, "name": self.name}


def unique(agencies) -> list[Agency]:
    """Agencies in first-seen order, each once."""
    seen, out = set(), []
    for agency in agencies:
        if agency.code not in seen:
            seen.add(agency.code)
            out.append(agency)
    return out


class Reader:
    """Reads the agencies of directives in one document, resolved as valid on the document's date."""

    def __init__(self, matcher: Matcher, on=None):
        self.matcher = matcher
        self.on = on
        self._seen: dict[str, list[Mention]] = {}

    def mentions(self, text: str) -> list[Mention]:
        """Agencies named in the text that can be given work."""
        if text not in self._seen:
            found = find_agencies(self.matcher, text, self.on)
            self._seen[text] = [m for m in found if m.candidate.code not in NOT_DOERS]
        return list(self._seen[text])

    @staticmethod
    def agencies(mentions) -> list[Agency]:
        return unique(Agency(m.candidate.code, m.candidate.name) for m in mentions)

    def runs(self, text: str) -> list[list[Mention]]:
        """Mentions grouped into lists: "Bộ Công an, Bộ Tài chính và các bộ, ngành" is one run."""
        runs: list[list[Mention]] = []
        for mention in self.mentions(text):
            if runs and _SEPARATOR.match(text[runs[-1][-1].end : mention.start]):
                runs[-1].append(mention)
            else:
                runs.append([mention])
        return runs

    def cell(self, text: str) -> list[Agency]:
        """Agencies in a table cell, with or without separators between them."""
        found = self.agencies(self.mentions(text))
        if found or not text.strip():
            return found
        whole = self.matcher.lookup(text.strip(), self.on)
        return [Agency(c.code, c.name) for c in whole[:1] if c.code not in NOT_DOERS]

    def only_agencies(self, text: str) -> list[Agency]:
        """The agencies of a heading that names nothing else ("b) Bộ Tài chính", "1. Các bộ, cơ quan, địa phương")."""
        text = text.strip().rstrip(":.").strip()
        if not text:
            return []
        runs = self.runs(text)
        if len(runs) != 1:
            return []
        run = runs[0]
        if _FILLERS.match(text[: run[0].start]) and not text[run[-1].end :].strip(" ,:;.-–"):
            return self.agencies(run)
        return []

    def subject(self, text: str) -> list[Agency]:
        """Doers named first: "Bộ Công an đẩy nhanh…", "Yêu cầu 07 Ủy ban nhân dân các tỉnh, thành phố An
        Giang, …", "Về cung cấp dịch vụ công trực tuyến, các bộ, ngành, địa phương đẩy mạnh…"."""
        sentence = _first_sentence(text)
        runs = self.runs(sentence)
        if not runs:
            return []
        first = runs[0]
        if _FILLERS.match(sentence[: first[0].start]):
            return self.agencies(first)
        if _TOPIC.match(sentence):
            for run in runs:
                before = sentence[: run[0].start]
                if before.rstrip().endswith(",") and _FILLERS.match(before.rsplit(",", 1)[1]):
                    return self.agencies(run)
        return []

    def chairs(self, text: str) -> list[Agency]:
        """Agencies said to lead: "X chủ trì"."""
        found = []
        for run in self.runs(text):
            if _CHAIR_AFTER.match(text[run[-1].end :]):
                found += run
        return self.agencies(found)

    def assigned(self, text: str) -> list[Agency]:
        """Agencies named right after "Giao", "Yêu cầu", "Đề nghị"."""
        found = []
        for run in self.runs(text):
            before = text[: run[0].start]
            cues = list(_ASSIGN_CUE.finditer(before))
            if cues and _FILLERS.match(before[cues[-1].end() :]):
                found += run
        return self.agencies(found)

    def listed_after_colon(self, text: str) -> list[Agency]:
        """Doers listed at the end after a colon: "…: Bắc Giang, Bắc Ninh, Bình Dương."."""
        body = text.strip().rstrip(".;").strip()
        colon = body.rfind(":")
        if colon < 0:
            return []
        runs = self.runs(body)
        for run in runs:
            if run[0].start > colon and _FILLERS.match(body[colon + 1 : run[0].start]):
                tail = body[run[-1].end :]
                if not tail.strip() or re.fullmatch(r"(?:\s*\([^()]*\))*\s*", tail):
                    return self.agencies(run)
        return []

    def introduced(self, text: str) -> list[Agency]:
        """Doers of an introduction ending in a colon ("… Thủ tướng Chính phủ yêu cầu các bộ, ngành, địa
        phương tập trung triển khai các nhiệm vụ sau:"): those named last before the colon."""
        sentence = _last_sentence(text)
        if not sentence.rstrip().endswith(":"):
            return []
        runs = self.runs(sentence)
        return self.agencies(runs[-1]) if runs else []

    def coordinators(self, text: str) -> list[Agency]:
        """Agencies after "phối hợp (với)"."""
        found = []
        for cue in _COORDINATE_CUE.finditer(text):
            for run in self.runs(text):
                if run[0].start >= cue.end() and _SEPARATOR.match(text[cue.end() : run[0].start]):
                    found += run
                    break
        return self.agencies(found)

    def first(self, text: str) -> list[Agency]:
        """The first agency-list named anywhere: the last resort for a directive's doers."""
        runs = self.runs(_first_sentence(text))
        return self.agencies(runs[0]) if runs else []


def sentences(text: str) -> list[str]:
    """Sentences: a full stop or semicolon, then a capital letter."""
    out, start = [], 0
    text = text.strip()
    for end in re.finditer(r"(?<=[.;!?])\s+", text):
        if end.end() < len(text) and text[end.end()].isupper():
            out.append(text[start : end.start()])
            start = end.end()
    out.append(text[start:])
    return [s for s in out if s]


def _first_sentence(text: str) -> str:
    found = sentences(text)
    return found[0] if found else ""


def _last_sentence(text: str) -> str:
    parts = re.split(r"(?<=[.;])\s+", text.strip())
    return parts[-1] if parts else ""
