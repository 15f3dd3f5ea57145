"""The export's acceptance: a seeded account of 2,500 SIMs, exported, then run as a program,
is adopted with zero write calls, and the preview that follows is empty."""
from __future__ import annotations

import time

import pytest
import yaml

from pulumi_novaconnect.client import NovaConnectClient
from pulumi_novaconnect.emulator import Emulator
from pulumi_novaconnect.export.__main__ import main
from pulumi_novaconnect.testing import ADMIN_TOKEN, EmulatorControl, ProgramRunner, secret

pytestmark = pytest.mark.slow

SIMS = 2500
# Everything a program may call to read the account; any other method changes it.
READS = {"sim/list", "group/list", "user/list", "user/get", "company/get", "bill/list"}


@pytest.fixture(scope="module")
def account():
    """An emulator of its own with 2,500 seeded SIMs, plus groups, a user and SIM settings made
    by hand, some of which no declaration can reproduce (the export must leave those unmanaged)."""
    with Emulator(sims=SIMS, seed=11, queue_delay=0.05) as emu:
        with NovaConnectClient(endpoint=emu.url, token=ADMIN_TOKEN) as api:
            water = api.group_create("Water meters")
            api.group_create("Street lights")
            api.user_create(first_name="Ayan", last_name="Omarov", email="ayan.omarov@example.kz",
                            phone="+77015550101", role="user", send=False)
            sims = api.list_sims()
            api.sim_group([s.id for s in sims[:40]], group_ids=[water.id], new_groups=["Pilot; phase 2"])
            api.sim_group([s.id for s in sims[40:45]], group_ids=[])  # in no group at all
            api.sim_edit(sims[50].id, " spaced name ")
            tc = [s for s in sims if s.profile == "TC" and s.block == "n"]
            api.sim_limit([s.id for s in tc[:30]], type="month1", value_mb=250)
        EmulatorControl(emu).drain()
        yield emu


def test_the_exported_program_adopts_2500_sims_with_no_write_call_and_previews_empty(account, tmp_path, monkeypatch):
    monkeypatch.setenv("NOVACONNECT_ENDPOINT", account.url)
    monkeypatch.setenv("NOVACONNECT_TOKEN", ADMIN_TOKEN)
    out = tmp_path / "account"
    started = time.monotonic()
    assert main(["--out", str(out)]) == 0
    exported = time.monotonic() - started
    assert sorted(p.name for p in out.iterdir()) == ["Pulumi.yaml", "__main__.py", "inventory.csv", "requirements.txt"]

    control = EmulatorControl(account)
    state = control.state()
    project = yaml.safe_load((out / "Pulumi.yaml").read_text())
    runner = ProgramRunner(
        str(out), project=project["name"], stack="adopt",
        config={"novaconnect:endpoint": account.url, "novaconnect:token": secret(ADMIN_TOKEN),
                "novaconnect:convergeTimeout": "20", "novaconnect:pollInterval": "0.05"},
        state_path=tmp_path / "state.json",
    )
    control.clear_requests()
    result = runner.up()
    methods = set(control.methods())
    assert methods <= READS, f"write calls during adoption: {sorted(methods - READS)}"

    created = {(s.type.rsplit(":", 1)[-1], s.kind) for s in result.steps}
    assert created == {("Group", "create"), ("User", "create"), ("SimFleet", "create")}
    kinds = [s.type.rsplit(":", 1)[-1] for s in result.steps]
    assert kinds.count("Group") == len(state["groups"]) and kinds.count("User") == len(state["users"])
    assert result.outputs["sim_count"] == SIMS
    assert control.state()["sims"] == state["sims"]  # nothing about any SIM moved

    assert runner.preview().changes == []
    assert exported < 60, f"the export of {SIMS} SIMs took {exported:.1f} s"
