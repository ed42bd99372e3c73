"""志愿服务证明: issuing numbered service certificates for a date range, one or in batch.

A proof counts approved records only. Each issue takes the next number of the year (setting
``service_proof_pattern``) and is kept in ``service_certificate``, so numbers are unique and
never reused; if the PDF cannot be written the whole transaction, numbers included, rolls back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk_league.data.models import ServiceCertificate, ServiceRecord, Volunteer
from desk_league.domain.codes import ServiceStatus
from desk_league.errors import ValidationError
from desk_league.exports.service_proof import (
    ServiceProof,
    proof_missing_glyphs,
    write_service_proofs,
)
from desk_league.resources import resources_dir
from desk_league.services.common import get_live, with_fresh_number
from desk_league.services.progress import NO_PROGRESS, Progress
from desk_league.services.settings import get_setting, numbering, set_setting


def seal_image(session: Session) -> Path | None:
    """The seal picture from the settings (a path, or one relative to the resources folder)."""
    value = str(get_setting(session, "seal_image") or "").strip()
    if not value:
        return None
    path = Path(value)
    if not path.is_absolute():
        path = resources_dir() / path
    if not path.is_file():
        raise ValidationError(
            f"找不到公章图片：{path}。请在设置中重新选择公章图片。", field="公章图片"
        )
    return path


@dataclass
class ProofSettings:
    """Who signs the 志愿服务证明 and the seal stamped on it (office settings)."""

    signer: str = ""
    handler: str = ""
    contact: str = ""
    seal_image: str = ""


_PROOF_KEYS = {
    "signer": "service_proof_signer",
    "handler": "service_proof_handler",
    "contact": "service_proof_contact",
    "seal_image": "seal_image",
}


def proof_settings(session: Session) -> ProofSettings:
    return ProofSettings(
        **{field: str(get_setting(session, key) or "") for field, key in _PROOF_KEYS.items()}
    )


def save_proof_settings(session: Session, settings: ProofSettings) -> None:
    """Save the signer lines and the seal; a seal that is not a readable PNG/JPEG is refused."""
    seal = settings.seal_image.strip()
    if seal:
        path = Path(seal)
        if not (path if path.is_absolute() else resources_dir() / path).is_file():
            raise ValidationError(f"找不到公章图片：{seal}", field="公章图片")
        if path.suffix.lower() not in (".png", ".jpg", ".jpeg"):
            raise ValidationError(
                "公章图片应为 PNG 或 JPG 文件（PNG 可带透明背景）。", field="公章图片"
            )
    for field, key in _PROOF_KEYS.items():
        set_setting(session, key, getattr(settings, field).strip())


def _records(session: Session, volunteer_id: int, start: date, end: date) -> list[dict]:
    stmt = (
        select(
            ServiceRecord.served_on,
            ServiceRecord.content,
            ServiceRecord.place,
            ServiceRecord.organiser,
            ServiceRecord.hours,
        )
        .where(
            ServiceRecord.volunteer_id == volunteer_id,
            ServiceRecord.status == ServiceStatus.APPROVED,
            ServiceRecord.served_on.between(start, end),
        )
        .order_by(ServiceRecord.served_on, ServiceRecord.id)
    )
    return [dict(row) for row in session.execute(stmt).mappings()]


PROOF_CLASHES = (("service_certificate", ("year", "seq")), ("service_certificate", ("number",)))


def next_proof_number(session: Session, year: int) -> tuple[int, str]:
    seq = (
        session.scalar(
            select(func.max(ServiceCertificate.seq)).where(ServiceCertificate.year == year)
        )
        or 0
    ) + 1
    return seq, numbering(session, "service_proof_pattern").number(year, seq)


def _proof(
    session: Session, volunteer_id: int, start: date, end: date, issued_on: date
) -> ServiceProof:
    volunteer = get_live(session, Volunteer, volunteer_id, "志愿者")
    person = volunteer.person
    records = _records(session, volunteer_id, start, end)
    if not records:
        raise ValidationError(
            f"{person.name}（{volunteer.number}）在 {start:%Y-%m-%d} 至 {end:%Y-%m-%d} 期间没有已审核的服务记录，"
            "不能出具证明。"
        )
    return ServiceProof(
        number="",
        name=person.name,
        gender=person.gender,
        id_type=person.id_type,
        id_number=person.id_number or "",
        volunteer_number=volunteer.number,
        unit=person.organisation.unit if person.organisation else "",
        period_from=start,
        period_to=end,
        total_hours=sum(r["hours"] for r in records),
        records=records,
        issuer=str(get_setting(session, "office_name")),
        signer=str(get_setting(session, "service_proof_signer")),
        handler=str(get_setting(session, "service_proof_handler")),
        contact=str(get_setting(session, "service_proof_contact")),
        issued_on=issued_on,
    )


def issue_service_proofs(
    session: Session,
    volunteer_ids: Sequence[int],
    start: date,
    end: date,
    path: str | Path,
    *,
    issued_on: date | None = None,
    issued_by: str = "",
    mask_ids: bool = False,
    progress: Progress = NO_PROGRESS,
) -> list[str]:
    """Number and print proofs for the volunteers (one PDF, a page each); returns the numbers."""
    if not volunteer_ids:
        raise ValidationError("请先选择要出具证明的志愿者。")
    if start > end:
        raise ValidationError("起始日期不能晚于截止日期。", field="服务期间")
    issued_on = issued_on or date.today()
    proofs = []
    for n, volunteer_id in enumerate(volunteer_ids):
        progress.step(n, len(volunteer_ids), "正在汇总服务记录…")
        proofs.append(_proof(session, volunteer_id, start, end, issued_on))
    _refuse_missing_glyphs(proofs)
    seal = seal_image(session)
    for volunteer_id, proof in zip(volunteer_ids, proofs, strict=True):

        def issue(
            volunteer_id: int = volunteer_id, proof: ServiceProof = proof
        ) -> ServiceCertificate:
            seq, proof.number = next_proof_number(session, issued_on.year)
            issued = ServiceCertificate(
                volunteer_id=volunteer_id,
                number=proof.number,
                year=issued_on.year,
                seq=seq,
                period_from=start,
                period_to=end,
                hours=proof.total_hours,
                issued_on=issued_on,
                issued_by=issued_by or session.info.get("user", "")[:40],
            )
            session.add(issued)
            session.flush()
            return issued

        with_fresh_number(session, issue, *PROOF_CLASHES)  # another PC's proof took the number
    write_service_proofs(path, proofs, seal_image=seal, mask_ids=mask_ids, progress=progress)
    return [p.number for p in proofs]


def _refuse_missing_glyphs(proofs: Sequence[ServiceProof]) -> None:
    problems = proof_missing_glyphs(proofs)
    if problems:
        detail = "；".join(f"{name}：{''.join(chars)}" for name, chars in problems[:5])
        raise ValidationError(
            f"以下内容含有字体无法显示的字，打印会出现空白方框，请核对后再出具：{detail}"
        )
