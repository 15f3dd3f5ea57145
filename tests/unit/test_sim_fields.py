"""Each SIM setting is declared once, in the field model (sim/fields.py), and everything that
names a setting derives from it: a throwaway field added to the model shows up in the
declaration model, the plan, the inventory codecs, the export writer and the schema, and
schema.json's settings are the model's."""
from __future__ import annotations

import csv
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import pytest

from pulumi_novaconnect import inventory
from pulumi_novaconnect.client.models import Sim
from pulumi_novaconnect.export.check import compare
from pulumi_novaconnect.export.entries import csv_row, entry_for, write_inventory
from pulumi_novaconnect.sim.actions import Action
from pulumi_novaconnect.sim.fields import SIM_FIELDS, SimField, text_cells, when_differs
from pulumi_novaconnect.sim.plan import plan
from pulumi_novaconnect.sim.spec import MANAGED_FIELDS, SimSpec, spec_model

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "schema.json"
UPDATE = "UPDATE_SCHEMA"
ICCID = "8997012345678901234"


@dataclass(frozen=True)
class SetNote(Action):
    method: ClassVar[str] = "sim/note"
    field: ClassVar[str] = "note"
    note: str = ""


@pytest.fixture()
def with_note():
    """The model with one more setting, declared the way every real one is (and gone after)."""
    note = SimField(
        name="note", annotation=str, doc="A note kept on the SIM", schema={"type": "string"},
        read_live=lambda sim: sim.comment,
        planner=when_differs(lambda p: SetNote(p.live, p.desired, note=p.desired)),
        cells=text_cells("note"), exported=lambda _sim, value: value or None,
    )
    yield SIM_FIELDS.plus(note)
    spec_model.cache_clear()


def live_sim(**overrides) -> Sim:
    data = {"id": 7, "iccid": ICCID, "number": "77010000007", "name": "pump-7", "profile": "TC", "block": "n",
            "comment": "on the roof", "groups": [{"id": 1, "name": "Meters"}],
            "limit": {"type": "month1", "value": 500, "used": 12.5, "updated": 1, "created": 1}}
    return Sim.model_validate({**data, **overrides})


def test_a_new_field_is_declared_once_and_shows_everywhere(with_note, tmp_path):
    model = spec_model(with_note)
    assert "note" in model.model_fields and "note" not in SimSpec.model_fields

    # The plan: a difference in the field is a call for it; no difference, no call.
    current = plan(live_sim(), model(iccid=ICCID, note="in the cellar"))
    assert [(type(a), a.describe()) for a in current.actions] == [(SetNote, "note: 'on the roof' => 'in the cellar'")]
    assert plan(live_sim(), model(iccid=ICCID, note="on the roof")).converged

    # The schema fragment.
    assert with_note.schema()["note"] == {"type": "string", "description": "A note kept on the SIM; not managed when left out."}

    # The export writer: the live value is exported, written in its column, and read back.
    entry = entry_for(live_sim(), with_note)
    assert entry["note"] == "on the roof"
    assert csv_row(ICCID, entry, with_note)["note"] == "on the roof"
    path = write_inventory(tmp_path, {ICCID: entry}, "csv", with_note)
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert rows[0]["note"] == "on the roof" and list(rows[0])[-1] == "note"
    # The inventory codec.
    assert inventory._settings_from_row(rows[0], "here", with_note)["note"] == "on the roof"


def test_a_difference_in_a_new_field_is_drift_for_the_check(with_note):
    drift = compare({ICCID: {"note": "in the cellar"}}, {ICCID: live_sim()}, with_note)
    assert drift.fields == {ICCID: ['note: "on the roof" => "in the cellar"']}


def test_the_package_derives_from_the_model():
    assert MANAGED_FIELDS == SIM_FIELDS.names == tuple(SimSpec.model_fields)[1:-2]
    assert inventory.CSV_COLUMNS == SIM_FIELDS.csv_columns()
    assert inventory.YAML_FIELDS == SIM_FIELDS.names




def test_schema_json_describes_the_settings_as_the_model_does():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    derived = SIM_FIELDS.schema()
    places = {
        ("types", "novaconnect:index:SimSettings", "properties"): SIM_FIELDS.names,
        ("resources", "novaconnect:index:SimConfig", "inputProperties"): SIM_FIELDS.names,
        ("resources", "novaconnect:index:SimConfig", "properties"): SIM_FIELDS.names,
        ("resources", "novaconnect:index:GroupPolicy", "inputProperties"): SIM_FIELDS.per_group,
        ("resources", "novaconnect:index:GroupPolicy", "properties"): SIM_FIELDS.per_group,
    }
    if os.environ.get(UPDATE):
        for (kind, token, part), names in places.items():
            target = schema[kind][token][part]
            others = {k: v for k, v in target.items() if k not in SIM_FIELDS}
            schema[kind][token][part] = {**{n: derived[n] for n in names}, **others}
        SCHEMA_PATH.write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    for (kind, token, part), names in places.items():
        described = schema[kind][token][part]
        assert {n: described.get(n) for n in SIM_FIELDS.names if n in described} == {n: derived[n] for n in names}, (
            f"schema.json's {token} {part} describe the SIM settings otherwise than sim/fields.py; "
            f"run `{UPDATE}=1 pytest {Path(__file__).name}` and read the diff")
