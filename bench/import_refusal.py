"""A file declaring 1,000,000 rows is refused within seconds and flat memory.

    python -m bench.import_refusal

Writes two xlsx files by hand (the sheet XML streamed into the zip, ~1 s each): one whose
<dimension> declares 1,000,000 rows and that really holds them, one holding them without
a <dimension>, so the refusal has to come from the row stream. Target (issue 18): refused
in < 5 s with < 200 MB.
"""

import os
import resource
import tempfile
import time
import zipfile

ROWS = 1_000_000
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="党员" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
HEADERS = ["姓名*", "身份证号*", "入党日期*", "党员类别*", "所在组织代码*"]


def _cell(ref, text):
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def write(path, *, declare):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", ROOT_RELS)
        zf.writestr("xl/workbook.xml", WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            )
            if declare:
                fh.write(f'<dimension ref="A1:E{ROWS + 1}"/>'.encode())
            fh.write(b"<sheetData>")
            head = "".join(_cell(f"{'ABCDE'[i]}1", h) for i, h in enumerate(HEADERS))
            fh.write(f'<row r="1">{head}</row>'.encode())
            batch = []
            for n in range(2, ROWS + 2):
                batch.append(f'<row r="{n}">{_cell(f"A{n}", "张三")}</row>')
                if len(batch) == 10000:
                    fh.write("".join(batch).encode())
                    batch = []
            fh.write("".join(batch).encode())
            fh.write(b"</sheetData></worksheet>")


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xianfeng.settings")
    import django

    django.setup()
    from xianfeng.excel.columns import MEMBER_SPEC
    from xianfeng.excel.reader import FileRejected, count_rows, read_sheet

    with tempfile.TemporaryDirectory() as tmp:
        for declare in (True, False):
            path = os.path.join(tmp, f"declared-{declare}.xlsx")
            write(path, declare=declare)
            for step in (count_rows, read_sheet):
                started = time.perf_counter()
                try:
                    step(path, MEMBER_SPEC)
                    outcome = "accepted (!)"
                except FileRejected as exc:
                    outcome = exc.errors[0]["reason"][:40]
                seconds = time.perf_counter() - started
                peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                print(
                    f"dimension={'yes' if declare else 'no '} {step.__name__:10} "
                    f"file {os.path.getsize(path) / 1e6:.1f} MB  {seconds:.2f} s  "
                    f"peak RSS {peak:.0f} MB  → {outcome}"
                )


if __name__ == "__main__":
    main()
