"""Certificate templates and printing honour certificates (荣誉证书) for a batch or a selection."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from desk_league.data.models import CertificateTemplate, Commendation, Honour, Person
from desk_league.domain.codes import HonourStatus
from desk_league.domain.honours import commendation_scope, full_honour_title
from desk_league.errors import Conflict, ValidationError
from desk_league.exports.certificates import (
    BUILT_IN_TEMPLATES,
    PAGE_SIZES,
    CertificateTemplateData,
    GlyphProblem,
    describe_glyph_problems,
    glyph_problems,
    write_certificate_files,
    write_certificates,
)
from desk_league.services.common import (
    get_live,
    get_to_save,
    move_to_recycle_bin,
    saved_values,
)
from desk_league.services.progress import Progress
from desk_league.services.settings import get_setting

SAMPLE_RECIPIENT: dict[str, Any] = {
    "姓名": "张晓燕",
    "获奖者": "张晓燕同志",
    "单位": "市人民医院",
    "称号": "优秀共青团员",
    "荣誉称号": "2025年度市直卫生系统优秀共青团员",
    "年度": 2025,
    "级别": "系统级",
    "表彰名称": "2025年度市直卫生系统共青团先进集体和先进个人",
    "文号": "卫团发〔2026〕3号",
    "授予单位": "市卫生健康委团委",
    "日期": date(2026, 5, 4),
    "证书编号": "2025-001",
}


# --- templates ----------------------------------------------------------------------------


@dataclass
class TemplateInput:
    name: str
    title: str = "荣誉证书"
    body: str = ""
    issuer: str = ""
    page_size: str = "A4"
    landscape: bool = True
    layout: dict = field(default_factory=dict)
    kind: str = "honour"
    version: int | None = field(default=None, kw_only=True)  # as the form loaded it


def template_choices(session: Session, kind: str = "honour") -> list[tuple[int, str]]:
    rows = session.execute(
        select(CertificateTemplate.id, CertificateTemplate.name)
        .where(CertificateTemplate.deleted_at.is_(None), CertificateTemplate.kind == kind)
        .order_by(CertificateTemplate.id)
    )
    return [(row.id, row.name) for row in rows]


def template_input(session: Session, template_id: int) -> TemplateInput:
    template = get_live(session, CertificateTemplate, template_id, "证书模板")
    return TemplateInput(
        name=template.name,
        title=template.title,
        body=template.body,
        issuer=template.issuer,
        page_size=template.page_size,
        landscape=template.landscape,
        layout=dict(template.layout or {}),
        kind=template.kind,
        version=template.version,
    )


def template_data(data: TemplateInput) -> CertificateTemplateData:
    return CertificateTemplateData(
        title=data.title,
        body=data.body,
        issuer=data.issuer,
        page_size=data.page_size,
        landscape=data.landscape,
        layout=data.layout,
    )


def _validate_template(data: TemplateInput) -> None:
    if not data.name.strip():
        raise ValidationError("请填写模板名称。", field="模板名称")
    if data.page_size not in PAGE_SIZES:
        raise ValidationError("纸张应为 A4 或 A3。", field="纸张")
    # Renders the sample once: an unknown {placeholder} or a missing image shows now, not at print time.
    template = template_data(data)
    problems = glyph_problems(template, [SAMPLE_RECIPIENT])
    if problems:
        raise ValidationError(
            "所选字体缺少模板文字中的字符：" + "、".join(p.character for p in problems),
            field="字体",
        )


def save_template(
    session: Session, data: TemplateInput, template_id: int | None = None
) -> CertificateTemplate:
    _validate_template(data)
    if template_id is None:
        template = CertificateTemplate()
        session.add(template)
    else:
        template = get_to_save(session, CertificateTemplate, template_id, data.version, "证书模板")
    for key, value in saved_values(data).items():
        setattr(template, key, value)
    template.name = data.name.strip()
    session.flush()
    return template


def delete_template(session: Session, template_id: int) -> None:
    template = get_live(session, CertificateTemplate, template_id, "证书模板")
    in_use = session.scalar(
        select(Commendation.title).where(
            Commendation.template_id == template_id, Commendation.deleted_at.is_(None)
        )
    )
    if in_use:
        raise Conflict(f"模板“{template.name}”正被表彰“{in_use}”使用，请先为该表彰换用其他模板。")
    move_to_recycle_bin(session, template)


def write_preview(data: TemplateInput, path: Path) -> Path:
    """One sample certificate, background shown even when it is pre-printed stock."""
    return write_certificates(
        path, template_data(data), [SAMPLE_RECIPIENT], preview=True, check_glyphs=False
    )


# --- recipients ---------------------------------------------------------------------------


def certificate_recipient(honour: Honour, office_scope: str = "") -> dict[str, Any]:
    """The placeholder values of one honour's certificate.

    {荣誉称号} carries the year and the scope: 2025年度市直卫生系统优秀共青团员. The scope is
    read from the batch's title, else (a 系统级 honour) from the office's short name.
    """
    name = honour.recipient_name
    person = honour.person
    unit_org = person.organisation if person is not None else honour.organisation
    batch_title = honour.commendation.title if honour.commendation is not None else ""
    scope = commendation_scope(batch_title) or (office_scope if honour.level == "系统级" else "")
    title = honour.title or honour.honour_type.name
    return {
        "姓名": name,
        "获奖者": f"{name}同志" if person is not None else name,
        "单位": unit_org.unit if unit_org is not None else "",
        "称号": title,
        "荣誉称号": full_honour_title(honour.year, scope, title),
        "年度": honour.year,
        "级别": honour.level,
        "表彰名称": batch_title,
        "文号": honour.document_number,
        "授予单位": honour.granting_body,
        "日期": honour.granted_on,
        "证书编号": honour.certificate_number or "",
    }


def honours_to_print(
    session: Session, *, batch_id: int | None = None, honour_ids: list[int] | None = None
) -> list[Honour]:
    """The honours to print, each with what its certificate names (person and unit, collective,
    batch, type) read in the same query: 500 certificates are one statement, not 2,000."""
    stmt = (
        select(Honour)
        .options(
            joinedload(Honour.person).joinedload(Person.organisation),
            joinedload(Honour.organisation),
            joinedload(Honour.commendation),
            joinedload(Honour.honour_type),
        )
        .where(Honour.deleted_at.is_(None), Honour.status == HonourStatus.ACTIVE)
    )
    if batch_id is not None:
        get_live(session, Commendation, batch_id, "表彰批次")
        stmt = stmt.where(Honour.commendation_id == batch_id)
    if honour_ids is not None:
        stmt = stmt.where(Honour.id.in_(honour_ids))
    honours = list(session.scalars(stmt.order_by(Honour.certificate_number, Honour.id)))
    if not honours:
        raise ValidationError("没有可打印证书的荣誉（已撤销或尚在推荐中的不打印）。", field="荣誉")
    unnumbered = [h.recipient_name for h in honours if not h.certificate_number]
    if unnumbered:
        raise ValidationError(
            "以下荣誉还没有证书编号，请先“分配证书编号”："
            + "、".join(unnumbered[:10])
            + (f" 等 {len(unnumbered)} 项" if len(unnumbered) > 10 else ""),
            field="证书编号",
        )
    return honours


def _template_id_for(session: Session, template_id: int | None, batch_id: int | None) -> int:
    if template_id is None and batch_id is not None:
        template_id = get_live(session, Commendation, batch_id, "表彰批次").template_id
    if template_id is None:
        choices = template_choices(session)
        if not choices:
            raise ValidationError("还没有荣誉证书模板，请先在“证书模板”中新建。", field="证书模板")
        template_id = choices[0][0]
    return template_id


class MissingGlyphs(ValidationError):
    """Characters neither the chosen font nor the bundled one can print: nothing was printed.
    ``problems`` lists them per recipient, for whoever shows them."""

    def __init__(self, problems: list[GlyphProblem]) -> None:
        listed, more = describe_glyph_problems(problems)
        super().__init__(
            "所选字体和内置字体都缺少以下字符，打印会成为方框，未生成证书。\n"
            f"请换用含这些字的字体（证书模板 → 字体），或改用常用字：\n{listed}{more}",
            field="字体",
        )
        self.problems = problems


@dataclass
class CertificateJob:
    """Everything needed to print, gathered in one read so the PDF work needs no session."""

    template: CertificateTemplateData
    recipients: list[dict[str, Any]]
    title: str
    template_id: int

    def problems(self) -> list[GlyphProblem]:
        return glyph_problems(self.template, self.recipients)


def prepare_certificates(
    session: Session,
    *,
    batch_id: int | None = None,
    honour_ids: list[int] | None = None,
    template_id: int | None = None,
) -> CertificateJob:
    honours = honours_to_print(session, batch_id=batch_id, honour_ids=honour_ids)
    template_id = _template_id_for(session, template_id, batch_id)
    template = template_data(template_input(session, template_id))
    title = (
        get_live(session, Commendation, batch_id, "表彰批次").title
        if batch_id is not None
        else "荣誉证书"
    )
    scope = office_scope(session)
    recipients = [certificate_recipient(h, scope) for h in honours]
    return CertificateJob(template, recipients, title, template_id)


def office_scope(session: Session) -> str:
    """The system the office leads: 市直卫生系统 out of its short name 市直卫生系统团委."""
    short = str(get_setting(session, "office_short_name")).strip()
    return short.removesuffix("团委") if short.endswith("团委") else ""


def built_in_template_names() -> list[str]:
    return list(BUILT_IN_TEMPLATES)


def built_in_template(name: str) -> TemplateInput:
    """A built-in template (个人·横版 …) as a new template the editor starts from."""
    if name not in BUILT_IN_TEMPLATES:
        raise ValidationError(f"没有名为“{name}”的内置模板。", field="内置模板")
    data = BUILT_IN_TEMPLATES[name]
    return TemplateInput(
        name=f"荣誉证书（{name}）",
        title=data.title,
        body=data.body,
        issuer=data.issuer,
        page_size=data.page_size,
        landscape=data.landscape,
        layout=dict(data.layout),
    )


@dataclass
class CertificateOutput:
    combined: Path | None
    files: list[Path]
    count: int


def write_job(
    job: CertificateJob,
    out_dir: str | Path,
    *,
    combined: bool = True,
    separate: bool = False,
    progress: Progress | None = None,
) -> CertificateOutput:
    """The PDFs: one combined file and/or one per recipient (证书编号_姓名.pdf) in ``out_dir``.

    Every character is checked first, once for all the files: ``MissingGlyphs`` when one cannot
    be printed, and then nothing is written."""
    if not combined and not separate:
        raise ValidationError("请至少选择“合并为一个文件”或“每人一个文件”。", field="输出方式")
    problems = job.problems()
    if problems:
        raise MissingGlyphs(problems)
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    combined_path = None
    steps = (1 if combined else 0) + (1 if separate else 0)
    if combined:
        combined_path = write_certificates(
            folder / f"{_safe(job.title)}_荣誉证书.pdf",
            job.template,
            job.recipients,
            title=job.title,
            progress=_share(progress, 0, steps, len(job.recipients)),
            check_glyphs=False,  # checked above
        )
    files = []
    if separate:
        files = write_certificate_files(
            folder,
            job.template,
            job.recipients,
            progress=_share(progress, 1 if combined else 0, steps, len(job.recipients)),
            check_glyphs=False,  # checked above
        )
    return CertificateOutput(combined_path, files, len(job.recipients))


def _share(progress: Progress | None, part: int, parts: int, total: int):
    """Progress of one of several passes over the same recipients, as one bar."""
    if progress is None:
        return None
    return lambda done, _total: progress.step(
        part * total + done, parts * total, f"{part * total + done}/{parts * total}"
    )


def _safe(text: str) -> str:
    return re.sub(r'[<>:"/\\|?*\x00-\x1f]', "_", text).strip(" .")[:80] or "荣誉证书"
