"""A whole street (or any subtree) in one file: `export_street` and `import_street`.

The archive is a zip (format described in docs/street-format.md):

    manifest.json                    format, version, root, counts, sha256 of every member
    data/<app>.<model>.json          {"model", "columns", "rows": [[...], ...]} per table
    files/<storage name>             every uploaded file the rows name

Which rows belong to the subtree is derived from the foreign keys, so a new model is
carried without a change here: organizations by path; grids linked to one of them and
their descendants; every other table when one of its links to those tables points
inside (a required link pointing outside leaves the row out, an optional one is
emptied). Shared catalogues (`REFERENCE`) travel whole and are matched on import by
their natural keys. Logins are not carried: links to a login keep its username and find
the login of that name on import, if any.

Import writes everything in one transaction with new ids; the organizations and grids
get new tree paths under the chosen parent.
"""

import hashlib
import json
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from graphlib import CycleError, TopologicalSorter

from django.apps import apps
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone

from xianfeng.core import audit
from xianfeng.core.fields import BlindIndexField, EncryptedField
from xianfeng.core.rollups import check_all

FORMAT = "xianfeng-street"
VERSION = 1
ORG = "orgs.organization"
GRID = "grid.grid"
TREES = (ORG, GRID)
USER = "accounts.user"

# Not carried: logins and their grants (credentials), the audit chain (one per installation),
# import jobs, notices and their outbox, Open311 API keys (secrets), the pending points outbox,
# the working calendar and letter counters (installation-wide, kept by the target's keepers),
# the dashboards' rollups (derived rows: recomputed from the imported rows on import), the
# campaigns' notice reach (it points at deliveries) and the portal's SMS codes.
EXCLUDED = {
    "orgs.orgbreakdown",
    "orgs.rollupwatermark",
    "resident_requests.requestrollup",
    "resident_requests.escalationrollup",
    "dues.duesmonthrollup",
    "archives.archivestate",
    "archives.archivetally",
    "accounts.user",
    "accounts.rolegrant",
    "accounts.user_groups",
    "accounts.user_user_permissions",
    "core.auditlog",
    "core.calendaryear",
    "core.calendarday",
    "excel.importjob",
    "excel.exportjob",  # a person's own files, deleted after a day
    "notices.notice",
    "notices.delivery",
    "notices.preference",
    "campaigns.noticereach",  # who a household notice reached: its deliveries stay behind
    "venues.phonecode",  # residents' SMS codes: secrets, minutes long
    "resident_requests.open311key",
    "points.pendingbooking",
    "transfers.lettersequence",
}

# Shared catalogues: carried whole (or, with a link to an organization, those of the
# subtree, global ones and those rows of the subtree use) and matched on import by these
# fields; a match is used as is, never overwritten.
REFERENCE = {
    "members.membertag": ("code",),
    "resident_requests.category": ("code",),
    "resident_requests.checklistitem": ("category", "text"),
    "resident_requests.categoryattribute": ("category", "code"),
    "assessment.standard": ("name", "year", "domain"),
    "assessment.standarditem": ("standard", "name"),
    "assessment.memberweights": ("year",),
    "points.pointrule": ("code", "version", "scope"),
    "service.partnerunit": ("name",),
    "grid.gridstaffrole": ("district", "code"),
}

# Tables whose ids other tables name outside foreign keys (`source_type` + `source_id`):
# written last, so the named rows already have their new ids.
SOURCE_LINKED = ("points.pointevent",)


class ArchiveError(Exception):
    """The archive cannot be read or loaded; the message is Chinese and says why."""


def label(model):
    return model._meta.label_lower


# ---------------------------------------------------------------- the model graph


@dataclass
class Table:
    model: type
    columns: list  # concrete fields carried, pk first
    links: list  # (field, target label) for foreign keys to carried tables
    users: list  # foreign keys to logins
    deps: set = field(default_factory=set)

    @property
    def label(self):
        return label(self.model)


def tables():
    """Every carried table, parents before children."""
    found = {}
    for model in apps.get_models(include_auto_created=True):
        name = label(model)
        if model._meta.app_config.name.split(".")[0] != "xianfeng" or name in EXCLUDED:
            continue
        if model._meta.proxy or not model._meta.managed:
            continue
        columns, links, users = [], [], []
        for f in model._meta.concrete_fields:
            if isinstance(f, BlindIndexField):
                continue  # recomputed from the number on import
            columns.append(f)
            if f.is_relation:
                target = label(f.related_model)
                if target == USER:
                    users.append(f)
                elif target in EXCLUDED:
                    raise ArchiveError(f"{name}.{f.name} 指向未携带的表 {target}")
                else:
                    links.append((f, target))
        found[name] = Table(model, columns, links, users)
    for table in found.values():
        table.deps = {t for _f, t in table.links if t != table.label}
        if table.model.__name__ == "QuizAttempt":
            table.deps.add("learning.question")
    others = set(found) - set(SOURCE_LINKED)
    for name in SOURCE_LINKED:
        found[name].deps |= others
    try:
        order = list(TopologicalSorter({n: t.deps for n, t in found.items()}).static_order())
    except CycleError as exc:  # pragma: no cover - a model change would have to add one
        raise ArchiveError(f"表之间的关联形成循环：{exc.args[1]}") from exc
    return [found[n] for n in order]


# ---------------------------------------------------------------- export


def _prefix_q(paths):
    """Q for rows under any of these tree paths (a path under another is dropped)."""
    tops = []
    for path in sorted(paths):
        if not tops or not path.startswith(tops[-1]):
            tops.append(path)
    q = Q(pk__in=[])
    for path in tops:
        q |= Q(path__startswith=path)
    return q


def selection(root):
    """{label: queryset of the rows carried} for the subtree under `root`.

    A row is carried when any of its links points to a carried row (a meeting of a branch,
    a transfer from or to it, a staff member of its grid). A row that a carried row needs
    through a required link is carried too (the district's assessment round of a branch's
    stars); its own links to organizations outside point, on import, to the imported top.
    """
    graph = tables()
    by_label = {t.label: t for t in graph}
    chosen = {ORG: by_label[ORG].model.objects.filter(path__startswith=root.path)}
    grid = by_label[GRID].model
    linked = grid.objects.filter(
        Q(organization__in=chosen[ORG]) | Q(scope_org__in=chosen[ORG])
    ).values_list("path", flat=True)
    chosen[GRID] = grid.objects.filter(_prefix_q(linked))
    for table in graph:
        name = table.label
        if name in chosen or name in REFERENCE:
            continue
        inside = [(f, t) for f, t in table.links if t not in REFERENCE and t != name]
        if not inside:
            raise ArchiveError(f"{name} 与组织树没有关联，无法判断归属")
        q = Q(pk__in=[])
        for f, t in inside:
            q |= Q(**{f"{f.name}__in": chosen[t].values("pk")})
        chosen[name] = table.model.objects.filter(q)
    for _round in range(2):  # parents needed through required links (round ← assessment)
        for table in reversed(graph):
            for f, t in table.links:
                if f.null or t in (ORG, GRID, table.label) or t in REFERENCE:
                    continue
                if table.label in chosen and table.label not in REFERENCE:
                    needed = chosen[table.label].values(f.attname)
                    chosen[t] = chosen[t] | by_label[t].model.objects.filter(pk__in=needed)
    for table in graph:
        name = table.label
        if name not in REFERENCE:
            continue
        org_links = [f for f, t in table.links if t == ORG]
        if not org_links:
            chosen[name] = table.model.objects.all()  # a catalogue travels whole
            continue
        q = Q()
        for f in org_links:
            q &= Q(**{f"{f.name}__isnull": True}) | Q(**{f"{f.name}__in": chosen[ORG].values("pk")})
        for other in graph:
            for f, t in other.links:
                if t == name and other.label in chosen and other.label not in REFERENCE:
                    q |= Q(pk__in=chosen[other.label].values(f.attname))
        chosen[name] = table.model.objects.filter(q)
    return graph, chosen


def _jsonable(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


@dataclass
class Exported:
    counts: dict
    files: int
    personal_data: bool


def export_street(root, out, *, personal_data=False, actor=None, reason=""):
    """Write the archive of `root`'s subtree to the path or file `out`.

    Encrypted fields (身份证号, phones) are written decrypted only with `personal_data`
    (recorded in the audit chain with `reason`); otherwise they are left empty.
    """
    graph, chosen = selection(root)
    usernames = dict(apps.get_model(USER).objects.values_list("pk", "username"))
    exported = {}  # label → set of carried pks
    counts, digests, names = {}, {}, set()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in graph:
            name = table.label
            rows = []
            attnames = [f.attname for f in table.columns]
            pks = set()
            for values in chosen[name].order_by("pk").values_list(*attnames).iterator(2000):
                row = []
                for f, value in zip(table.columns, values, strict=True):
                    row.append(_export_value(f, value, exported, usernames, personal_data, names))
                rows.append(row)
                pks.add(values[0])
            exported[name] = pks
            body = json.dumps(
                {"model": name, "columns": [f.name for f in table.columns], "rows": rows},
                ensure_ascii=False,
                separators=(",", ":"),
            ).encode()
            member = f"data/{name}.json"
            archive.writestr(member, body)
            digests[member] = hashlib.sha256(body).hexdigest()
            counts[name] = len(rows)
        storage_names = sorted(names)
        for stored in storage_names:
            content = _read_stored(stored)
            if content is None:
                continue
            member = f"files/{stored}"
            archive.writestr(member, content)
            digests[member] = hashlib.sha256(content).hexdigest()
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": timezone.now().isoformat(),
            "root": {"code": root.code, "name": root.name, "path": root.path},
            "personal_data": personal_data,
            "tables": [t.label for t in graph],
            "counts": counts,
            "files": sum(1 for m in digests if m.startswith("files/")),
            "sha256": digests,
        }
        archive.writestr(
            "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1).encode()
        )
    audit.record(
        "street.export",
        root,
        actor=actor,
        personal_data=personal_data,
        reason=reason,
        counts={k: v for k, v in counts.items() if v},
    )
    return Exported(counts, manifest["files"], personal_data)


def _export_value(f, value, exported, usernames, personal_data, names):
    if f.is_relation and value is not None:
        target = label(f.related_model)
        if target == USER:
            return usernames.get(value)
        if f.related_model is f.model:
            return value  # self link: resolved on import
        if target in exported and value not in exported[target]:
            return None  # outside the subtree (the query keeps required links inside)
        return value
    if isinstance(f, EncryptedField) and not personal_data:
        return ""
    if isinstance(f, models.FileField):
        if value:
            names.add(str(value))
        return str(value) if value else ""
    return _jsonable(value)


def _read_stored(name):
    from django.core.files.storage import default_storage

    try:
        with default_storage.open(name, "rb") as handle:
            return handle.read()
    except (FileNotFoundError, OSError):
        return None


# ---------------------------------------------------------------- import


def read_archive(path):
    """(manifest, zipfile) after checking the format, the version and every checksum."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ArchiveError("文件不是先锋导出的街道数据包(zip)，或文件已损坏") from exc
    try:
        manifest = json.loads(archive.read("manifest.json"))
    except KeyError as exc:
        raise ArchiveError("数据包中没有 manifest.json，不是先锋导出的街道数据包") from exc
    except (ValueError, zipfile.BadZipFile) as exc:
        raise ArchiveError("数据包的 manifest.json 已损坏") from exc
    if manifest.get("format") != FORMAT:
        raise ArchiveError("文件不是先锋导出的街道数据包(格式标识不符)")
    version = manifest.get("version")
    if version != VERSION:
        raise ArchiveError(
            f"数据包的格式版本为 {version}，本系统只能读取版本 {VERSION}；"
            "请用相同版本的先锋重新导出，或先升级本系统"
        )
    for member, digest in manifest.get("sha256", {}).items():
        try:
            content = archive.read(member)
        except KeyError as exc:
            raise ArchiveError(f"数据包不完整：缺少 {member}") from exc
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise ArchiveError(f"数据包已损坏：{member} 无法读取") from exc
        if hashlib.sha256(content).hexdigest() != digest:
            raise ArchiveError(f"数据包已损坏：{member} 的校验值不符")
    return manifest, archive


@contextmanager
def _keeping_timestamps(graph):
    """Store created_at / updated_at as exported (auto_now would stamp the import time)."""
    switched = []
    for table in graph:
        for f in table.columns:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                switched.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, now_add in switched:
            f.auto_now, f.auto_now_add = now, now_add


@dataclass
class Imported:
    root: object
    counts: dict
    matched: dict
    files: int


def import_street(path, *, parent=None, actor=None):
    """Load an archive under `parent` (None: as a new top of the tree), all or nothing."""
    manifest, archive = read_archive(path)
    graph = {t.label: t for t in tables()}
    unknown = [t for t in manifest["tables"] if t not in graph]
    if unknown:
        raise ArchiveError(f"数据包含本系统没有的数据表：{'、'.join(unknown)}；请升级本系统")
    loader = _Loader(manifest, archive, graph, actor)
    try:
        with transaction.atomic(), _keeping_timestamps(graph.values()):
            loader.check_codes()
            for name in manifest["tables"]:
                loader.load(graph[name], parent)
            check_all([loader.root.path], fix=True)  # the figures' rollups of the subtree
            audit.record(
                "street.import",
                loader.root,
                actor=actor,
                source=manifest["root"],
                created=loader.counts,
                matched=loader.matched,
            )
    except IntegrityError as exc:
        raise ArchiveError(
            f"导入失败，未写入任何数据：{loader.current}与本系统已有数据冲突({exc})"
        ) from exc
    return Imported(loader.root, loader.counts, loader.matched, loader.files)


class _Loader:
    def __init__(self, manifest, archive, graph, actor):
        self.manifest, self.archive, self.graph, self.actor = manifest, archive, graph, actor
        self.ids = {}  # label → {old pk: new pk}
        self.users = dict(apps.get_model(USER).objects.values_list("username", "pk"))
        self.counts, self.matched, self.files, self.stored = {}, {}, 0, {}
        self.root, self.current = None, ""

    def rows(self, name):
        body = json.loads(self.archive.read(f"data/{name}.json"))
        return body["columns"], body["rows"]

    def check_codes(self):
        Org = self.graph[ORG].model
        columns, rows = self.rows(ORG)
        codes = [r[columns.index("code")] for r in rows]
        taken = list(Org.objects.filter(code__in=codes).values_list("code", flat=True)[:5])
        if taken:
            raise ArchiveError(
                f"本系统已有这些组织代码：{'、'.join(taken)}；"
                "同一组织不能导入两次(如为演练，请导入到空的系统)"
            )

    def load(self, table, parent):
        name = table.label
        self.current = f"“{table.model._meta.verbose_name}”"
        columns, rows = self.rows(name)
        fields = [table.model._meta.get_field(c) for c in columns]
        mapping = self.ids.setdefault(name, {})
        if not rows:
            return
        objects = [self.build(table, fields, row) for row in rows]
        olds = [row[0] for row in rows]
        if name in REFERENCE:
            created = self.load_reference(table, objects, olds, mapping)
        elif name in TREES:
            created = self.load_tree(table, objects, olds, mapping, parent if name == ORG else None)
        else:
            table.model.objects.bulk_create(objects, batch_size=1000)
            mapping.update(zip(olds, (o.pk for o in objects), strict=True))
            created = len(objects)
        self.counts[name] = created
        self.relink_self(table, fields, rows, mapping)

    def build(self, table, fields, row):
        obj = table.model()
        for f, value in zip(fields, row, strict=True):
            if f.primary_key:
                continue
            if f.is_relation:
                setattr(obj, f.attname, self.link(f, value))
            elif isinstance(f, models.FileField):
                setattr(obj, f.attname, self.store(value))
            elif value is not None:
                setattr(obj, f.attname, f.to_python(value))
            else:
                setattr(obj, f.attname, None)
        if table.label in SOURCE_LINKED:
            source = self.ids.get(obj.source_type)
            if source is not None and obj.source_id.isdigit() and int(obj.source_id) in source:
                obj.source_id = str(source[int(obj.source_id)])
        if table.model.__name__ == "QuizAttempt":
            questions = self.ids.get("learning.question", {})
            obj.question_ids = [questions.get(q, q) for q in obj.question_ids or []]
            obj.answers = {
                str(questions.get(int(k), k)) if str(k).isdigit() else k: v
                for k, v in (obj.answers or {}).items()
            }
        return obj

    def link(self, f, value):
        target = label(f.related_model)
        if value is None:
            if not f.null and target == ORG and self.root is not None:
                return self.root.pk  # a catalogue row bound to an organization outside
            return None
        if target == USER:
            return self.users.get(value)
        if f.related_model is f.model:
            return None  # set by relink_self once every row has its id
        new = self.ids.get(target, {}).get(value)
        if new is None and not f.null:
            raise ArchiveError(f"数据包已损坏：{f.model._meta.verbose_name}指向不存在的记录")
        return new

    def store(self, name):
        if not name:
            return ""
        if name in self.stored:
            return self.stored[name]
        try:
            content = self.archive.read(f"files/{name}")
        except KeyError:
            self.stored[name] = ""
            return ""
        from django.core.files.storage import default_storage

        saved = default_storage.save(name, ContentFile(content))
        self.stored[name] = saved
        self.files += 1
        return saved

    def relink_self(self, table, fields, rows, mapping):
        own = [
            (i, f) for i, f in enumerate(fields) if f.is_relation and f.related_model is table.model
        ]
        if not own:
            return
        changed = []
        for row in rows:
            obj = table.model(pk=mapping[row[0]])
            touched = False
            for i, f in own:
                if row[i] is not None and row[i] in mapping:
                    setattr(obj, f.attname, mapping[row[i]])
                    touched = True
            if touched:
                changed.append(obj)
        if changed:
            table.model.objects.bulk_update(changed, [f.attname for _i, f in own], batch_size=1000)

    def load_reference(self, table, objects, olds, mapping):
        """Match each row by its natural key; create only those the installation lacks."""
        attnames = [table.model._meta.get_field(k).attname for k in REFERENCE[table.label]]
        existing = {
            tuple(values[1:]): values[0]
            for values in table.model.objects.values_list("pk", *attnames)
        }
        new = []
        for obj, old in zip(objects, olds, strict=True):
            key = tuple(getattr(obj, a) for a in attnames)
            if key in existing:
                mapping[old] = existing[key]
                self.matched[table.label] = self.matched.get(table.label, 0) + 1
            else:
                new.append((obj, old))
                existing[key] = None
        table.model.objects.bulk_create([o for o, _ in new], batch_size=1000)
        for obj, old in new:
            mapping[old] = obj.pk
        return len(new)

    def load_tree(self, table, objects, olds, mapping, parent):
        """Tops (no carried parent) are added under `parent` or as roots; their descendants
        keep their steps below the top's new path."""
        Model = table.model
        steplen = Model.steplen
        pairs = sorted(zip(objects, olds, strict=True), key=lambda pair: pair[0].path)
        placed = {}  # old path → (new path, new depth)
        rest = []
        for obj, old in pairs:
            old_path, numchild = obj.path, obj.numchild
            above = placed.get(old_path[:-steplen])
            if above is None:
                obj.path, obj.depth, obj.numchild = None, None, 0
                if parent is not None:
                    node = Model.objects.add_child(Model.objects.get(pk=parent.pk), instance=obj)
                else:
                    node = Model.objects.add_root(instance=obj)
                Model.objects.filter(pk=node.pk).update(numchild=numchild)
                mapping[old] = node.pk
                if table.label == ORG and self.root is None:
                    self.root = node
            else:
                obj.path = above[0] + old_path[-steplen:]
                obj.depth = above[1] + 1
                rest.append((obj, old))
            placed[old_path] = (obj.path, obj.depth)
        Model.objects.bulk_create([o for o, _ in rest], batch_size=1000)
        for obj, old in rest:
            mapping[old] = obj.pk
        return len(pairs)
