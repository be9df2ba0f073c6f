"""Extract strings, generate zh_Hant with OpenCC, keep hand-made English, compile (docs/decisions/0001)."""

from pathlib import Path

import opencc
import polib
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

LOCALES = ("zh_Hant", "en")


class Command(BaseCommand):
    help = "更新翻译文件：提取字符串，用 OpenCC 生成繁体，编译 .mo"

    def handle(self, *args, **options):
        root = Path(settings.BASE_DIR)
        call_command(
            "makemessages",
            locale=list(LOCALES),
            ignore_patterns=[".venv/*", "var/*", "bench/*", "tests/*"],
            no_obsolete=True,
            verbosity=0,
        )
        po_path = root / "xianfeng" / "locale" / "zh_Hant" / "LC_MESSAGES" / "django.po"
        filled = fill_traditional(po_path)
        call_command("compilemessages", locale=list(LOCALES), verbosity=0, ignore=[".venv/*"])
        self.stdout.write(f"zh_Hant: {filled} 条由 OpenCC 生成")
        english = polib.pofile(str(po_path.parents[2] / "en" / "LC_MESSAGES" / "django.po"))
        missing = [e.msgid for e in english if not e.msgstr and not e.obsolete]
        self.stdout.write(f"en: {len(missing)} 条尚未翻译")


def fill_traditional(po_path) -> int:
    converter = opencc.OpenCC("s2t")
    catalogue = polib.pofile(str(po_path))
    filled = 0
    for entry in catalogue:
        if entry.msgstr and "fuzzy" not in entry.flags:
            continue
        entry.msgstr = converter.convert(entry.msgid)
        if entry.msgid_plural:
            entry.msgstr_plural = {0: entry.msgstr, 1: converter.convert(entry.msgid_plural)}
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        filled += 1
    catalogue.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    catalogue.save()
    return filled
