"""A deterministic fleet: the same seed and count always give the same SIMs, groups,
users, company and bills (everything is drawn from one `random.Random(seed)`).

Timestamps are fixed offsets from `BASE` rather than "now", so two runs compare equal;
only reports (reports.py) follow the wall clock, because the vendor's one-day sync lag
is defined against today.
"""
from __future__ import annotations

import random

from .models import Bill, Company, Group, Limit, Sim, Tariff, User
from .state import State

BASE = 1719792000  # 2024-07-01 00:00:00 UTC
DAY = 86400

# id ranges differ per entity so that a SIM id passed where a group id belongs is a 404.
SIM_ID_START, GROUP_ID_START, USER_ID_START, BILL_ID_START = 1001, 201, 11, 5001
COMPANY_ID = 77

GROUP_NAMES = ["Meters", "Trackers", "Gateways", "Sensors", "Vending"]
NAME_PREFIXES = ["meter", "tracker", "gateway", "sensor", "pos", "camera"]
COMMENTS = [
    "Рекомендуем перезагрузить устройство",
    "Низкий уровень сигнала в последние 7 дней",
    "SIM-карта не выходила в сеть более 30 дней",
]
TC_TARIFF = (11, "TC_Standard")
TD_TARIFFS = {"light": (21, "TD_Light"), "mega": (22, "TD_Mega")}  # TD_Mega: all_world

ADMIN_PASSWORD = "admin-password"
USER_PASSWORD = "user-password"


def luhn_digit(digits: str) -> str:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def taken_identities(state: State) -> set[str]:
    """Every ICCID and number already in use (they never collide: different lengths)."""
    return {v for s in state.sims.values() for v in (s.iccid, s.number, s.external_number)}


def new_identity(taken: set[str], rng: random.Random) -> tuple[str, str, str]:
    """A fresh (iccid, number, external_number), added to `taken`.

    ICCIDs are 19 or 20 digits starting 8997 (telecom + Kazakhstan's +7), Luhn-checked.
    """
    while True:
        body_len = rng.choice((18, 19)) - 4
        body = "8997" + "".join(str(rng.randrange(10)) for _ in range(body_len))
        iccid = body + luhn_digit(body)
        number = "7701" + f"{rng.randrange(10**7):07d}"
        external = "88234" + f"{rng.randrange(10**8):08d}"
        if not {iccid, number, external} & taken:
            taken.update((iccid, number, external))
            return iccid, number, external


def default_limit(profile: str) -> Limit:
    return Limit(type="off") if profile == "TC" else Limit(type="p_lim", value=15)


def default_tariff(profile: str) -> Tariff:
    tid, name = TC_TARIFF if profile == "TC" else TD_TARIFFS["light"]
    return Tariff(id=tid, name=name)


def build_state(seed: int, sims: int, admin_token: str, user_token: str) -> State:
    rng = random.Random(seed)
    state = State(seed=seed)
    _seed_groups(state, rng)
    _seed_sims(state, rng, sims)
    _seed_users(state, rng, admin_token, user_token)
    _seed_company_and_bills(state, rng)
    return state


def _seed_groups(state: State, rng: random.Random) -> None:
    for name in GROUP_NAMES[: rng.randint(3, 5)]:
        gid = state.new_id("group", GROUP_ID_START)
        state.groups[gid] = Group(id=gid, name=name, added=BASE - rng.randint(30, 400) * DAY)


def _seed_sims(state: State, rng: random.Random, count: int) -> None:
    profiles = ["TC"] * (count // 2) + ["TD"] * (count - count // 2)
    rng.shuffle(profiles)
    group_ids = sorted(state.groups)
    taken = taken_identities(state)
    for index, profile in enumerate(profiles):
        sid = state.new_id("sim", SIM_ID_START)
        iccid, number, external = new_identity(taken, rng)
        sim = Sim(id=sid, iccid=iccid, number=number, external_number=external, profile=profile)
        if rng.random() < 0.85:
            sim.name = f"{rng.choice(NAME_PREFIXES)}-{index + 1:03d}"
        if rng.random() < 0.15:
            sim.comment = rng.choice(COMMENTS)
        sim.group_ids = sorted(rng.sample(group_ids, rng.choice((0, 1, 1, 2))))
        if profile == "TC":
            sim.balance = round(rng.uniform(0, 40), 2)
            sim.msu_value = rng.randint(0, 1500)
            sim.tariff = default_tariff("TC")
            if rng.random() < 0.5:
                value = rng.choice((50, 100, 200, 500, 1000))
                created = BASE - rng.randint(10, 200) * DAY
                sim.limit = Limit("month1", value, round(rng.uniform(0, value * 0.9), 2), BASE - DAY, created)
            else:
                sim.limit = Limit("off", None, round(rng.uniform(0, 300), 2), BASE - DAY, None)
        else:
            auto = rng.random() < 0.5
            tid, tname = TD_TARIFFS["mega" if rng.random() < 0.2 else "light"]
            sim.tariff = Tariff(id=tid, name=tname, change_lock=None, package_auto=auto)
            value = rng.randrange(15, 101, 5)
            created = BASE - rng.randint(10, 200) * DAY
            sim.limit = Limit("p_unlim" if auto else "p_lim", value,
                              round(rng.uniform(0, value * 0.9), 2), BASE - DAY, created)
        state.sims[sid] = sim
    _seed_blocks(state, rng)


def _seed_blocks(state: State, rng: random.Random) -> None:
    """A few SIMs blocked for every reason: m only on TC and p only on TD (vendor, block)."""
    sims = list(state.sims.values())
    if len(sims) < 8:
        return
    k = max(1, len(sims) // 25)
    used: set[int] = set()

    def take(n: int, profile: str | None) -> list[Sim]:
        pool = [s for s in sims if s.id not in used and (profile is None or s.profile == profile)]
        chosen = rng.sample(pool, min(n, len(pool)))
        used.update(s.id for s in chosen)
        return chosen

    for sim in take(k, "TC"):
        sim.block, sim.msu_value = "m", 2000 + rng.randint(0, 500)
    for sim in take(k, "TD"):
        sim.block = "p"
        sim.limit.used = float(sim.limit.value or 0)
    for sim in take(max(1, len(sims) // 50), None):
        sim.block, sim.comment = "f", "Финансовая блокировка: неоплаченный счёт"
    for sim in take(max(1, len(sims) // 50), None):
        sim.block = "g"
    for sim in take(2 * k, None):
        sim.block = "u"


def _seed_users(state: State, rng: random.Random, admin_token: str, user_token: str) -> None:
    people = [
        ("Aigerim", "Sadykova", "aigerim.sadykova@example.kz", "admin", ADMIN_PASSWORD, admin_token),
        ("Daniyar", "Nurlanov", "daniyar.nurlanov@example.kz", "user", USER_PASSWORD, user_token),
        ("Olga", "Petrova", "olga.petrova@example.kz", "user", None, None),
        ("Timur", "Akhmetov", "timur.akhmetov@example.kz", "admin", None, None),
    ]
    for first, last, email, role, password, token in people[: 2 + rng.randint(1, 2)]:
        uid = state.new_id("user", USER_ID_START)
        state.users[uid] = User(
            id=uid, first_name=first, last_name=last, phone="7707" + f"{rng.randrange(10**7):07d}",
            email=email, role=role, active=True,
            password=password or f"pw-{rng.randrange(10**8):08d}", token=token,
        )


def _seed_company_and_bills(state: State, rng: random.Random) -> None:
    balance = rng.uniform(50_000, 250_000)
    state.company = Company(
        id=COMPANY_ID, name="Nova Demo LLP", unique_id=f"1803400{rng.randrange(10**5):05d}",
        contract=f"NC-2023/{rng.randint(1, 999):03d}", country="KZ", billing_type=0, assigned=0,
        overdraft="0.00 ₸", balance=f"-{balance:,.2f} ₸".replace(",", " "),
        preliminary_balance=f"-{balance / 3:,.2f} ₸".replace(",", " "),
    )
    # Kazakh company: bills in KZT with the day's EUR course (vendor, type Bill).
    count = rng.randint(3, 4)
    for back in range(count, 0, -1):
        year, month = 2024, 7 - back
        bid = state.new_id("bill", BILL_ID_START)
        added = BASE - back * 30 * DAY + 2 * DAY
        cost = round(rng.uniform(80, 400), 2)
        course = round(rng.uniform(480, 520), 2)
        state.bills[bid] = Bill(
            id=bid, period=f"{month:02d}.{year}", added=added,
            paided=0 if back == 1 else added + rng.randint(2, 9) * DAY,
            cost=cost, valute_course=course, country="KZ", valute_cost=round(cost * course, 2),
            bid=f"NC-{year}{month:02d}-{bid}", currency="KZT",
        )
