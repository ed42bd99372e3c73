"""P5's floor: a plain openpyxl parse of the roster, as a whole process.

    OPENPYXL_DEFUSEDXML=False python bench/_floors/parse_workbook.py FILE.xlsx

openpyxl's read-only mode reading every cell's value, without defusedxml (the bench sets
OPENPYXL_DEFUSEDXML=False, so openpyxl parses with lxml directly, as it does where defusedxml
is not installed).
"""

import sys

from openpyxl import load_workbook


def main(path: str) -> None:
    workbook = load_workbook(path, read_only=True, data_only=True)
    rows = sum(1 for _row in workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    print(rows)


if __name__ == "__main__":
    main(sys.argv[1])
