"""Variants of real list names as a screener meets them: another order, a typo, another legal form,
another script.  Shared by the tests and benchmarks/screening.py so both measure the same thing."""

from __future__ import annotations

import random
import string

from clearance.screening import EntityType, ListEntry

# Real SDN (2024-05-03) entries written in the script of their country, by hand.
TRANSLITERATED: tuple[tuple[str, str], ...] = (
    ("Путин Владимир Владимирович", "PUTIN, Vladimir Vladimirovich"),
    ("Шойгу Сергей Кужугетович", "SHOIGU, Sergei Kuzhugetovich"),
    ("Лавров Сергей Викторович", "LAVROV, Sergei Viktorovich"),
    ("Пригожин Евгений Викторович", "PRIGOZHIN, Yevgeniy Viktorovich"),
    ("Дерипаска Олег Владимирович", "DERIPASKA, Oleg Vladimirovich"),
    ("Сечин Игорь Иванович", "SECHIN, Igor Ivanovich"),
    ("Ротенберг Аркадий Романович", "ROTENBERG, Arkady Romanovich"),
    ("徐斌", "XU, Bin"),
    ("Νικολάς Μαδούρο Μόρος", "MADURO MOROS, Nicolas"),
    ("\uff30\uff55\uff54\uff49\uff4e Vladimir", "PUTIN, Vladimir Vladimirovich"),   # full-width
)


def reorder(name: str) -> str:
    """ "LAST, First Middle" as "First Middle LAST"; other names with their words reversed."""
    if ", " in name:
        last, first = name.split(", ", 1)
        return f"{first} {last}"
    return " ".join(reversed(name.split()))


def misspell(name: str, rng: random.Random) -> str:
    """One typo (substitution, deletion or swap) inside the longest word, never its first letter."""
    words = name.split()
    i = max(range(len(words)), key=lambda k: len(words[k]))
    word = words[i]
    if len(word) < 5:
        return name
    at = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("sub", "del", "swap"))
    if kind == "sub":
        word = word[:at] + rng.choice(string.ascii_uppercase) + word[at + 1:]
    elif kind == "del":
        word = word[:at] + word[at + 1:]
    else:
        word = word[:at] + word[at + 1] + word[at] + word[at + 2:]
    words[i] = word
    return " ".join(words)


def relegal(name: str, rng: random.Random) -> str:
    """The organisation's name with another legal form after it."""
    return f"{name.rstrip('.')} {rng.choice(('LLC', 'Co., Ltd.', 'GmbH', 'OOO', 'S.A.', 'JSC', 'Limited'))}"


def variants(entries: list[ListEntry], seed: int = 7) -> list[tuple[str, str, ListEntry]]:
    """(kind, query, the entry it must find) for each entry: name order for people written "LAST, First",
    a typo for all, another legal form for firms."""
    rng = random.Random(seed)
    out: list[tuple[str, str, ListEntry]] = []
    for entry in entries:
        if entry.entity_type is EntityType.PERSON and ", " in entry.name:
            out.append(("order", reorder(entry.name), entry))
        out.append(("spelling", misspell(entry.name, rng), entry))
        if entry.entity_type is EntityType.ORGANIZATION:
            out.append(("legal form", relegal(entry.name, rng), entry))
    return out
