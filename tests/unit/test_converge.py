"""The bulk convergence engine against the emulator: grouping, ordering, failures, the wait.

Tests that wait for a timeout on purpose run the engine on a platform of their own whose
clock only moves when the engine sleeps: the wait runs out its whole timeout, look by look,
against the emulator over HTTP, without taking that time.
"""
from __future__ import annotations

import time

import pytest

from pulumi_novaconnect.errors import NotConverged, OperationFailed, Unreachable
from pulumi_novaconnect.provider import progress, registry
from pulumi_novaconnect.provider.config import ProviderSettings
from pulumi_novaconnect.sim.converge import converge, converge_many
from pulumi_novaconnect.sim.platform import ManualClock, Platform
from pulumi_novaconnect.sim.spec import SimSpec
from pulumi_novaconnect.testing import ADMIN_TOKEN


@pytest.fixture()
def platform(novaconnect_control):
    return novaconnect_control


@pytest.fixture()
def configured(emulator):
    registry.configure(
        ProviderSettings.from_lookup(
            {
                "novaconnect:endpoint": emulator.url,
                "novaconnect:token": ADMIN_TOKEN,
                "novaconnect:convergeTimeout": "5",
                "novaconnect:pollInterval": "0.05",
            }.get
        )
    )
    yield
    registry.configure(ProviderSettings.from_lookup({"novaconnect:token": "unused"}.get))


@pytest.fixture()
def clock():
    return ManualClock()


@pytest.fixture()
def manual_platform(emulator, clock):
    """``manual_platform(timeout)``: a platform on the emulator whose time passes only in the
    engine's sleeps, looking every quarter of a second."""
    made = []

    def make(timeout: float) -> Platform:
        settings = ProviderSettings.from_lookup({
            "novaconnect:endpoint": emulator.url,
            "novaconnect:token": ADMIN_TOKEN,
            "novaconnect:convergeTimeout": str(timeout),
            "novaconnect:pollInterval": "0.25",
        }.get)
        made.append(Platform.build(settings, clock=clock))
        return made[-1]

    yield make
    for platform in made:
        platform.client.close()


@pytest.fixture()
def on_manual_clock(manual_platform):
    """The engine's platform for a wait that times out after 5 s of the manual clock."""
    return manual_platform(5)


def targets(sims, platform=None, **fields):
    view = (platform.sims if platform is not None else registry.sims()).get()
    return [(view.get(("iccid", s["iccid"])), SimSpec(iccid=s["iccid"], **fields)) for s in sims]


def test_one_call_per_distinct_change_in_block_first_unblock_last_order(configured, platform):
    tc = platform.pick_many("TC", 6)
    platform.change_sim(tc[5]["iccid"], block="u")
    registry.sims().invalidate()
    wanted = targets(tc[:3], blocked=True, limit={"type": "month1", "value_mb": 70})
    wanted += targets(tc[3:5], limit={"type": "month1", "value_mb": 80})
    wanted += targets(tc[5:], blocked=False, limit={"type": "month1", "value_mb": 70})
    platform.clear_requests()
    outcome = converge_many(wanted)
    writes = [m for m in platform.methods() if m not in ("sim/list", "user/get")]  # reads: the list, the role
    assert writes == ["sim/block", "sim/limit", "sim/limit", "sim/unblock"]
    assert outcome.failures == {}
    assert outcome.calls == {"sim/block": 1, "sim/limit": 2, "sim/unblock": 1}
    assert [platform.sim(s["iccid"])["limit"]["value"] for s in tc] == [70, 70, 70, 80, 80, 70]
    assert [platform.sim(s["iccid"])["block"] for s in tc] == ["u", "u", "u", "n", "n", "n"]


def test_a_sim_whose_call_failed_gets_no_later_call(configured, platform):
    tc = platform.pick_many("TC", 2)
    platform.fault(method="sim/block", status=422, message="refused", times=None)
    outcome = converge_many(targets(tc, blocked=True, name="renamed-after-block"))
    assert set(outcome.failures) == {s["iccid"] for s in tc}
    assert all(f.kind is OperationFailed and "sim/block" in f.message for f in outcome.failures.values())
    assert "sim/edit" not in platform.methods()  # the rename came after the failed block
    assert all(platform.sim(s["iccid"])["name"] != "renamed-after-block" for s in tc)


def test_an_unreachable_sim_is_refused_before_any_call(configured, platform):
    sim = platform.pick_many("TD", 1)
    platform.clear_requests()
    with pytest.raises(Unreachable, match=sim[0]["iccid"]):
        converge(*targets(sim, limit={"type": "month1", "value_mb": 5})[0])
    assert [m for m in platform.methods() if m != "sim/list"] == []


def test_the_wait_probes_one_page_until_the_queue_has_run(configured, platform, emulator):
    emulator.reset(sims=2500, seed=3)
    registry.sims().invalidate()
    sims = [s for s in platform.state()["sims"] if s["profile"] == "TC" and s["block"] == "n"]
    spread = [sims[0], sims[len(sims) // 2], sims[-1]]  # on different pages of 1000
    platform.clear_requests()
    outcome = converge_many(targets(spread, limit={"type": "month1", "value_mb": 123}))
    assert outcome.failures == {}
    lists = platform.methods().count("sim/list")
    # Probes re-read one page while the queue runs; the SIMs' pages are read once it has.
    assert lists <= 12, lists


def test_a_timeout_names_the_pending_field_and_the_time_it_really_took(on_manual_clock, clock, platform):
    sim = platform.pick_many("TC", 1)
    platform.fault(method="sim/limit", queue="never", times=1)
    with pytest.raises(NotConverged) as err:
        converge(*targets(sim, on_manual_clock, limit={"type": "month1", "value_mb": 9})[0], platform=on_manual_clock)
    text = str(err.value)
    assert sim[0]["iccid"] in text and "limit" in text and "after 5 s" in text
    assert "API.md" not in text


def test_the_wait_sleeps_on_the_platforms_clock_one_poll_interval_at_a_time_until_the_timeout(
        on_manual_clock, clock, platform):
    sim = platform.pick_many("TC", 1)
    platform.fault(method="sim/limit", queue="never", times=1)
    began = time.monotonic()
    with pytest.raises(NotConverged):
        converge(*targets(sim, on_manual_clock, limit={"type": "month1", "value_mb": 9})[0], platform=on_manual_clock)
    assert time.monotonic() - began < 4  # five seconds of waiting, not taken
    assert sum(clock.slept) == pytest.approx(5, abs=0.01)
    assert all(pause <= 0.25 for pause in clock.slept) and len(clock.slept) >= 5 / 0.25
    # Each look read sim/list again: 20 looks, each at least the probe's page.
    assert platform.methods().count("sim/list") >= 20


def test_progress_says_how_many_sims_which_fields_and_how_long():
    lines = []
    clock = iter([100.0, 106.0, 107.0, 112.0]).__next__
    reporter = progress.Reporter(1000, 300, 100.0, clock=clock, sink=lines.append)

    class P:
        fields = ["limit", "groups"]

    pending = {str(i): None for i in range(37)}
    reporter.waiting(pending, {k: P for k in pending})  # 0 s: quiet
    reporter.waiting(pending, {k: P for k in pending})  # 6 s: first line
    reporter.waiting(pending, {k: P for k in pending})  # 7 s: too soon after
    reporter.waiting(pending, {k: P for k in pending})  # 12 s: next line
    assert lines == [
        "waiting for 37 of 1,000 SIMs (limit, groups) to show the declared state, 6 s of 300 s",
        "waiting for 37 of 1,000 SIMs (limit, groups) to show the declared state, 12 s of 300 s",
    ]


def test_progress_lines_of_a_long_wait_follow_the_platforms_clock(manual_platform, platform, capsys):
    on_clock = manual_platform(12)
    sim = platform.pick_many("TC", 1)
    platform.fault(method="sim/limit", queue="never", times=1)
    with pytest.raises(NotConverged):
        converge(*targets(sim, on_clock, limit={"type": "month1", "value_mb": 9})[0], platform=on_clock)
    lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith("novaconnect: waiting")]
    # Quiet for the first five seconds of the wait, then a line every five seconds.
    assert lines == [f"novaconnect: waiting for SIM {sim[0]['iccid']} (limit) to show the declared state, {n} s of 12 s"
                     for n in (5, 10)], lines


def test_a_sim_changed_by_someone_else_while_its_change_waits_is_named_as_such_not_as_a_slow_queue(
        on_manual_clock, platform):
    from pulumi_novaconnect.errors import ChangedElsewhere

    sim = platform.pick_many("TC", 1)
    [(live, spec)] = targets(sim, on_manual_clock, groups=["Ours"])  # read now...
    platform.change_sim(sim[0]["iccid"], groups=["Theirs"])  # ...changed elsewhere before our call lands
    platform.fault(method="sim/group", queue="never", times=1)
    with pytest.raises(ChangedElsewhere) as err:
        converge(live, spec, platform=on_manual_clock)
    text = str(err.value)
    assert f"SIM {sim[0]['iccid']} was changed by something else since this run read it: after 5 s" in text
    assert "groups is now ['Theirs'], neither" in text and "nor ['Ours'] (as declared)" in text
    assert "only adds groups" not in text
