"""Sample units: e-mail addresses, numeric strings, non-ASCII text and UTF-8 length boundaries,
and UUID-like ids from a seeded random.Random."""

from __future__ import annotations

import random


def uuid_like(rng: random.Random) -> str:
    n = rng.getrandbits(128)
    n = (n & ~(0xF000 << 64)) | (0x4000 << 64)  # version 4
    n = (n & ~(0xC000 << 48)) | (0x8000 << 48)  # RFC 4122 variant
    h = f'{n:032x}'
    return f'{h[0:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}'


ASCII_EMAILS = [
    'alice@example.com', 'bob.smith+newsletter@example.co.uk', 'carol_o-neil@sub.example.org',
    'dave@localhost', 'EVE@EXAMPLE.COM', 'frank.123@example.io', 'grace@xn--bcher-kva.example',
    'heidi+a+b+c@example.net', 'ivan@example.com ', 'judy@e.x',
    'mallory.very.long.local.part.for.the.stripe.loop@example.com', 'oscar@example.travel',
]

NUMERIC_STRINGS = ['0', '1', '42', '007', '-1', '3.14', '1e3', '4294967296', '9007199254740993', '12345678901234567890']

NON_ASCII = [
    ('accents', 'José'), ('accents-2', 'Zoë Müller'), ('accents-3', 'naïve café'), ('cedilla', 'François'),
    ('greek', 'Αλέξανδρος'), ('cyrillic', 'пользователь-7'), ('hebrew', 'משתמש'), ('arabic', 'مستخدم-٤٢'),
    ('cjk', '用户-42'), ('cjk-2', '张伟'), ('kana', 'ユーザー'), ('hangul', '사용자'),
    ('emoji', '🎉'), ('emoji-prefix', '🎉user-1'), ('emoji-zwj', '👩\u200d💻'), ('flag', '🇫🇷'),
    ('combining', 'e\u0301'), ('precomposed', 'é'), ('nbsp', 'user\u00a042'), ('bom', '\ufeffuser'),
    ('max-bmp', '\uffff'), ('max-code-point', '\U0010ffff'),
    ('mixed-long', 'ünïcödé-ユーザー-🎉-0123456789'), ('two-byte-run', 'ü' * 17),
    ('three-byte-run', '語' * 11), ('four-byte-run', '😀' * 5),
    # Lone and mis-ordered surrogates: hashed as U+FFFD in their place.
    ('lone-high', '\ud800'), ('lone-low', '\udc00'), ('lone-high-inside', 'a\ud83db'),
    ('lone-low-inside', 'a\ude00b'), ('lone-high-at-end', 'user-\udbff'), ('reversed-pair', '\ude00\ud83d'),
    ('lone-then-pair', '\ud800\ud83d\ude00'), ('replacement-char', '\ufffd'),
    # Where UTF-8 changes length, and the code points on either side of the surrogates.
    ('utf8-1-byte-max', 'u\u007f'), ('utf8-2-byte-min', 'u\u0080'), ('utf8-2-byte-max', 'u\u07ff'),
    ('utf8-3-byte-min', 'u\u0800'), ('below-surrogates', 'u\ud7ff'), ('above-surrogates', 'u\ue000'),
    ('utf8-4-byte-min', 'u\U00010000'),
]

# Code points where UTF-8 changes length (1 → 2 → 3 → 4 bytes) or meets the surrogate range.
UTF8_BOUNDARIES = ['\u007f', '\u0080', '\u07ff', '\u0800', '\ud7ff', '\ue000', '\uffff', '\U00010000', '\U0010ffff']
