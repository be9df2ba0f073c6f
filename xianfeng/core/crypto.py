"""Encryption at rest for personal numbers (身份证号, phones) and their keyed blind indexes.

A ciphertext records how it was made — `v1$<cipher>$<key id>$<base64(nonce‖ciphertext‖tag)>` —
so a key or cipher can change while old rows still decrypt; `manage.py rotate_field_key`
re-encrypts them. Ciphers: `aes-gcm` (AES-256-GCM, blind index HMAC-SHA256, the default)
or `sm4-gcm` (国密 SM4-GCM, blind index HMAC-SM3).

Keys come from settings (XIANFENG_FIELD_KEY, XIANFENG_FIELD_KEYS_PREVIOUS); each master key
yields a separate encryption key and blind-index key. A blind index is computed under every
configured key, so exact lookups keep working while a rotation is under way.
"""

import base64
import binascii
import hashlib
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "v1$"
CIPHERS = ("aes-gcm", "sm4-gcm")
NONCE = 12
TAG = 16


class DecryptionError(ValueError):
    pass


@dataclass(frozen=True)
class FieldKey:
    cipher: str
    kid: str
    enc: bytes
    mac: bytes
    siv: bytes

    def _hash(self):
        return hashes.SM3() if self.cipher == "sm4-gcm" else hashes.SHA256()

    def _algorithm(self, key):
        return algorithms.SM4(key) if self.cipher == "sm4-gcm" else algorithms.AES(key)

    def encrypt(self, plain: str) -> str:
        # A synthetic nonce (keyed HMAC of the value): one value always gives one ciphertext
        # under one key, so re-saving a row leaves it unchanged and ordering is stable. It
        # shows which rows hold equal values, which the blind index shows anyway.
        nonce = self._mac(self.siv, plain.encode())[:NONCE]
        enc = Cipher(self._algorithm(self.enc), modes.GCM(nonce)).encryptor()
        body = enc.update(plain.encode()) + enc.finalize() + enc.tag
        data = base64.urlsafe_b64encode(nonce + body).decode()
        return f"{PREFIX}{self.cipher}${self.kid}${data}"

    def decrypt(self, data: bytes) -> str:
        nonce, body, tag = data[:NONCE], data[NONCE:-TAG], data[-TAG:]
        dec = Cipher(self._algorithm(self.enc), modes.GCM(nonce, tag)).decryptor()
        try:
            return (dec.update(body) + dec.finalize()).decode()
        except InvalidTag as exc:
            raise DecryptionError(f"密文校验失败(密钥 {self.kid})") from exc

    def _mac(self, key: bytes, data: bytes) -> bytes:
        mac = hmac.HMAC(key, self._hash())
        mac.update(data)
        return mac.finalize()

    def blind(self, purpose: str, value: str) -> str:
        return self._mac(self.mac, f"{purpose}\0{value}".encode()).hex()[:40]


def _derive(master: bytes, cipher: str, label: bytes, size: int) -> bytes:
    mac = hmac.HMAC(master, hashes.SM3() if cipher == "sm4-gcm" else hashes.SHA256())
    mac.update(label)
    return mac.finalize()[:size]


def parse_key(text: str, cipher: str) -> FieldKey:
    """`text` is base64 (or hex) of at least 32 random bytes, optionally prefixed `cipher:`."""
    text = text.strip()
    if ":" in text and text.split(":", 1)[0] in CIPHERS:
        cipher, text = text.split(":", 1)
    if cipher not in CIPHERS:
        raise ImproperlyConfigured(f"XIANFENG_FIELD_CIPHER 须为 {' 或 '.join(CIPHERS)}")
    try:
        master = bytes.fromhex(text) if len(text) == 64 else base64.urlsafe_b64decode(text)
    except (ValueError, binascii.Error) as exc:
        raise ImproperlyConfigured("XIANFENG_FIELD_KEY 须为 32 字节随机数的 base64") from exc
    if len(master) < 32:
        raise ImproperlyConfigured("XIANFENG_FIELD_KEY 至少 32 字节(base64 编码)")
    size = 16 if cipher == "sm4-gcm" else 32
    return FieldKey(
        cipher=cipher,
        kid=hashlib.sha256(master).hexdigest()[:8],
        enc=_derive(master, cipher, b"xianfeng field encryption", size),
        mac=_derive(master, cipher, b"xianfeng blind index", 32),
        siv=_derive(master, cipher, b"xianfeng synthetic nonce", 32),
    )


@lru_cache(maxsize=8)
def _keyring(current: str, previous: tuple, cipher: str) -> tuple[FieldKey, ...]:
    if not current:
        raise ImproperlyConfigured(
            "未配置 XIANFENG_FIELD_KEY(身份证号、手机号加密密钥)：见 docs/operations.md"
        )
    keys = [parse_key(current, cipher)]
    keys += [parse_key(k, "aes-gcm") for k in previous if k.strip()]
    return tuple(keys)


def keyring() -> tuple[FieldKey, ...]:
    """The current key first, then the previous ones (still used to decrypt and to look up)."""
    return _keyring(
        settings.XIANFENG_FIELD_KEY,
        tuple(settings.XIANFENG_FIELD_KEYS_PREVIOUS),
        settings.XIANFENG_FIELD_CIPHER,
    )


def current_key() -> FieldKey:
    return keyring()[0]


def is_encrypted(value) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


def current_prefix() -> str:
    key = current_key()
    return f"{PREFIX}{key.cipher}${key.kid}$"


def encrypt(plain: str) -> str:
    return current_key().encrypt(plain)


def decrypt(token: str) -> str:
    try:
        _v, cipher, kid, data = token.split("$", 3)
        raw = base64.urlsafe_b64decode(data)
    except (ValueError, binascii.Error) as exc:
        raise DecryptionError("密文格式无效") from exc
    for key in keyring():
        if key.kid == kid and key.cipher == cipher:
            return key.decrypt(raw)
    raise DecryptionError(f"没有可解密的密钥(密钥 {kid}, 算法 {cipher})；请检查 XIANFENG_FIELD_KEY")


def blind_index(purpose: str, value: str) -> str:
    """The blind index under the current key ('' for an empty value)."""
    return current_key().blind(purpose, value) if value else ""


def blind_candidates(purpose: str, value: str) -> list[str]:
    """The blind index under every configured key: what an exact lookup matches."""
    return [key.blind(purpose, value) for key in keyring()] if value else []


# ---------------------------------------------------------------- batches (migration, rotation)


def encrypted_fields(model):
    from xianfeng.core.fields import EncryptedField

    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedField)]


def blind_fields(model):
    from xianfeng.core.fields import BlindIndexField

    return [f for f in model._meta.concrete_fields if isinstance(f, BlindIndexField)]


def reencrypt_rows(model, *, batch_size=500, on_batch=None) -> int:
    """Bring every row of `model` to the current key: plain values (before the migration)
    and values under a previous key are (re-)encrypted and their blind indexes recomputed.

    Each batch commits on its own, and a row already under the current key is skipped, so
    after a crash the same call resumes where it stopped and loses nothing. `on_batch(n)` is
    called after each committed batch. Returns the number of rows rewritten.
    """
    from django.db import models, transaction
    from django.db.models.functions import Cast

    fields = encrypted_fields(model)
    if not fields:
        return 0
    blinds = blind_fields(model)
    prefix = current_prefix()
    raw = {f"raw_{f.attname}": Cast(f.attname, output_field=models.TextField()) for f in fields}
    done, last_pk = 0, None
    while True:
        qs = model._base_manager.order_by("pk").annotate(**raw)
        if last_pk is not None:
            qs = qs.filter(pk__gt=last_pk)
        rows = list(qs[:batch_size])
        if not rows:
            return done
        last_pk = rows[-1].pk
        stale = [
            row
            for row in rows
            if any(
                getattr(row, f"raw_{f.attname}")
                and not getattr(row, f"raw_{f.attname}").startswith(prefix)
                for f in fields
            )
            or any(getattr(row, b.attname) != (b.compute(row) or None) for b in blinds)
        ]
        if not stale:
            continue
        for row in stale:
            for b in blinds:
                setattr(row, b.attname, b.compute(row) or None)
        with transaction.atomic():
            model._base_manager.bulk_update(
                stale, [f.name for f in fields] + [b.name for b in blinds], batch_size=batch_size
            )
        done += len(stale)
        if on_batch:
            on_batch(len(stale))


def encrypt_existing(app_label: str, *model_names: str):
    """A RunPython function encrypting the existing rows of these models (historical models)."""

    def run(apps, schema_editor):
        for name in model_names:
            reencrypt_rows(apps.get_model(app_label, name), batch_size=1000)

    return run
