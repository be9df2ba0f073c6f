import pytest

from xianfeng.testing import make_user


@pytest.fixture(autouse=True)
def _db(db):
    return db


@pytest.fixture
def channels(settings):
    """set(sms="aliyun", …) chooses providers for this test, as NOTICE_* would."""
    providers = {
        "aliyun": "xianfeng.notices.channels.AliyunSms",
        "tencent": "xianfeng.notices.channels.TencentSms",
        "work": "xianfeng.notices.channels.WeChatWork",
        "mp": "xianfeng.notices.channels.WeChatTemplate",
        "email": "xianfeng.notices.channels.Email",
    }
    settings.ALIYUN_SMS_ACCESS_KEY_ID, settings.ALIYUN_SMS_ACCESS_KEY_SECRET = "ak", "secret"
    settings.ALIYUN_SMS_SIGN_NAME, settings.ALIYUN_SMS_TEMPLATE_CODE = "先锋", "SMS_100"
    settings.TENCENT_SMS_SECRET_ID, settings.TENCENT_SMS_SECRET_KEY = "sid", "skey"
    settings.TENCENT_SMS_APP_ID, settings.TENCENT_SMS_SIGN_NAME = "1400000000", "先锋"
    settings.TENCENT_SMS_TEMPLATE_ID = "200"
    settings.WECHAT_CORP_ID, settings.WECHAT_SECRET, settings.WECHAT_AGENT_ID = (
        "ww1",
        "s",
        "1000002",
    )
    settings.WECHAT_APP_ID, settings.WECHAT_APP_SECRET, settings.WECHAT_TEMPLATE_ID = (
        "wx1",
        "s",
        "T1",
    )
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.XIANFENG_NOTICE_CHANNELS = {}

    def _set(**chosen):
        settings.XIANFENG_NOTICE_CHANNELS = {c: providers[p] for c, p in chosen.items()}

    return _set


@pytest.fixture
def alice():
    return make_user("alice")


@pytest.fixture
def bob():
    return make_user("bob")
