"""Company groups: unique slugs, validated changes, and deletes that must name the slug."""

from __future__ import annotations

import pytest

from hireflow.domain.models.org import BusinessUnit
from hireflow.domain.services.company_groups import CompanyGroups
from hireflow.shared.errors import Conflict, NotFound, ValidationFailed
from tests.unit.fakes import FakeUnitOfWorkFactory


def test_create_get_update_and_list(factory: FakeUnitOfWorkFactory) -> None:
    groups = CompanyGroups(factory)
    acme = groups.create({"name": "Acme", "slug": "acme", "id": 99, "timezone": "Europe/Madrid"})
    globex = groups.create({"name": "Globex", "slug": "globex"})

    assert acme.id != 99  # ids are the store's to give
    assert groups.get(acme.id or 0).timezone == "Europe/Madrid"
    renamed = groups.update(acme.id or 0, {"name": "Acme Corp", "slug": "acme"})  # keeping its own slug
    assert (renamed.name, renamed.slug) == ("Acme Corp", "acme")
    assert [g.id for g in groups.list()] == [acme.id, globex.id]
    assert [g.id for g in groups.list(limit=1, after_id=acme.id)] == [globex.id]


def test_slugs_are_unique(factory: FakeUnitOfWorkFactory) -> None:
    groups = CompanyGroups(factory)
    groups.create({"name": "Acme", "slug": "acme"})
    globex = groups.create({"name": "Globex", "slug": "globex"})

    with pytest.raises(Conflict, match="'acme' is taken"):
        groups.create({"name": "Acme 2", "slug": "acme"})
    with pytest.raises(Conflict, match="'acme' is taken"):
        groups.update(globex.id or 0, {"slug": "acme"})
    assert groups.get(globex.id or 0).slug == "globex"


def test_bad_values_list_every_field(factory: FakeUnitOfWorkFactory) -> None:
    groups = CompanyGroups(factory)
    with pytest.raises(ValidationFailed) as caught:
        groups.create({"name": "", "slug": "Bad Slug"})
    assert {error["field"] for error in caught.value.errors} == {"name", "slug"}
    with factory() as uow:
        assert uow.company_groups.count() == 0


def test_a_delete_must_repeat_the_slug_and_takes_the_tenants_data(factory: FakeUnitOfWorkFactory) -> None:
    groups = CompanyGroups(factory)
    acme = groups.create({"name": "Acme", "slug": "acme"})
    assert acme.id is not None
    with factory(acme.id) as uow:
        uow.business_units.add(BusinessUnit(company_group_id=acme.id, name="Logistics"))
        uow.commit()

    with pytest.raises(ValidationFailed, match="confirm=acme"):
        groups.delete(acme.id, "ACME")
    assert groups.get(acme.id).slug == "acme"

    groups.delete(acme.id, "acme")

    with pytest.raises(NotFound):
        groups.get(acme.id)
    with factory(acme.id) as uow:
        assert uow.business_units.count() == 0
    with pytest.raises(NotFound):
        groups.delete(acme.id, "acme")
