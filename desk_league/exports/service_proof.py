"""志愿服务证明: the service certificate, one or more pages per volunteer, on the PDF base.

Laid out from plain ``ServiceProof`` values (the service fills them in and numbers them). The
seal image is drawn over the issuing organisation's line, as a stamp would be.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer

from desk_league.domain.dates import chinese_date
from desk_league.domain.id_number import mask_id_number
from desk_league.exports.pdf import (
    BODY_FONT,
    Progress,
    build_document,
    draw_text,
    missing_glyphs,
    paragraph,
    paragraph_style,
    register_fonts,
    table,
    title_style,
    wrap_text,
)

SEAL_SIZE = 40 * mm
SUMMARY_KINDS = 6  # kinds of service named in the summary line; the table lists them all


@dataclass
class ServiceProof:
    number: str
    name: str
    gender: str
    id_type: str
    id_number: str
    volunteer_number: str
    unit: str
    period_from: date
    period_to: date
    total_hours: float
    records: list[dict] = field(default_factory=list)  # served_on, content, place, organiser, hours
    issuer: str = ""
    signer: str = ""
    handler: str = ""
    contact: str = ""
    issued_on: date = field(default_factory=date.today)

    def content_summary(self) -> str:
        """The kinds of service, most frequent first: 健康宣教 5 次、义诊咨询 3 次."""
        counts: dict[str, int] = {}
        for record in self.records:
            key = record["content"] or "志愿服务"
            counts[key] = counts.get(key, 0) + 1
        ranked = sorted(counts.items(), key=lambda item: -item[1])
        text = "、".join(f"{name} {n} 次" for name, n in ranked[:SUMMARY_KINDS])
        return text + ("等" if len(ranked) > SUMMARY_KINDS else "")

    def texts(self) -> str:
        """Every piece of text the page will show (for the glyph check)."""
        parts = [
            self.name,
            self.unit,
            self.issuer,
            self.signer,
            self.handler,
            self.contact,
            self.number,
            self.content_summary(),
        ]
        parts += [f"{r['content']}{r['place']}{r['organiser']}" for r in self.records]
        return "".join(parts)


def proof_missing_glyphs(proofs: Sequence[ServiceProof]) -> list[tuple[str, list[str]]]:
    """Volunteers whose names or records hold characters the bundled font cannot print."""
    found = []
    for proof in proofs:
        missing = missing_glyphs(proof.texts())
        if missing:
            found.append((proof.name, missing))
    return found


def write_service_proofs(
    path: str | os.PathLike[str],
    proofs: Sequence[ServiceProof],
    *,
    seal_image: Path | None = None,
    mask_ids: bool = False,
    progress: Progress | None = None,
) -> Path:
    """One PDF with every proof, each starting on a new page."""
    flowables: list[Flowable] = []
    for i, proof in enumerate(proofs):
        if i:
            flowables.append(PageBreak())
        flowables += _proof(proof, seal_image, mask_ids)
    title = "志愿服务证明" if len(proofs) != 1 else f"志愿服务证明 {proofs[0].name}"
    return build_document(
        path, flowables, title=title, footer_page_numbers=False, progress=progress
    )


def _proof(proof: ServiceProof, seal_image: Path | None, mask_ids: bool) -> list[Flowable]:
    body = paragraph_style(13, leading=24, first_line_indent=26, align="justify")
    id_text = mask_id_number(proof.id_number) if mask_ids and proof.id_number else proof.id_number
    period = f"{_date(proof.period_from)}至{_date(proof.period_to)}"
    unit = f"{proof.unit}" if proof.unit else ""
    statement = (
        f"兹证明{proof.name}（性别：{proof.gender or '—'}，{proof.id_type}号码：{id_text or '—'}，"
        f"志愿者编号：{proof.volunteer_number}）{('系' + unit + '的') if unit else '为'}注册志愿者，"
        f"于{period}期间参加志愿服务 {len(proof.records)} 次，"
        f"经审核累计志愿服务时长 {proof.total_hours:g} 小时。"
    )
    content = f"主要服务内容：{proof.content_summary() or '—'}。"
    return [
        paragraph(f"编号：{proof.number}", paragraph_style(11, align="right", name="number")),
        Spacer(1, 6 * mm),
        paragraph("志愿服务证明", title_style(26, space_after=10 * mm)),
        paragraph(statement, body),
        paragraph(content, body),
        paragraph("服务记录如下：", body),
        Spacer(1, 2 * mm),
        _records_table(proof),
        Spacer(1, 4 * mm),
        # The closing line stays with the signatures and seal if the table fills the page.
        KeepTogether(
            [paragraph("特此证明。", body), Spacer(1, 8 * mm), _IssuerBlock(proof, seal_image)]
        ),
    ]


def _records_table(proof: ServiceProof):
    rows: list[list[object]] = [
        ["序号", "服务日期", "服务内容", "服务地点", "组织单位", "时长(小时)"]
    ]
    for n, record in enumerate(proof.records, start=1):
        rows.append(
            [
                n,
                f"{record['served_on']:%Y-%m-%d}",
                record["content"],
                record["place"],
                record["organiser"],
                f"{record['hours']:g}",
            ]
        )
    rows.append(["合计", "", "", "", "", f"{proof.total_hours:g}"])
    widths = [12 * mm, 24 * mm, 42 * mm, 42 * mm, 34 * mm, 20 * mm]
    return table(rows, widths, font_size=9.5)


def _date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


class _IssuerBlock(Flowable):
    """The signatures of a proof: 负责人, 经办人 and the phone on the left; on the right the
    issuing organisation and the date, with the seal stamped across both (骑年盖月).

    Each value wraps within its own column, so a long name never runs into the next label, and
    the seal (in the right column) never covers the handler's name or phone.
    """

    LINE = 8 * mm
    SIZE = 12.5
    SPLIT = 0.5  # the signers' column takes the left half

    def __init__(self, proof: ServiceProof, seal_image: Path | None) -> None:
        super().__init__()
        self.proof, self.seal_image = proof, seal_image

    def _columns(self, width: float) -> tuple[list[str], list[str]]:
        font, size, proof = BODY_FONT, self.SIZE, self.proof
        blank = "　" * 6
        signers = [
            f"负责人：{proof.signer or blank}",
            f"经办人：{proof.handler or blank}",
            f"联系电话：{proof.contact or blank}",
        ]
        left = [line for text in signers for line in wrap_text(text, font, size, width * 0.46)]
        issuer = f"{proof.issuer}（盖章）" if proof.issuer else "出具单位（盖章）"
        right = wrap_text(issuer, font, size, width * (1 - self.SPLIT) - 4 * mm)
        return left, [*right, chinese_date(proof.issued_on)]

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        left, right = self._columns(avail_width)
        lines = max(len(left), len(right))
        self.height = max(self.LINE * lines, SEAL_SIZE) + 6 * mm
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        register_fonts()
        canvas.setFillColor(colors.black)
        left, right = self._columns(self.width)
        top = self.height - self.LINE
        for i, line in enumerate(left):
            draw_text(canvas, 0, top - i * self.LINE, line, BODY_FONT, self.SIZE)
        centre_x = self.width * (1 + self.SPLIT) / 2
        for i, line in enumerate(right):
            draw_text(
                canvas, centre_x, top - i * self.LINE, line, BODY_FONT, self.SIZE, align="center"
            )
        if self.seal_image is not None:
            # midway between the issuer's first line and the date: the seal covers both
            last = top - (len(right) - 1) * self.LINE
            centre_y = (top + last) / 2 + self.SIZE * 0.35
            canvas.drawImage(
                str(self.seal_image),
                centre_x - SEAL_SIZE / 2,
                centre_y - SEAL_SIZE / 2,
                SEAL_SIZE,
                SEAL_SIZE,
                mask="auto",
            )
