"""The client's address: X-Forwarded-For is believed only from the proxies we were told to trust.

Behind nginx every request comes from the proxy's address, so throttles keyed on REMOTE_ADDR
would lock out the whole city at once; believing X-Forwarded-For from anyone would let every
client pick a fresh address per attempt. `XIANFENG_TRUSTED_PROXIES` (addresses or networks)
says whose header to read.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]):
    return tuple(ipaddress.ip_network(item, strict=False) for item in spec)


def _address(text):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address, networks):
    return address is not None and any(address in network for network in networks)


def client_ip(request) -> str:
    """The address of the client that sent `request` (see the module docstring)."""
    remote = request.META.get("REMOTE_ADDR", "")
    networks = _networks(tuple(settings.XIANFENG_TRUSTED_PROXIES))
    if not _trusted(_address(remote), networks):
        return remote
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    # From the right: each trusted proxy appended the address it received the request from.
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            return remote
        if not _trusted(address, networks):
            return str(address)
    return remote
