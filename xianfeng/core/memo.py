"""Small reference tables held in each process for a short while.

For data read on every hit of a hot public page and changed a few times a year (request
categories, the grid behind a service board's QR code). A save or delete in this process
clears its copy at once (see `forget_on`); other processes reload within `seconds`. Tests
start each case with every memo cleared.
"""

import threading
import time

from django.db.models.signals import post_delete, post_save

_MEMOS = []


class Memo:
    def __init__(self, load, *, seconds):
        self._load = load
        self._seconds = seconds
        self._value = None
        self._expires = 0.0
        self._lock = threading.Lock()
        _MEMOS.append(self)

    def get(self):
        if time.monotonic() >= self._expires:
            with self._lock:
                if time.monotonic() >= self._expires:
                    self._value = self._load()
                    self._expires = time.monotonic() + self._seconds
        return self._value

    def forget(self, **_signal_kwargs):
        self._expires = 0.0

    def forget_on(self, *models):
        for model in models:
            post_save.connect(self.forget, sender=model, weak=False)
            post_delete.connect(self.forget, sender=model, weak=False)
        return self


class KeyedMemo(Memo):
    """One entry per key, loaded on first use; a key that loads None is not kept."""

    def __init__(self, load_one, *, seconds, size=20_000):
        super().__init__(dict, seconds=seconds)
        self._load_one = load_one
        self._size = size

    def get(self, key):
        entries = super().get()
        value = entries.get(key)
        if value is None:
            value = self._load_one(key)
            if value is not None and len(entries) < self._size:
                entries[key] = value
        return value


def forget_all():
    for memo in _MEMOS:
        memo.forget()
