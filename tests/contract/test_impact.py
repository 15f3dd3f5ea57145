"""The impact lines of a preview's digest, against the emulator's reports read over raw HTTP:
SIMs a lowered limit will cut off, SIMs to be blocked that are in use, one sweep each."""
from __future__ import annotations

import datetime as dt
import re

import requests

from pulumi_novaconnect.testing import ADMIN_TOKEN

from .test_preview_errors import stderr_of

MB = 1_048_576


def raw_report(emulator, method: str, start: dt.date, end: dt.date, sim_ids: list[int]) -> list[dict]:
    body = {"filter": {"start": start.strftime("%d-%m-%Y"), "end": end.strftime("%d-%m-%Y")},
            "select": [f"s_{i}" for i in sim_ids], "page": 0, "size": 1000}
    answer = requests.post(f"{emulator.url}/{method}", json=body, timeout=30,
                           headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}).json()
    items = answer["result"]["items"]
    assert len(items) < 1000  # one page: what the test compares is the whole report
    return items


def test_a_preview_names_the_sims_a_lower_limit_cuts_off_and_the_sims_to_block_that_are_in_use(
        deploy, emulator, platform):
    today = dt.datetime.now(dt.timezone.utc).date()
    last = today.replace(day=1) - dt.timedelta(days=1)
    first, yesterday = last.replace(day=1), today - dt.timedelta(days=1)
    limited = platform.pick_many("TC", 10)
    blocked = platform.pick_many("TC", 6, exclude=[s["iccid"] for s in limited])
    used: dict[str, int] = {s["iccid"]: 0 for s in limited}
    for row in raw_report(emulator, "report/day", first, last, [s["id"] for s in limited]):
        used[row["iccid"]] += int(row["value"])
    new_limit = sorted(used.values())[len(used) // 2] // MB  # about half of them used more
    over = {i for i, n in used.items() if n / MB > new_limit}
    active = {row["iccid"] for row in raw_report(emulator, "report/sessions", yesterday, yesterday,
                                                 [s["id"] for s in blocked])}
    assert over and len(over) < len(limited)  # the test can tell a wrong answer from a right one

    platform.clear_requests()
    fleet = deploy.resource("SimFleet", "field")
    fleet.checked({"sims": {**{s["iccid"]: {"limit": {"type": "month1", "value_mb": new_limit}} for s in limited},
                            **{s["iccid"]: {"blocked": True} for s in blocked}},
                   "on_delete": "retain", "__name": "SimFleet 'field'"})
    text = stderr_of(deploy.host, "impact")

    cut = re.search(rf"impact: (\d+) SIMs? used more in {first.strftime('%B %Y')} than .* cut .* off: (.*)$", text, re.M)
    assert cut and int(cut[1]) == len(over)
    assert set(re.findall(r"(\d{19,20}) \(", cut[2])) == over
    in_use = re.search(rf"impact: (\d+) of the SIMs to be blocked had data sessions on {yesterday.isoformat()}.*: (.*)$",
                       text, re.M)
    if active:
        assert in_use and set(re.findall(r"\d{19,20}", in_use[2])) == active
    else:
        assert in_use is None
    # One sweep of each report for the whole preview (a short first page is confirmed by the
    # next, which comes back empty: the client's rule for reports), and no write.
    assert (platform.count("report/day"), platform.count("report/sessions")) == (2, 2)
    assert platform.sim_writes() == {}
