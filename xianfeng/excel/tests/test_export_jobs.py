"""Large exports run on the worker: the same scope, masking and audit as in the request; only
the person who asked downloads the file, until it expires."""

import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from huey.contrib.djhuey import HUEY
from openpyxl import load_workbook

from xianfeng.core.errors import DomainError
from xianfeng.core.models import AuditLog
from xianfeng.excel import services
from xianfeng.excel.models import ExportJob, JobStatus
from xianfeng.notices.models import Notice


@pytest.fixture(autouse=True)
def background(settings):
    settings.XIANFENG_EXPORT_INLINE_ROWS = 2  # the test world's street has more members
    was = HUEY.immediate
    HUEY.immediate = True
    yield
    HUEY.immediate = was


@pytest.fixture
def ask(django_capture_on_commit_callbacks):
    """ask(client, **params) → the export's response, the worker's task run after commit."""

    def _ask(client, **params):
        with django_capture_on_commit_callbacks(execute=True):
            return client.get(reverse("excel:export_members"), params)

    return _ask


def rows_of(response):
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book["党员"].iter_rows(values_only=True))
    return rows[0], rows[1:]


def test_a_large_export_runs_on_the_worker_and_is_offered_by_a_notice(world, login, ask):
    secretary = world.users["committee_secretary"]
    client = login(secretary)
    response = ask(client, unmasked="1", reason="换届选举")
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "excel:export_job", args=[job.pk]
    )
    assert (job.status, job.masked, job.reason) == (JobStatus.DONE, False, "换届选举")

    page = client.get(response["Location"]).content.decode()
    assert reverse("excel:export_download", args=[job.pk]) in page
    download = client.get(reverse("excel:export_download", args=[job.pk]))
    header, rows = rows_of(download)
    assert len(rows) == job.row_count > 2
    ids = [row[[h.rstrip("*") for h in header].index("身份证号")] for row in rows]
    assert any("*" not in i for i in ids)  # unmasked, as asked

    notice = Notice.objects.get(recipient=secretary, kind="export")
    assert notice.link == reverse("excel:export_job", args=[job.pk])
    # One audit row for asking, one for the export itself (with its reason): as in the request.
    assert AuditLog.objects.filter(action="excel.export_requested").count() == 1
    log = AuditLog.objects.get(action="excel.export_members")
    assert (log.actor, log.data["reason"], log.data["rows"]) == (secretary, "换届选举", len(rows))


def test_the_worker_exports_with_the_askers_scope_and_filter(world, login, ask):
    client = login(world.users["observer"])
    ask(client)
    job = ExportJob.objects.get()
    header, rows = rows_of(client.get(reverse("excel:export_download", args=[job.pk])))
    names = [row[0] for row in rows]
    assert "张三" in names and "赵六" not in names  # 赵六 is in the other street
    assert all("*" in row[[h.rstrip("*") for h in header].index("身份证号")] for row in rows)


def test_nobody_else_opens_or_downloads_the_file(world, login, ask):
    ask(login(world.users["committee_secretary"]))
    job = ExportJob.objects.get()
    for other in ("street_admin", "admin", "org_officer"):
        client = login(world.users[other])
        assert client.get(reverse("excel:export_job", args=[job.pk])).status_code in (403, 404)
        assert client.get(reverse("excel:export_download", args=[job.pk])).status_code in (
            403,
            404,
        )


def test_an_unmasked_export_without_a_reason_is_refused_and_queues_nothing(world, login, ask):
    client = login(world.users["committee_secretary"])
    response = ask(client, unmasked="1")
    assert response.status_code == 400
    assert not ExportJob.objects.exists()


def test_an_expired_file_is_deleted_and_no_longer_offered(world, login, ask):
    client = login(world.users["committee_secretary"])
    ask(client)
    job = ExportJob.objects.get()
    name = job.file.name
    assert re.fullmatch(r"exports/\d{4}/\d{2}/[0-9a-f]{32}\.xlsx", name)  # nothing to guess
    storage = job.file.storage
    assert storage.exists(name)
    assert services.delete_expired_exports(now=timezone.now()) == 0
    assert services.delete_expired_exports(now=timezone.now() + timedelta(hours=25)) == 1
    assert not storage.exists(name)
    assert client.get(reverse("excel:export_download", args=[job.pk])).status_code == 404
    assert "已过期" in client.get(reverse("excel:export_job", args=[job.pk])).content.decode()


def test_a_search_by_a_full_number_is_never_stored_with_a_job(world, login, ask):
    from xianfeng.core.models import AuditLog as Log

    client = login(world.users["committee_secretary"])
    number = world.member.id_number
    response = ask(client, q=number)
    assert response.status_code == 200 and not ExportJob.objects.exists()  # in the request
    assert number not in str(list(Log.objects.values_list("data", flat=True)))
    with pytest.raises(DomainError):
        services.request_member_export(
            {"q": number}, actor=world.users["committee_secretary"], masked=True, reason=""
        )


def test_a_job_runs_once(world, login, ask):
    ask(login(world.users["committee_secretary"]))
    job = ExportJob.objects.get()
    services.run_export_job(job.pk)  # a retried task
    assert AuditLog.objects.filter(action="excel.export_members").count() == 1


def test_a_small_export_still_answers_in_the_request(world, login, settings):
    settings.XIANFENG_EXPORT_INLINE_ROWS = 10_000
    response = login(world.users["committee_secretary"]).get(reverse("excel:export_members"))
    assert response.status_code == 200 and not ExportJob.objects.exists()
