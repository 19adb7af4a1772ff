"""The printable lists of a school-account batch: a PDF to cut into slips, and an XLSX register.

Both carry the same columns: no., school code, school name, cluster, username, one-time password.
They are official hand-outs, so they are always in Thai (like every EMES document).
"""
from __future__ import annotations

from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from emes.models import SchoolAccountBatch
from emes.thai import be_date, be_datetime
from emes.output.pdf import render_pdf

from .services import IssuedAccount, school_display_name

#: Column titles of the register (Thai, the document's language) and their widths in characters.
COLUMNS: list[tuple[str, float]] = [
    ("ที่", 5),
    ("รหัสโรงเรียน", 13),
    ("ชื่อโรงเรียน", 42),
    ("กลุ่มโรงเรียน", 28),
    ("ชื่อผู้ใช้", 13),
    ("รหัสผ่านชั่วคราว", 17),
    ("ลงชื่อผู้รับ", 22),
]
#: The font Thai offices print spreadsheets in (Excel substitutes a Thai font where it is missing).
XLSX_FONT = "TH SarabunPSK"


def _rows(accounts: list[IssuedAccount]) -> list[dict]:
    return [
        {
            "no": i,
            "code": a.school.smis_code,
            "name": school_display_name(a.school),
            "cluster": a.school.cluster,
            # The register's column is headed กลุ่มโรงเรียน already; the short name fits its width.
            "cluster_short": a.school.cluster.removeprefix("กลุ่มโรงเรียน").strip() or a.school.cluster,
            "username": a.username,
            "password": a.password,
            "reset": a.reset,
        }
        for i, a in enumerate(accounts, start=1)
    ]


def _issued_at(batch: SchoolAccountBatch):
    return batch.created_at or timezone.now()


def school_accounts_pdf(batch: SchoolAccountBatch, accounts: list[IssuedAccount], *, login_url: str) -> bytes:
    """The batch's PDF (A4 portrait): a register for the office, then one cut-out slip per school.

    Part 1 lists every account with a column for the receiving school's signature; part 2 gives
    each school its own slip (username, one-time password, where to log in, and that the first
    login asks for a new password), six to a page, so no school sees another's password.
    Raises whatever WeasyPrint raises.
    """
    office = batch.office
    context = {
        "office": office,
        "batch": batch,
        "rows": _rows(accounts),
        "login_url": login_url,
        "issued_on": be_date(_issued_at(batch)),
        "issued_at": be_datetime(_issued_at(batch)),
        "issued_by": (batch.created_by.get_full_name() or batch.created_by.username) if batch.created_by else "",
    }
    return render_pdf("reports/pdf/school_accounts.html", context)


def school_accounts_xlsx(batch: SchoolAccountBatch, accounts: list[IssuedAccount], *, login_url: str) -> bytes:
    """The batch's XLSX register: title rows, a Thai header, one row per account, A4 print setup.

    Codes, usernames and passwords are text cells (format ``@``), so Excel keeps them exactly
    (leading zeros, no scientific notation). The header repeats on every printed page.
    """
    wb = Workbook()
    ws = wb.active
    ws.title = "บัญชีโรงเรียน"
    last_col = get_column_letter(len(COLUMNS))
    base = Font(name=XLSX_FONT, size=14)
    bold = Font(name=XLSX_FONT, size=14, bold=True)
    thin = Side(style="thin", color="777777")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)

    ws["A1"] = f"บัญชีผู้ใช้งานระบบ EMES ของสถานศึกษา {batch.office.full_name}"
    ws["A1"].font = Font(name=XLSX_FONT, size=18, bold=True)
    ws["A2"] = f"ชุดที่ {batch.pk} ออกเมื่อ {be_datetime(_issued_at(batch))} จำนวน {len(accounts)} บัญชี"
    ws["A3"] = (
        f"เข้าสู่ระบบที่ {login_url} ด้วยชื่อผู้ใช้และรหัสผ่านชั่วคราว "
        "เมื่อเข้าสู่ระบบครั้งแรกระบบจะให้เปลี่ยนรหัสผ่านทันที (เอกสารลับ: แจกแต่ละโรงเรียนเฉพาะแถวของตน)"
    )
    for row in (1, 2, 3):
        ws.merge_cells(f"A{row}:{last_col}{row}")
        ws[f"A{row}"].alignment = Alignment(wrap_text=True, vertical="center")
        if row > 1:
            ws[f"A{row}"].font = base
    ws.row_dimensions[3].height = 40

    header_row = 5
    for col, (title, width) in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=header_row, column=col, value=title)
        cell.font, cell.border = bold, box
        cell.fill = PatternFill("solid", fgColor="E8EEF7")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = width

    for r, row in enumerate(_rows(accounts), start=header_row + 1):
        values = [row["no"], row["code"], row["name"], row["cluster"], row["username"], row["password"], ""]
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=col, value=value)
            cell.font, cell.border = base, box
            cell.alignment = Alignment(vertical="center", wrap_text=col in (3, 4))
            if col in (2, 5, 6):
                cell.number_format = "@"  # text: Excel must not turn a code into a number
                cell.alignment = Alignment(horizontal="center", vertical="center")
            if col == 6:
                cell.font = Font(name="Consolas", size=13, bold=True)

    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.print_area = f"A1:{last_col}{header_row + len(accounts)}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.oddFooter.center.text = "หน้า &P / &N"

    out = BytesIO()
    wb.save(out)
    return out.getvalue()
