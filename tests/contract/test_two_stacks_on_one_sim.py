"""Two stacks that manage the same SIMs: what each can see of the other, and what it says.

NovaConnect keeps no owner of a SIM (its only free text is the SIM's `name`, which is the
program's to declare), and the claims that catch a SIM declared twice live in one provider
process, that is one stack. So a stack sees another only through what the other does: a
SIM's field showing a *third* value (neither what this run found nor what it declares) once
the queue has run this run's call, and, between runs, SIMs changed since this stack set
them. The first fails the SIM at once, naming it and the likely cause, instead of waiting
out the timeout with a hint about group membership; the second is a note at preview.
"""
from __future__ import annotations

import threading
import time

import pytest

from pulumi_novaconnect.testing.provider_host import ProviderError

from .conftest import Deployment, Managed, provider_config
from .test_preview_errors import stderr_of


def fleet(name: str, iccids, group: str) -> dict:
    return {"sims": {i: {"groups": [group]} for i in iccids}, "on_delete": "retain", "__name": f"SimFleet {name!r}"}


@pytest.fixture()
def second_stack(emulator, start_host) -> Deployment:
    """Another stack's provider process: same account, same settings, its own claims."""
    host = start_host()
    config = provider_config(emulator)
    host.configure(config)
    return Deployment(host, config)


def create_in_background(res: Managed, inputs: dict) -> dict:
    outcome: dict = {}

    def run() -> None:
        started = time.monotonic()
        try:
            outcome["outputs"] = res.create(inputs)
        except ProviderError as err:
            outcome["error"] = err
        outcome["seconds"] = time.monotonic() - started

    outcome["thread"] = threading.Thread(target=run)
    outcome["thread"].start()
    return outcome


@pytest.mark.novaconnect(queue_delay=60)
def test_the_stack_whose_change_is_overwritten_says_so_at_once_naming_the_sims(deploy, second_stack, platform):
    tc = platform.pick_many("TC", 4)
    ids = [s["iccid"] for s in tc]
    first, second = deploy.resource("SimFleet", "a"), second_stack.resource("SimFleet", "b")
    platform.clear_requests()
    a = create_in_background(first, fleet("a", ids[:3], "Stack A"))
    platform.wait_for(lambda: platform.count("sim/group") == 1)
    b = create_in_background(second, fleet("b", ids[1:], "Stack B"))
    platform.wait_for(lambda: platform.count("sim/group") == 2)
    platform.drain()  # the queue runs both calls, in the order they came: A's, then B's
    a["thread"].join(30)
    b["thread"].join(30)

    assert "outputs" in b, b.get("error")  # the later change stands
    error = a["error"]
    assert a["seconds"] < 5  # at once, not after novaconnect:convergeTimeout (10 s here)
    message = str(error)
    assert "2 of 3 SIMs did not reach the declared state" in message
    for iccid in ids[1:3]:
        assert (f"SIM {iccid} was changed by something else since this run read it: once NovaConnect's queue had "
                "run this run's call, ") in message
    assert ("groups is now ['Stack B'], neither " in message and "(as this run found it) nor ['Stack A'] (as declared)"
            in message)
    assert "Another Pulumi stack (or a script, or a person in the web UI) is changing the same SIM" in message
    assert "NovaConnect keeps no owner of a SIM, so this shows only when two changes cross" in message
    assert "Manage each SIM from one stack only" in message
    assert "only adds groups" not in message and "raise novaconnect:convergeTimeout" not in message
    assert platform.group_names(platform.sim(ids[0])) == ["Stack A"]


def test_a_stack_whose_sims_another_stack_changed_since_says_so_at_preview(deploy, second_stack, platform):
    ids = [s["iccid"] for s in platform.pick_many("TC", 4)]
    first, second = deploy.resource("SimFleet", "a"), second_stack.resource("SimFleet", "b")
    first.create(fleet("a", ids[:3], "Stack A"))
    second.create(fleet("b", ids[1:], "Stack B"))  # another stack: its own process, its own claims

    first.host = deploy.fresh_host()  # the first stack's next preview
    assert first.diff(fleet("a", ids[:3], "Stack A")).changes is True
    note = stderr_of(first.host, "changed since this stack set")
    assert "SimFleet 'a': 2 of 3 SIMs changed since this stack set them (live => declared): " in note
    assert f"SIM {ids[1]}: groups: ['Stack B'] => ['Stack A']" in note
    assert "If another stack or script manages these SIMs too, each run undoes the other's" in note
    assert "NovaConnect keeps no owner of a SIM" in note
