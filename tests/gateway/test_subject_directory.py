"""Key holders' subjects are in memory with the key ring: an API-key request never queries the store."""

from __future__ import annotations

import asyncio

from sqlalchemy import event

from clearance.domain.subjects import Nationality, Subject
from clearance.gateway.subjects import SubjectDirectory
from clearance.store import Store


def _statements(store: Store) -> list[str]:
    seen: list[str] = []
    event.listen(store._engine, "before_cursor_execute",
                 lambda conn, cursor, statement, *rest: seen.append(statement))
    return seen


def test_key_holders_are_answered_from_memory(store: Store) -> None:
    people = [Subject(id=f"s{n}", citizenships=(Nationality("IN"),)) for n in range(50)]
    store.import_subjects(people, actor="tests")
    for person in people[:10]:
        store.create_api_key(person.id, actor="tests")
    directory = SubjectDirectory.of_key_holders(store)
    assert len(directory) == 10
    statements = _statements(store)
    found = asyncio.run(directory.get("s3"))
    assert found == people[3]
    assert statements == []  # no query for a key holder


def test_others_are_read_once_then_remembered_even_when_absent(store: Store) -> None:
    store.import_subjects([Subject(id="jwt-only", citizenships=(Nationality("FR"),))], actor="tests")
    directory = SubjectDirectory.of_key_holders(store)
    statements = _statements(store)

    async def twice(subject_id: str) -> tuple[Subject | None, Subject | None]:
        return await directory.get(subject_id), await directory.get(subject_id)

    first, second = asyncio.run(twice("jwt-only"))
    assert first == second and first is not None and first.citizenships[0].country == "FR"
    queries = len(statements)
    assert queries >= 1
    assert asyncio.run(twice("nobody")) == (None, None)
    assert len(statements) > queries  # looked up once
    before = len(statements)
    asyncio.run(twice("nobody"))
    assert len(statements) == before  # "not stored" is remembered too
