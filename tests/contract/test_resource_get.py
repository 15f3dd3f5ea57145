"""``Group.get``, ``User.get`` and ``SimConfig.get`` read an existing object into a program through the real
Pulumi CLI: the engine calls the provider's ``read`` for a resource registered with an id,
and nothing on the platform is written, at ``up`` or at ``destroy``. (The in-process
``ProgramRunner`` answers a read with the inputs it was given and never calls ``read``, so
only the CLI shows what the engine does.)"""
from __future__ import annotations

from pathlib import Path

PROJECT = "resource-get"

PROGRAM = '''\
import pulumi
import pulumi_novaconnect as nc

config = pulumi.Config()
group = nc.Group.get("meters", config.require("groupId"))
sim = nc.SimConfig.get("pump", config.require("iccid"))
user = nc.User.get("ops", config.require("userId"))
pulumi.export("group_name", group.name)
pulumi.export("sim_number", sim.number)
pulumi.export("sim_groups", sim.groups)
pulumi.export("sim_blocked", sim.blocked)
pulumi.export("user_email", user.email)
'''

WRITES = ("group/create", "group/edit", "group/remove",
          "user/create", "user/edit", "user/password", "user/remove")


def project(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "Pulumi.yaml").write_text(f"name: {PROJECT}\nruntime: python\n")
    (folder / "__main__.py").write_text(PROGRAM)
    return folder


def test_a_group_a_user_and_a_sim_read_by_id_are_exported_and_never_written(novaconnect_cli, novaconnect_control, tmp_path):
    sim = novaconnect_control.change_sim(novaconnect_control.pick("TC")["iccid"], groups=["Pumps"])
    group = novaconnect_control.group("Pumps")
    user = novaconnect_control.users()[0]
    cli = novaconnect_cli(project(tmp_path / "program"),
                          {f"{PROJECT}:groupId": str(group["id"]), f"{PROJECT}:iccid": sim["iccid"],
                           f"{PROJECT}:userId": str(user["id"])})
    novaconnect_control.clear_requests()

    cli.up()

    assert cli.outputs() == {"group_name": "Pumps", "sim_number": sim["number"], "sim_groups": ["Pumps"],
                             "sim_blocked": False, "user_email": user["email"]}
    cli.destroy()
    methods = novaconnect_control.methods()
    assert "sim/list" in methods and "group/list" in methods
    assert not novaconnect_control.sim_writes() and not set(methods) & set(WRITES)
    assert novaconnect_control.group("Pumps") is not None and novaconnect_control.user(user["email"]) is not None


def test_a_get_of_an_id_the_account_does_not_have_fails_naming_it(novaconnect_cli, novaconnect_control, tmp_path):
    missing_iccid = "8997000000000000000"
    assert all(s["iccid"] != missing_iccid for s in novaconnect_control.sims())
    cli = novaconnect_cli(project(tmp_path / "program"), {f"{PROJECT}:groupId": "999999", f"{PROJECT}:iccid": missing_iccid,
                                                          f"{PROJECT}:userId": "999998"})

    result = cli.up(check=False)

    assert result.returncode != 0
    assert "Group.get: no group with id 999999 on this NovaConnect account" in result.text
    assert "User.get: no user with id 999998 on this NovaConnect account" in result.text
    assert f"SimConfig.get: no SIM with ICCID {missing_iccid} on this NovaConnect account" in result.text
    assert not novaconnect_control.sim_writes()
