import pytest

from tests.field.places import Places, migrated_template


@pytest.fixture(scope="session")
def field_template(tmp_path_factory, django_db_blocker):
    with django_db_blocker.unblock():
        return migrated_template(tmp_path_factory.mktemp("field-template"))


@pytest.fixture
def places(field_template, tmp_path, django_db_blocker):
    """Headquarters and nodes, each its own database (not the test database)."""
    with django_db_blocker.unblock():
        yield Places(field_template, tmp_path)
