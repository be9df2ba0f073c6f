"""党员一卡通: a signed token on a printed QR code that names the member, never the ID number.

The token is `django.core.signing` over the member's id with its own salt: it cannot be
forged or edited without SECRET_KEY, it carries no personal data, and a scan still goes
through the scanner's scope (a secretary resolves only members of their own subtree).
"""

import segno
from django.core import signing
from django.urls import reverse

SALT = "xianfeng.points.card"


def token_for(member):
    return signing.dumps({"m": member.pk}, salt=SALT, compress=True)


def member_id_from(token):
    """The member id in a card token, or None when the token was not signed by us."""
    try:
        return int(signing.loads(token, salt=SALT)["m"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def qr_data_uri(request, member):
    url = request.build_absolute_uri(reverse("points:scan", args=[token_for(member)]))
    return segno.make(url, error="m").svg_data_uri(scale=5, border=2)
