"""The providers behind `xianfeng.core.notify`'s interface, each through its official SDK.

Each turns the provider's answer into a reference string or a `DeliveryError`; an error the
provider reports about the address or the template is permanent, anything else (network,
throttling, 5xx) is retried by the outbox.
"""

import json

from django.conf import settings
from django.core.mail import EmailMessage

from xianfeng.core.notify import DeliveryError, Message

# Aliyun and Tencent codes that no retry can fix (bad number, template or signature).
ALIYUN_PERMANENT = (
    "isv.MOBILE_NUMBER_ILLEGAL",
    "isv.SMS_TEMPLATE_ILLEGAL",
    "isv.SMS_SIGNATURE_ILLEGAL",
)
TENCENT_PERMANENT = (
    "InvalidParameterValue",
    "UnsupportedOperation",
    "FailedOperation.TemplateIncorrectOrUnapproved",
)


class AliyunSms:
    """阿里云短信 (dysmsapi 2017-05-25). The template has one variable, `content`; `OutId`
    carries the idempotency key so the receipt can be matched to the delivery."""

    def __init__(self):
        from alibabacloud_dysmsapi20170525.client import Client
        from alibabacloud_tea_openapi.models import Config

        self.client = Client(
            Config(
                access_key_id=settings.ALIYUN_SMS_ACCESS_KEY_ID,
                access_key_secret=settings.ALIYUN_SMS_ACCESS_KEY_SECRET,
                endpoint="dysmsapi.aliyuncs.com",
            )
        )

    def send(self, message: Message) -> str:
        from alibabacloud_dysmsapi20170525.models import SendSmsRequest

        request = SendSmsRequest(
            phone_numbers=message.address,
            sign_name=settings.ALIYUN_SMS_SIGN_NAME,
            template_code=settings.ALIYUN_SMS_TEMPLATE_CODE,
            template_param=json.dumps({"content": message.text}, ensure_ascii=False),
            out_id=message.key,
        )
        try:
            body = self.client.send_sms(request).body
        except Exception as exc:  # the Tea runtime raises its own and requests' errors
            raise DeliveryError(f"阿里云短信：{exc}"[:300]) from exc
        if body.code != "OK":
            raise DeliveryError(
                f"阿里云短信：{body.code} {body.message}"[:300],
                permanent=body.code in ALIYUN_PERMANENT,
            )
        return body.biz_id or ""


class TencentSms:
    """腾讯云短信 (sms 2021-01-11). `SessionContext` carries the idempotency key."""

    def __init__(self):
        from tencentcloud.common import credential
        from tencentcloud.sms.v20210111 import sms_client

        self.client = sms_client.SmsClient(
            credential.Credential(settings.TENCENT_SMS_SECRET_ID, settings.TENCENT_SMS_SECRET_KEY),
            settings.TENCENT_SMS_REGION,
        )

    def send(self, message: Message) -> str:
        from tencentcloud.sms.v20210111 import models

        request = models.SendSmsRequest()
        request.PhoneNumberSet = [message.address]
        request.SmsSdkAppId = settings.TENCENT_SMS_APP_ID
        request.SignName = settings.TENCENT_SMS_SIGN_NAME
        request.TemplateId = settings.TENCENT_SMS_TEMPLATE_ID
        request.TemplateParamSet = [message.text]
        request.SessionContext = message.key
        try:
            status = self.client.SendSms(request).SendStatusSet[0]
        except Exception as exc:  # TencentCloudSDKException, network errors
            code = getattr(exc, "code", "") or ""
            raise DeliveryError(
                f"腾讯云短信：{exc}"[:300], permanent=code.startswith(TENCENT_PERMANENT)
            ) from exc
        if status.Code != "Ok":
            raise DeliveryError(
                f"腾讯云短信：{status.Code} {status.Message}"[:300],
                permanent=status.Code.startswith(TENCENT_PERMANENT),
            )
        return status.SerialNo or ""


class WeChatWork:
    """企业微信 application message to a member's userid. The server's duplicate check is
    on, so a retry of a message that did go out within the window is not shown twice."""

    def __init__(self):
        from wechatpy.enterprise import WeChatClient

        self.client = WeChatClient(settings.WECHAT_CORP_ID, settings.WECHAT_SECRET)

    def send(self, message: Message) -> str:
        from wechatpy.exceptions import WeChatClientException

        msg = {
            "msgtype": "text",
            "text": {"content": message.text},
            "enable_duplicate_check": 1,
            "duplicate_check_interval": 4 * 3600,
        }
        try:
            result = self.client.message.send(settings.WECHAT_AGENT_ID, message.address, msg=msg)
        except WeChatClientException as exc:
            # 40003/81013: no such user — the address is wrong, not the moment.
            raise DeliveryError(
                f"企业微信：{exc.errcode} {exc.errmsg}"[:300],
                permanent=exc.errcode in (40003, 81013),
            ) from exc
        except Exception as exc:
            raise DeliveryError(f"企业微信：{exc}"[:300]) from exc
        return str(result.get("msgid", ""))


class WeChatTemplate:
    """公众号 template message to a follower's OpenID (template fields `first` and `remark`
    are not used: the text goes in `content`)."""

    def __init__(self):
        from wechatpy import WeChatClient

        self.client = WeChatClient(settings.WECHAT_APP_ID, settings.WECHAT_APP_SECRET)

    def send(self, message: Message) -> str:
        from wechatpy.exceptions import WeChatClientException

        data = {"content": {"value": message.text}}
        try:
            result = self.client.message.send_template(
                message.address, settings.WECHAT_TEMPLATE_ID, data
            )
        except WeChatClientException as exc:
            raise DeliveryError(
                f"微信公众号：{exc.errcode} {exc.errmsg}"[:300],
                permanent=exc.errcode in (40003, 43004),
            ) from exc
        except Exception as exc:
            raise DeliveryError(f"微信公众号：{exc}"[:300]) from exc
        return str(result.get("msgid", ""))


class Email:
    """E-mail through Django's configured backend; the Message-ID is the idempotency key."""

    def send(self, message: Message) -> str:
        message_id = f"<{message.key}@xianfeng>"
        mail = EmailMessage(
            subject=message.subject or message.text[:40],
            body=message.text,
            to=[message.address],
            headers={"Message-ID": message_id},
        )
        try:
            mail.send()
        except Exception as exc:  # SMTP errors, connection refused
            raise DeliveryError(f"邮件：{exc}"[:300]) from exc
        return message_id
