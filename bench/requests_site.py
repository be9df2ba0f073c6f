"""Settings for the intake benchmark: the project plus a hello-world view (bench/requests_urls.py)."""

from xianfeng.settings import *  # noqa: F403

ROOT_URLCONF = "bench.requests_urls"
XIANFENG_REQUEST_INTAKE_LIMIT = (10**9, 60)  # the rate limit would stop a load test at 20
