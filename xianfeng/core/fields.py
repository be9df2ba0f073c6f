"""Model fields shared by every app."""

from django.conf import settings
from django.db import models


def actor_field(verbose_name, **options):
    """Who did it: a login, kept as NULL when the login is deleted so the record survives."""
    options = {
        "null": True,
        "blank": True,
        "on_delete": models.SET_NULL,
        "related_name": "+",
        **options,
    }
    return models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=verbose_name, **options)


# ---------------------------------------------------------------- encrypted personal numbers

TRANSFORMS = {
    "upper": lambda v: v.strip().upper(),
    "digits": lambda v: "".join(c for c in v if c.isdigit()),
    "last4_upper": lambda v: v.strip().upper()[-4:],
    "last4_digits": lambda v: "".join(c for c in v if c.isdigit())[-4:],
}


class EncryptedField(models.TextField):
    """A 身份证号 or phone, stored encrypted (core.crypto), read back as plain text.

    Encryption happens in get_prep_value, so save(), bulk_create() and bulk_update() all
    store ciphertext. `exact` / `in` lookups are answered by the BlindIndexField named
    `blind` (keyed HMAC under every configured key); an empty value is stored as ''.
    `max_length` applies to the plain value (forms, validation), not to the column.
    """

    def __init__(self, *args, blind=None, **kwargs):
        self.blind = blind
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.blind:
            kwargs["blind"] = self.blind
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        from xianfeng.core import crypto

        return crypto.decrypt(value) if crypto.is_encrypted(value) else value

    def get_prep_value(self, value):
        from xianfeng.core import crypto

        value = super().get_prep_value(value)
        if value is None or value == "" or crypto.is_encrypted(value):
            return value
        return crypto.encrypt(str(value))

    def formfield(self, **kwargs):
        from django import forms

        return super().formfield(**{"form_class": forms.CharField, "widget": None, **kwargs})

    def blind_field(self):
        return self.model._meta.get_field(self.blind) if self.blind else None


class BlindIndexField(models.CharField):
    """Keyed HMAC of (a transform of) `source`, maintained on every save and bulk_create."""

    def __init__(self, *args, source, purpose, transform="upper", **kwargs):
        self.source, self.purpose, self.transform = source, purpose, transform
        kwargs.update(max_length=40, editable=False, null=True, blank=True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for key in ("max_length", "editable", "null", "blank"):
            kwargs.pop(key, None)
        kwargs.update(source=self.source, purpose=self.purpose, transform=self.transform)
        return name, path, args, kwargs

    def prepare(self, value) -> str:
        return TRANSFORMS[self.transform](value or "")

    def compute(self, instance):
        from xianfeng.core import crypto

        return crypto.blind_index(self.purpose, self.prepare(getattr(instance, self.source)))

    def candidates(self, value) -> list[str]:
        from xianfeng.core import crypto

        return crypto.blind_candidates(self.purpose, self.prepare(value))

    def pre_save(self, model_instance, add):
        value = self.compute(model_instance) or None
        setattr(model_instance, self.attname, value)
        return value


class _BlindLookup(models.Lookup):
    prepare_rhs = False
    can_use_none_as_rhs = True

    def values(self):
        raise NotImplementedError

    def as_sql(self, compiler, connection):
        field = self.lhs.output_field
        values = [v for v in self.values() if v not in (None, "")]
        empty = len(values) < len(self.values())
        parts, params = [], []
        if values:
            blind = field.blind_field()
            if blind is None:
                from django.core.exceptions import FieldError

                raise FieldError(f"{field.name} 已加密且无盲索引，不能按值查询")
            hashes = [h for v in values for h in blind.candidates(v)]
            col_sql, col_params = compiler.compile(blind.get_col(self.lhs.alias))
            parts.append(f"{col_sql} IN ({', '.join(['%s'] * len(hashes))})")
            params += [*col_params, *hashes]
        if empty:
            lhs_sql, lhs_params = compiler.compile(self.lhs)
            parts.append(f"({lhs_sql} = '' OR {lhs_sql} IS NULL)")
            params += [*lhs_params, *lhs_params]
        if not parts:
            return "1 = 0", []
        return "(" + " OR ".join(parts) + ")", params


@EncryptedField.register_lookup
class BlindExact(_BlindLookup):
    lookup_name = "exact"

    def values(self):
        return [self.rhs]


@EncryptedField.register_lookup
class BlindIn(_BlindLookup):
    lookup_name = "in"

    def values(self):
        return list(self.rhs)
