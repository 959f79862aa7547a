"""The JSON API: token auth, the same scope and roles as the pages, and the OpenAPI schema."""

import json

import pytest
from django.urls import get_resolver

from mawa.core.models import ApiToken, AuditEvent
from mawa.registry.models import Household


def token_for(user) -> dict:
    plain = f"token-{user.username}-0123456789"
    ApiToken.objects.get_or_create(user=user, key=ApiToken.digest(plain))
    return {"HTTP_AUTHORIZATION": f"Bearer {plain}"}


def payload(camp, **changes):
    body = {
        "site": str(camp.pk),
        "arrival_date": "2017-02-01",
        "consent_date": "2017-02-01",
        "consent_purposes": ["assistance"],
        "origin_pcode": "IQG15Q05",
        "members": [
            {
                "relationship": "head",
                "sex": "F",
                "given_name_ar": "فاطمة",
                "father_name_ar": "حسن",
                "family_name_ar": "العبيدي",
                "birth_date": "١٩٧٥",
            },
            {
                "relationship": "son",
                "sex": "M",
                "given_name_lat": "Yousif",
                "birth_date": "2010-05-05",
            },
        ],
    }
    body.update(changes)
    return body


def api_routes():
    """(method, path) of every operation in the schema, with ids filled in later."""
    from mawa.api import api

    schema = api.get_openapi_schema()
    for path, operations in schema["paths"].items():
        for method in operations:
            yield method, path


@pytest.mark.django_db
def test_every_api_route_refuses_anonymous(client, family_a):
    routes = list(api_routes())
    assert len(routes) >= 6
    for method, path in routes:
        url = path.replace("{household_id}", str(family_a.pk))
        response = client.generic(method.upper(), url, content_type="application/json")
        if path == "/api/v1/field/sync":
            # A node authenticates by the bundle it sends, sealed with its own key: without
            # one, nothing is read or answered (tests/field/test_http.py covers the rest).
            assert response.status_code == 400, response.content
            assert "not a Mawa" in response.json()["detail"]
            continue
        assert response.status_code == 401, (method, path)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "method,path",
    [
        ("get", "/api/v1/households"),
        ("get", "/api/v1/households/{id}"),
        ("get", "/api/v1/people?q=الجبوري"),
        ("get", "/api/v1/movements"),
        ("post", "/api/v1/households"),
    ],
)
def test_api_wrong_role_and_wrong_site(client, users, family_a, camp_a, method, path):
    url = path.replace("{id}", str(family_a.pk))
    body = payload(camp_a) if method == "post" else None
    viewer = client.generic(
        method.upper(),
        url,
        data=__import__("json").dumps(body) if body else "",
        content_type="application/json",
        **token_for(users["victor"]),
    )
    assert viewer.status_code == 403
    other = client.generic(
        method.upper(),
        url,
        data=__import__("json").dumps(body) if body else "",
        content_type="application/json",
        **token_for(users["bob"]),
    )
    if "{id}" in path or method == "post":
        assert other.status_code == 404
    else:
        assert other.status_code == 200
        assert family_a.reference not in other.content.decode()
        assert str(family_a.pk) not in other.content.decode()


@pytest.mark.django_db
def test_sites_route_is_scoped(client, users, camp_a, camp_b):
    data = client.get("/api/v1/sites", **token_for(users["alice"])).json()
    assert [s["code"] for s in data] == ["camp-a"]


@pytest.mark.django_db
def test_register_through_api_and_read_back(client, users, camp_a, areas):
    response = client.post(
        "/api/v1/households",
        payload(camp_a),
        content_type="application/json",
        **token_for(users["alice"]),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["origin_pcode"] == "IQG15Q05"
    head = next(m for m in body["members"] if m["relationship"] == "head")
    assert head["birth_date"] == "1975-01-01" and head["birth_date_precision"] == "year"
    found = client.get("/api/v1/households?q=العبيدي", **token_for(users["alice"])).json()
    assert [h["id"] for h in found["items"]] == [body["id"]]
    detail = client.get(f"/api/v1/households/{body['id']}", **token_for(users["alice"]))
    assert detail.status_code == 200
    assert AuditEvent.objects.filter(action="view", username="alice").count() == 3  # list + 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change,field",
    [
        ({"arrival_date": "2999-01-01"}, "arrival_date"),
        ({"arrival_date": "not a date"}, "arrival_date"),
        ({"origin_pcode": "IQG99Q99"}, "origin_pcode"),
        ({"members": [{"relationship": "son", "sex": "M", "given_name_ar": "علي"}]}, "members"),
        ({"members": [{"relationship": "head", "sex": "X", "given_name_ar": "علي"}]}, "sex"),
        (
            {
                "members": [
                    {
                        "relationship": "head",
                        "sex": "M",
                        "given_name_ar": "علي",
                        "birth_date": "1850-01-01",
                    }
                ]
            },
            "birth_date",
        ),
        ({"members": [{"relationship": "head", "sex": "M"}]}, "given_name_ar"),
        ({"consent_purposes": []}, "consent_purposes"),
        ({"site": "not-a-uuid"}, "site"),
        ({"members": []}, "members"),
    ],
)
def test_api_rejects_bad_input_with_422(client, users, camp_a, areas, change, field):
    response = client.post(
        "/api/v1/households",
        payload(camp_a, **change),
        content_type="application/json",
        **token_for(users["alice"]),
    )
    assert response.status_code == 422, response.content
    assert field in response.content.decode()
    assert Household.objects.count() == 0


@pytest.mark.django_db
def test_openapi_schema_and_docs(client, users):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert {"/api/v1/households", "/api/v1/sites", "/api/v1/movements"} <= set(paths)
    assert client.get("/api/v1/docs").status_code == 200


def test_api_is_mounted_once():
    names = [p.pattern.describe() for p in get_resolver().url_patterns]
    assert sum("api/v1/" in n for n in names) == 1


@pytest.mark.django_db
def test_text_no_database_can_store_is_a_400_in_the_error_shape(client, users, camp_a, areas):
    headers = token_for(users["alice"])
    for bad in ('"\\ud800"', '"a\\u0000b"'):
        body = json.dumps(payload(camp_a)).replace(json.dumps("فاطمة"), bad)
        assert bad in body
        response = client.post(
            "/api/v1/households", body, content_type="application/json", **headers
        )
        assert response.status_code == 400 and isinstance(response.json()["detail"], str)
    response = client.get("/api/v1/people", {"q": "a\x00b"}, **headers)
    assert response.status_code == 400 and isinstance(response.json()["detail"], str)
    assert not Household.objects.exists()


@pytest.mark.django_db
def test_schema_errors_have_the_documented_shape_and_every_operation_documents_them(client, users):
    response = client.get("/api/v1/people", **token_for(users["alice"]))  # q is required
    assert response.status_code == 422
    body = response.json()
    assert isinstance(body["detail"], str) and "q" in body["errors"]
    schema = client.get("/api/v1/openapi.json").json()
    for methods in schema["paths"].values():
        for operation in methods.values():
            assert {"400", "401", "403", "404", "422"} <= set(operation["responses"])


@pytest.fixture
def ticket_a(users, camp_a, family_a):
    from mawa.feedback.services import Intake, ticket_record

    intake = Intake(
        category="missing_from_list",
        channel="desk",
        language="ar",
        text="اسمي ليس في القائمة",
        site=camp_a,
        household=family_a,
    )
    return ticket_record(actor=users["mona"], intake=intake)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "method,path",
    [
        ("get", "/api/v1/feedback"),
        ("get", "/api/v1/feedback/{id}"),
        ("post", "/api/v1/feedback"),
    ],
)
def test_feedback_api_wrong_role_and_wrong_site(client, users, ticket_a, camp_a, method, path):
    url = path.replace("{id}", str(ticket_a.pk))
    body = {
        "category": "information",
        "channel": "hotline",
        "text": "متى التوزيع؟",
        "language": "ar",
        "site": str(camp_a.pk),
    }

    def call(user):
        data = __import__("json").dumps(body) if method == "post" else ""
        return client.generic(
            method.upper(), url, data=data, content_type="application/json", **token_for(user)
        )

    assert call(users["victor"]).status_code == 403  # a viewer: figures only
    other = call(users["max"])  # a camp manager of Camp B
    if "{id}" in path or method == "post":
        assert other.status_code == 404
    else:
        assert other.status_code == 200
        assert str(ticket_a.pk) not in other.content.decode()
    assert call(users["mona"]).status_code in (200, 201)
