"""题库 Excel: a template with instructions, and an all-or-nothing import with row/column errors.

Columns: 题目分类 | 题型 (单选/多选/判断) | 题干 | 选项A … 选项F | 答案 (letters, e.g. "AC"; 判断: 对/错) | 解析
"""

from dataclasses import dataclass

from django.db import transaction
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from xianfeng.core import sheets

from .models import Question, QuestionKind
from .services import question_errors

LETTERS = "ABCDEF"
HEADERS = ["题目分类", "题型", "题干", *[f"选项{c}" for c in LETTERS], "答案", "解析"]
KIND_BY_LABEL = {
    "单选": QuestionKind.SINGLE,
    "多选": QuestionKind.MULTIPLE,
    "判断": QuestionKind.JUDGE,
}
ANSWER_COL = HEADERS.index("答案")
ANSWER_RULE = "选择题填字母，如 A 或 ACD；判断题填 对 或 错"
GUIDE_SHEET = "填写说明"
DATA_SHEET = "题库"


@dataclass
class BankError:
    row: int
    column: str
    value: str
    reason: str

    def __str__(self):
        return f"第 {self.row} 行「{self.column}」{self.value!r}：{self.reason}"


EXAMPLES = (
    (
        "党章",
        "单选",
        "党的最高理想和最终目标是",
        "实现共产主义",
        "全面小康",
        "",
        "",
        "",
        "",
        "A",
        "",
    ),
    ("党章", "判断", "预备党员的预备期为一年。", "", "", "", "", "", "", "对", ""),
)
WIDTHS = (12, 8, 40, *[16] * len(LETTERS), 8, 30)


def template():
    """The data sheet holds only the header; examples and rules live on the 填写说明 sheet.
    A write-only workbook, for `sheets.download`."""
    book = sheets.new_book()
    sheet = book.create_sheet(DATA_SHEET)
    sheets.start_sheet(
        sheet,
        title="题库导入模板",
        headers=HEADERS,
        widths=WIDTHS,
        comments={ANSWER_COL: ANSWER_RULE},
    )
    guide = book.create_sheet(GUIDE_SHEET)
    sheets.start_sheet(guide, title="题库导入模板：填写说明", headers=HEADERS, widths=WIDTHS)
    for example in EXAMPLES:
        sheets.append(guide, example)
    guide.append([])
    for line in (
        "以上为示例，请在“题库”工作表第2行起填写，每行一题；本说明页不会被导入。",
        "题型填 单选、多选 或 判断；" + ANSWER_RULE + "。",
        "整个文件全部检查通过后才会一次写入；有任何错误时不写入任何试题，并列出全部错误。",
    ):
        sheets.append(guide, [line])
    return book


def import_bank(upload, org) -> tuple[int, list[BankError]]:
    """Create every question of the file, or none: (created, errors)."""
    try:
        book = load_workbook(upload, read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError):
        return 0, [BankError(0, "文件", upload.name, "不是有效的 xlsx 文件")]
    # The sheet named 题库, else the first that is not the guide: the guide's examples are
    # never imported, even when the clerk has moved the guide to the front.
    data = [ws for ws in book.worksheets if ws.title != GUIDE_SHEET]
    named = [ws for ws in data if ws.title == DATA_SHEET]
    if not data:
        return 0, [BankError(0, "工作表", GUIDE_SHEET, f"文件中没有“{DATA_SHEET}”工作表")]
    sheet = (named or data)[0]
    rows = list(sheet.iter_rows(values_only=True))
    if not rows or [str(v or "").strip() for v in rows[0][: len(HEADERS)]] != HEADERS:
        return 0, [BankError(1, "表头", "", f"表头须为：{' | '.join(HEADERS)}")]
    questions, errors = [], []
    for n, values in enumerate(rows[1:], start=2):
        cells = [str(v).strip() if v is not None else "" for v in (*values, *[None] * len(HEADERS))]
        if not any(cells[: len(HEADERS)]):
            continue
        question, problems = _parse_row(n, cells, org)
        errors += problems
        if question:
            questions.append(question)
    if errors or not questions:
        return 0, errors or [BankError(2, "题干", "", "文件中没有试题")]
    with transaction.atomic():
        Question.objects.bulk_create(questions)
    return len(questions), []


def _parse_row(n, cells, org):
    topic, label, text = cells[0], cells[1], cells[2]
    errors = []
    if not topic:
        errors.append(BankError(n, "题目分类", topic, "不能为空"))
    if not text:
        errors.append(BankError(n, "题干", text, "不能为空"))
    kind = KIND_BY_LABEL.get(label)
    if kind is None:
        return None, [*errors, BankError(n, "题型", label, "须为 单选、多选 或 判断")]
    raw = cells[ANSWER_COL].upper()
    if kind == QuestionKind.JUDGE:
        options = ["对", "错"]
        answer = {"对": [0], "错": [1]}.get(cells[ANSWER_COL], [])
    else:
        options = [c for c in cells[3 : 3 + len(LETTERS)] if c]
        answer = sorted({LETTERS.index(c) for c in raw if c in LETTERS})
        if len(answer) != len(raw.replace(" ", "")):
            answer = []
    errors += [
        BankError(n, "答案", cells[ANSWER_COL], e) for e in question_errors(kind, options, answer)
    ]
    if errors:
        return None, errors
    fields = {"topic": topic, "kind": kind, "text": text, "options": options, "answer": answer}
    return Question(organization=org, explanation=cells[ANSWER_COL + 1], **fields), []
