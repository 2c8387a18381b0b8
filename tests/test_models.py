"""The report contract: the committed JSON Schema matches the models, and reports validate against it."""

import json

import jsonschema

from helpers import ROOT
from newsprism.models import SCHEMA_ID, Article, Report, report_json_schema

SCHEMA_FILE = ROOT / "schema" / "report.schema.json"


def test_models_schema_file_is_up_to_date():
    committed = json.loads(SCHEMA_FILE.read_text())
    assert committed == json.loads(json.dumps(report_json_schema())), (
        "schema/report.schema.json is stale: run `make schema` and commit it")


def test_models_schema_has_every_contract_section():
    props = report_json_schema()["properties"]
    for name in ("schema", "newsprism_version", "generated_at", "story", "articles", "facts", "conflicts",
                 "quotes", "actors", "framing", "timeline", "coverage", "summary"):
        assert name in props, name


def test_models_empty_report_validates_and_names_its_schema():
    report = Report(newsprism_version="0", generated_at="2026-01-01T00:00:00+00:00",
                    articles=[Article(id="a", source="a.txt", text="Text.")])
    data = json.loads(report.to_json())
    assert data["schema"] == SCHEMA_ID
    jsonschema.validate(data, json.loads(SCHEMA_FILE.read_text()))
    assert data["coverage"]["lean"] == {"left": 0, "lean_left": 0, "center": 0, "lean_right": 0, "right": 0,
                                        "unknown": 0}


def test_models_schema_rejects_a_wrong_kind():
    report = json.loads(Report(newsprism_version="0", generated_at="x",
                               articles=[Article(id="a", source="a", text="t")]).to_json())
    report["articles"][0]["kind"] = "blog"
    try:
        jsonschema.validate(report, json.loads(SCHEMA_FILE.read_text()))
    except jsonschema.ValidationError:
        return
    raise AssertionError("an article kind outside the contract validated")
