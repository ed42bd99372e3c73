"""P3's floor for the records register: 志愿服务记录明细 of a year written by hand.

    python bench/_floors/records_register.py DB YEAR OUT.xlsx

The standard library's sqlite3 (the same rows, joins and order as the app's list) and openpyxl's
write-only mode, with no styling, no page set-up and no column sizing.
"""

import sqlite3
import sys
from datetime import date

from openpyxl import Workbook

STATUS = {"pending": "待审核", "approved": "已审核", "void": "已作废"}
QUERY = """
SELECT r.served_on, v.number, p.name, o.unit, r.content, r.place, r.organiser, r.hours, r.status
FROM service_record r JOIN volunteer v ON r.volunteer_id = v.id
JOIN person p ON v.person_id = p.id LEFT JOIN organisation o ON p.organisation_id = o.id
WHERE r.served_on BETWEEN ? AND ?
ORDER BY r.served_on DESC, r.id DESC
"""


def main(db: str, year: int, out: str) -> None:
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("明细")
    sheet.append(["志愿服务记录明细表"])
    sheet.append(
        [
            "服务日期",
            "志愿者编号",
            "姓名",
            "单位",
            "服务内容",
            "服务地点",
            "组织单位",
            "时长(小时)",
            "状态",
        ]
    )
    for row in connection.execute(QUERY, (f"{year}-01-01", f"{year}-12-31")):
        served, *middle, hours, status = row
        sheet.append([date.fromisoformat(served), *middle, hours, STATUS.get(status, status)])
    workbook.save(out)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3])
