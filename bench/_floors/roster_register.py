"""P3's floor: the volunteer roster written by hand, as a whole process.

    python bench/_floors/roster_register.py DB OUT.xlsx

What a programmer would write without the app: the standard library's sqlite3 for the query
(the same rows, joins, hours and order as 志愿者花名册) and openpyxl's write-only mode for the
file, with no styling, no page set-up and no column sizing.
"""

import sqlite3
import sys
from datetime import date

from openpyxl import Workbook

THRESHOLDS = (100, 300, 600, 1000, 1500)
STARS = ["", "一星", "二星", "三星", "四星", "五星"]
STATUS = {"active": "在册", "inactive": "暂停", "left": "退出"}
QUERY = """
SELECT v.number, p.name, p.gender, p.id_number, p.phone, o.unit, p.department,
       p.political_status, v.team, v.registered_on, v.status,
       (SELECT coalesce(sum(r.hours), 0) FROM service_record r
         WHERE r.volunteer_id = v.id AND r.status = 'approved') AS total_hours
FROM volunteer v JOIN person p ON v.person_id = p.id
LEFT JOIN organisation o ON p.organisation_id = o.id
WHERE v.deleted_at IS NULL
ORDER BY p.name_strokes, p.id, v.number
"""


def main(db: str, out: str) -> None:
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("花名册")
    sheet.append(["青年志愿者花名册"])
    sheet.append(
        [
            "序号",
            "志愿者编号",
            "姓名",
            "性别",
            "身份证号",
            "联系电话",
            "单位",
            "科室",
            "政治面貌",
            "服务队",
            "注册日期",
            "状态",
            "累计时长",
            "星级",
        ]
    )
    for seq, row in enumerate(connection.execute(QUERY), start=1):
        number, name, gender, idn, phone, unit, dept, political, team, registered, status, hours = (
            row
        )
        masked = idn[:6] + "*" * (len(idn) - 10) + idn[-4:] if idn else ""
        star = STARS[sum(hours >= t for t in THRESHOLDS)]
        day = date.fromisoformat(registered) if registered else None
        sheet.append(
            [
                seq,
                number,
                name,
                gender,
                masked,
                phone,
                unit,
                dept,
                political,
                team,
                day,
                STATUS.get(status, status),
                hours,
                star,
            ]
        )
    workbook.save(out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
