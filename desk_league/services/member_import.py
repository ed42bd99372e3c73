"""Importing 团员名册, 团干部名册 and the list of organisations: the database side of three roster
kinds (their columns and row checks are in ``imports/roster.py``).

The machinery is ``volunteer_import``'s (preview, all-or-nothing or valid rows only, the errors
workbook, 新建缺少的团组织); this module adds what each file means for the database:

- 团员名册: a person on file under the row's ID number gets the 团员 role (nobody is typed
  twice: a volunteer becomes a volunteer who is a 团员); a member already on the register is
  skipped, or updated when asked. 所在团组织 is an organisation's name (or its unit's).
- 团干部名册: one row per post; the person (and their 团员 role) is found or made, the post is
  added unless it is already held; the organisation's 书记 follows its 书记 post.
- 团组织名单: 团委 / 团总支 / 团支部 with their parents, parents first whatever the row order.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from desk_league.data.models import LeagueMember, LeaguePost, Organisation, Person
from desk_league.domain.codes import MemberStatus, OrgKind
from desk_league.domain.text import remove_spaces
from desk_league.errors import ValidationError
from desk_league.imports.roster import RowError
from desk_league.services.members import post_is_current, post_label, sync_secretaries
from desk_league.services.people import (
    PersonInput,
    insert_people,
    unit_organisations,
    update_person,
)
from desk_league.services.progress import Progress
from desk_league.services.volunteer_import import (
    IMPORTERS,
    UPDATE,
    ImportPreview,
    ImportResult,
    OnFile,
    _chunks,
    _column,
    _create_units,
    _Importer,
    _rows_to_save,
)

PERSON_COLUMNS = (
    "name",
    "gender",
    "ethnicity",
    "id_type",
    "birth_date",
    "phone",
    "department",
    "political_status",
    "education",
    "league_joined_on",
)


# --- where each row belongs --------------------------------------------------------------------


def _organisation_names(session: Session) -> dict[str, int]:
    """Organisation name (spaces ignored) → id; then unit name → its first organisation."""
    rows = session.execute(
        select(Organisation.id, Organisation.name)
        .where(Organisation.deleted_at.is_(None))
        .order_by(Organisation.id)
    )
    names: dict[str, int] = {}
    for org_id, name in rows:
        names.setdefault(remove_spaces(name), org_id)
    return names


def _resolve_organisations(
    session: Session, preview: ImportPreview, create_units: bool, *, required: bool
) -> None:
    """``organisation_id`` of each row: the organisation it names, else its unit's; an unknown
    one is an error, or is created when the clerk chose 新建缺少的团组织."""
    names = _organisation_names(session)
    units = unit_organisations(session)
    title = _column(preview, "organisation", "所在团组织")
    errors: list[RowError] = []
    new: dict[str, int] = {}
    for record in preview.check.records:
        named, unit = record["organisation"], record.get("unit", "")
        found = names.get(remove_spaces(named)) if named else None
        if found is None and not named and unit:
            found = units.get(unit)
        if found is None and named:
            found = units.get(named)  # a unit's name in the 团组织 column
        record["organisation_id"] = found
        wanted = named or unit
        if found is not None or not wanted:
            continue
        new.setdefault(wanted, record["row"])
        if create_units:
            record["organisation"] = wanted
            continue
        errors.append(
            RowError(
                record["row"],
                title if named else _column(preview, "unit", "工作单位"),
                f"“{wanted}”不在团组织名单中",
                record["name"],
                "改为团组织名单中的名称，或先在“团组织”页添加；也可选“新建缺少的团组织”",
            )
        )
    if required:
        for record in preview.check.records:
            if record["organisation_id"] is None and not record["organisation"]:
                errors.append(RowError(record["row"], title, "请填写团组织", record["name"]))
    preview.new_units, preview.unknown_units = (list(new), []) if create_units else ([], list(new))
    preview.check.reject(errors)


def _people_on_file(session: Session, id_numbers: list[str]) -> dict[str, tuple[int, str]]:
    """ID number → (person id, name) of the people already on file (recycle bin included)."""
    known: dict[str, tuple[int, str]] = {}
    for chunk in _chunks(id_numbers, 500):
        for idn, pid, name in session.execute(
            select(Person.id_number, Person.id, Person.name).where(Person.id_number.in_(chunk))
        ):
            if idn:
                known[idn] = (pid, name)
    return known


def _memberships(session: Session, person_ids: list[int]) -> dict[int, LeagueMember]:
    found: dict[int, LeagueMember] = {}
    for chunk in _chunks(person_ids, 500):
        for member in session.scalars(
            select(LeagueMember).where(LeagueMember.person_id.in_(chunk))
        ):
            found[member.person_id] = member
    return found


# --- 团员名册 ---------------------------------------------------------------------------------------


def _resolve_members(session: Session, preview: ImportPreview, create_units: bool) -> None:
    _resolve_organisations(session, preview, create_units, required=False)
    records = preview.check.records
    people = _people_on_file(session, [r["id_number"] for r in records if r["id_number"]])
    members = _memberships(session, [pid for pid, _ in people.values()])
    numbers = {
        number: person_id
        for number, person_id in session.execute(
            select(LeagueMember.number, LeagueMember.person_id).where(
                LeagueMember.number.is_not(None)
            )
        )
    }
    errors, on_file = [], []
    for record in records:
        person_id = people.get(record["id_number"], (None, ""))[0]
        record["person_id"] = person_id
        holder = numbers.get(record["number"]) if record["number"] else None
        if holder is not None and holder != person_id:
            errors.append(
                RowError(
                    record["row"],
                    _column(preview, "number", "团员编号"),
                    f"团员编号 {record['number']} 已是另一位团员的编号",
                    record["name"],
                )
            )
        member = members.get(person_id) if person_id is not None else None
        if member is not None and member.deleted_at is None:
            on_file.append(
                OnFile(
                    record["row"],
                    record["id_number"],
                    record["name"],
                    member.id,
                    member.number or "",
                    "已在团员名册中",
                )
            )
    preview.on_file = on_file
    preview.check.reject(errors)


def _commit_members(
    session: Session,
    preview: ImportPreview,
    on_duplicate: str,
    _keep_status: bool,
    today: date,
    progress: Progress,
) -> ImportResult:
    records = _rows_to_save(preview, on_duplicate)
    result = ImportResult(skipped=len(preview.check.records) - len(records))
    result.units_created = _create_units(session, preview, records, key="organisation")
    on_file = {d.id_number: d for d in preview.on_file}
    fresh = [r for r in records if r["person_id"] is None]
    progress.step(0, len(records), "正在保存…")
    for n, record in enumerate(r for r in records if r["person_id"] is not None):
        known = on_file.get(record["id_number"])
        if known is not None and on_duplicate != UPDATE:
            result.skipped += 1
            continue
        _member_role(session, record, today, update_all=known is not None)
        if known is not None:
            result.updated += 1
        else:
            result.created += 1
        progress.step(n, len(records))
    result.created += _insert_members(session, fresh)
    progress.step(len(records), len(records))
    return result


def _person_values(record: dict) -> dict[str, Any]:
    values = {key: record.get(key) for key in PERSON_COLUMNS}
    for key in ("gender", "ethnicity", "phone", "department", "political_status", "education"):
        values[key] = values[key] or ""
    return values | {
        "id_number": record["id_number"] or None,
        "organisation_id": record["organisation_id"],
        "note": "",
    }


def _insert_members(session: Session, records: list[dict]) -> int:
    """New people and their 团员 role, in bulk (a roster of thousands in seconds); the audit
    gets the import's one summary line."""
    if not records:
        return 0
    person_ids = insert_people(session, [_person_values(r) for r in records])
    session.execute(
        insert(LeagueMember),
        [
            _member_values(r) | {"person_id": pid}
            for r, pid in zip(records, person_ids, strict=True)
        ],
    )
    return len(records)


def _member_values(record: dict) -> dict[str, Any]:
    left = record.get("status", MemberStatus.ACTIVE) != MemberStatus.ACTIVE
    return {
        "number": record.get("number") or None,
        "status": record.get("status") or MemberStatus.ACTIVE,
        "left_on": record.get("left_on") if left else None,
        "left_reason": "",
        "note": record.get("note", ""),
    }


def _member_role(session: Session, record: dict, today: date, *, update_all: bool) -> LeagueMember:
    """The person on file gets (or, ``update_all``, has refreshed) the 团员 role. Their details
    are only filled in where blank unless ``update_all``: the file adds, it does not overwrite."""
    person = session.get(Person, record["person_id"])
    assert person is not None
    values = _person_values(record)
    if update_all:
        update_person(session, person.id, _input(values, record["id_number"]), today)
    else:
        for key, value in values.items():
            if value and not getattr(person, key):
                setattr(person, key, value)
    person.deleted_at = None  # typed in again: out of the recycle bin
    member = session.scalar(select(LeagueMember).where(LeagueMember.person_id == person.id))
    if member is None:
        member = LeagueMember(person_id=person.id, **_member_values(record))
        session.add(member)
    elif update_all or member.deleted_at is not None:
        for key, value in _member_values(record).items():
            if value or update_all:
                setattr(member, key, value)
    member.deleted_at = None
    session.flush()
    return member


def _input(values: dict[str, Any], id_number: str) -> PersonInput:
    fields = {k: v for k, v in values.items() if k in PersonInput.__dataclass_fields__}
    fields["id_number"] = id_number
    return PersonInput(**fields)


# --- 团干部名册 ---------------------------------------------------------------------------------------


def _resolve_cadres(session: Session, preview: ImportPreview, create_units: bool) -> None:
    _resolve_organisations(session, preview, create_units, required=True)
    records = preview.check.records
    people = _people_on_file(session, [r["id_number"] for r in records if r["id_number"]])
    held = {
        (person_id, org_id, post): post_id
        for post_id, person_id, org_id, post in session.execute(
            select(
                LeaguePost.id, LeaguePost.person_id, LeaguePost.organisation_id, LeaguePost.post
            ).where(post_is_current(date.today()))
        )
    }
    on_file = []
    for record in records:
        record["person_id"] = people.get(record["id_number"], (None, ""))[0]
        key = (record["person_id"], record["organisation_id"], record["post"])
        if record["person_id"] is not None and key in held:
            on_file.append(
                OnFile(
                    record["row"],
                    record["id_number"],
                    record["name"],
                    held[key],
                    "",
                    f"已任{record['organisation']}{post_label(record['post'], record['title'])}",
                )
            )
    preview.on_file = on_file


def _rows_by_post(preview: ImportPreview, on_duplicate: str) -> list[dict]:
    """One record per person and post (a person may hold several posts, one row each)."""
    chosen: dict[tuple, dict] = {}
    for record in preview.check.records:
        key = (record["id_number"], record["organisation"], record["post"], record["title"])
        if key not in chosen or on_duplicate == UPDATE:
            chosen[key] = record
    return sorted(chosen.values(), key=lambda r: r["row"])


def _commit_cadres(
    session: Session,
    preview: ImportPreview,
    on_duplicate: str,
    _keep_status: bool,
    today: date,
    progress: Progress,
) -> ImportResult:
    records = _rows_by_post(preview, on_duplicate)
    result = ImportResult(skipped=len(preview.check.records) - len(records))
    result.units_created = _create_units(session, preview, records, key="organisation")
    on_file = {(d.row): d for d in preview.on_file}
    people: dict[str, int] = {}
    touched: set[int] = set()
    for n, record in enumerate(records):
        progress.step(n, len(records), "正在保存…")
        known = on_file.get(record["row"])
        if known is not None and on_duplicate != UPDATE:
            result.skipped += 1
            continue
        record["person_id"] = record["person_id"] or people.get(record["id_number"])
        if record["person_id"] is None:
            _insert_members(session, [record | {"status": MemberStatus.ACTIVE}])
            record["person_id"] = session.scalar(
                select(Person.id).where(Person.id_number == record["id_number"])
            )
        else:
            _member_role(session, record | {"status": MemberStatus.ACTIVE}, today, update_all=False)
        people[record["id_number"]] = record["person_id"]
        post = session.get(LeaguePost, known.record_id) if known is not None else None
        if post is None:
            post = LeaguePost(
                person_id=record["person_id"], organisation_id=record["organisation_id"]
            )
            session.add(post)
            result.created += 1
        else:
            result.updated += 1
        post.post, post.title = record["post"], record["title"]
        post.started_on, post.ended_on = record["started_on"], record["ended_on"]
        touched.add(record["organisation_id"])
    session.flush()
    sync_secretaries(session, touched, today)
    progress.step(len(records), len(records))
    return result


# --- 团组织名单 ---------------------------------------------------------------------------------------


def _resolve_organisation_list(session: Session, preview: ImportPreview, _create: bool) -> None:
    """Parents are in the file (any row) or on file already; names are unique; no cycles."""
    existing = _organisation_names(session)
    records = preview.check.records
    in_file: dict[str, dict] = {}
    errors = []
    for record in records:
        key = remove_spaces(record["name"])
        if key in in_file:
            errors.append(
                RowError(
                    record["row"],
                    _column(preview, "name", "团组织名称"),
                    f"与第 {in_file[key]['row']} 行重名",
                    record["name"],
                )
            )
            continue
        in_file[key] = record
    for record in records:
        parent = remove_spaces(record["parent"])
        if parent and parent not in in_file and parent not in existing:
            errors.append(
                RowError(
                    record["row"],
                    _column(preview, "parent", "上级组织"),
                    f"上级组织“{record['parent']}”既不在本表中，也不在团组织名单中",
                    record["name"],
                    "先写上级组织的那一行，或核对名称",
                )
            )
        elif parent == remove_spaces(record["name"]):
            errors.append(
                RowError(
                    record["row"], _column(preview, "parent", "上级组织"), "上级组织不能是它自己",
                    record["name"],
                )
            )  # fmt: skip
    preview.check.reject(errors)
    preview.check.reject(_cycles(preview, in_file))
    preview.on_file = [
        OnFile(r["row"], "", r["name"], existing[remove_spaces(r["name"])], "", "已在团组织名单中")
        for r in preview.check.records
        if remove_spaces(r["name"]) in existing
    ]


def _cycles(preview: ImportPreview, in_file: dict[str, dict]) -> list[RowError]:
    errors = []
    for key, record in in_file.items():
        seen, current = {key}, remove_spaces(record["parent"])
        while current in in_file:
            if current in seen:
                errors.append(
                    RowError(
                        record["row"],
                        _column(preview, "parent", "上级组织"),
                        "上级组织绕成了一个圈",
                        record["name"],
                    )
                )
                break
            seen.add(current)
            current = remove_spaces(in_file[current]["parent"])
    return errors


def _commit_organisation_list(
    session: Session,
    preview: ImportPreview,
    on_duplicate: str,
    _keep_status: bool,
    _today: date,
    progress: Progress,
) -> ImportResult:
    existing = _organisation_names(session)
    records = {remove_spaces(r["name"]): r for r in preview.check.records}
    result = ImportResult()
    done: dict[str, int] = dict(existing)
    position = 0

    def save(key: str, record: dict) -> int:
        nonlocal position
        parent_key = remove_spaces(record["parent"])
        parent_id = None
        if parent_key:
            parent_id = done.get(parent_key)
            if parent_id is None or (parent_key in records and parent_key not in saved):
                parent_id = save(parent_key, records[parent_key])
        org = session.get(Organisation, existing[key]) if key in existing else None
        if org is not None and on_duplicate != UPDATE:
            result.skipped += 1
        else:
            if org is None:
                org = Organisation(name=record["name"], position=position)
                session.add(org)
                result.created += 1
            else:
                result.updated += 1
            org.kind = OrgKind(record["kind"])
            org.parent_id = parent_id if parent_key else org.parent_id
            for column in ("unit", "established_on", "term_start", "contact", "phone"):
                if record[column] or on_duplicate == UPDATE:
                    setattr(org, column, record[column] or getattr(org, column))
            position += 1
            session.flush()
        saved.add(key)
        done[key] = org.id
        return org.id

    saved: set[str] = set()
    for n, (key, record) in enumerate(records.items()):
        progress.step(n, len(records), "正在保存…")
        if key not in saved:
            save(key, record)
    if not records:
        raise ValidationError("没有可以导入的团组织。")
    return result


IMPORTERS["members"] = _Importer(_resolve_members, _commit_members, "league_member")
IMPORTERS["cadres"] = _Importer(_resolve_cadres, _commit_cadres, "league_post")
IMPORTERS["organisations"] = _Importer(
    _resolve_organisation_list, _commit_organisation_list, "organisation"
)
