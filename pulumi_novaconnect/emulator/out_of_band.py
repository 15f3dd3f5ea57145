"""Changes no API call could make: tests seed SIMs, users and groups directly, and the
control surface makes the drift and platform blocks a real fleet shows. Values are
checked, combinations are not, so a test can reach states the platform never produces."""
from __future__ import annotations

from typing import Any

from .errors import NotFound, ValidationError
from .groups import ensure_group
from .locking import mutating
from .models import BLOCKS, PROFILES, Limit, Sim, Tariff, User
from .seed import SIM_ID_START, USER_ID_START, default_limit, default_tariff, new_identity, taken_identities

# What `POST /_emulator/sims` takes from a Sim-like body; anything else in it is ignored.
CREATE_FIELDS = frozenset({"iccid", "profile", "name", "block", "groups", "limit", "tariff", "number",
                           "external_number", "balance", "currency", "msu_value", "comment"})


# -- programmatic seeding (tests) ----------------------------------------------------------
@mutating
def add_group(backend, name: str) -> Any:
    """The group named `name`, created if missing."""
    return ensure_group(backend, name)


@mutating
def add_user(backend, *, first_name: str = "Test", last_name: str = "User", email: str | None = None,
             phone: str = "77000000000", role: str = "user", active: bool = True,
             password: str = "password", token: str | None = None) -> User:
    uid = backend.state.new_id("user", USER_ID_START)
    user = User(id=uid, first_name=first_name, last_name=last_name, phone=phone,
                email=email or f"user{uid}@example.kz", role=role, active=active,
                password=password, token=token)
    backend.state.users[uid] = user
    return user


@mutating
def add_sim(backend, *, iccid: str | None = None, profile: str = "TC", name: str | None = None,
            block: str = "n", groups: list[str] | None = None, limit: dict | None = None,
            tariff: dict | None = None, **fields: Any) -> Sim:
    """A new SIM; anything not given gets a plausible default for its profile.
    Extra keyword arguments: number, external_number, balance, currency, msu_value, comment."""
    if profile not in PROFILES:
        raise ValidationError("one_of", field="profile", values=", ".join(PROFILES))
    if iccid is not None and not (isinstance(iccid, str) and iccid.isdigit()):
        raise ValidationError("str", field="iccid")
    if iccid is not None and backend.state.sim_by_iccid(iccid):
        raise ValidationError("duplicate_iccid", field="iccid", iccid=iccid)
    gen_iccid, number, external = new_identity(taken_identities(backend.state), backend.rng)
    sim = Sim(id=0, iccid=iccid or gen_iccid, number=number, external_number=external,
              profile=profile, limit=default_limit(profile), tariff=default_tariff(profile),
              msu_value=0 if profile == "TC" else None)
    # Checked before the SIM joins the fleet, so a bad value leaves no half-made SIM.
    _change_sim(backend, sim, {"name": name, "block": block, "groups": groups or [], "limit": limit or {},
                               "tariff": tariff or {}, **fields})
    sim.id = backend.state.new_id("sim", SIM_ID_START)
    backend.state.sims[sim.id] = sim
    return sim


# -- control surface: drift and platform blocks ---------------------------------------------
@mutating
def patch_sim(backend, iccid: str, changes: dict) -> dict:
    sim = backend.state.sim_by_iccid(iccid)
    if sim is None:
        raise NotFound("unknown_iccid", iccid=iccid)
    _change_sim(backend, sim, changes)
    return sim.render(backend.state.groups)


@mutating
def create_sim(backend, body: dict) -> dict:
    sim = add_sim(backend, **{k: v for k, v in body.items() if k in CREATE_FIELDS})
    return sim.render(backend.state.groups)


def _change_sim(backend, sim: Sim, changes: dict) -> None:
    for key in ("name", "comment", "number", "external_number", "currency"):
        if key in changes:
            value = changes[key]
            if value is not None and not isinstance(value, str):
                raise ValidationError("str", field=key)
            setattr(sim, key, value)
    if "profile" in changes:
        if changes["profile"] not in PROFILES:
            raise ValidationError("one_of", field="profile", values=", ".join(PROFILES))
        sim.profile = changes["profile"]
    if "block" in changes:
        if changes["block"] not in BLOCKS:
            raise ValidationError("one_of", field="block", values=", ".join(BLOCKS))
        sim.block = changes["block"]
    for key in ("balance", "msu_value"):
        if key in changes:
            value = changes[key]
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
                raise ValidationError("number", field=key)
            setattr(sim, key, value if value is not None else (0.0 if key == "balance" else None))
    if "groups" in changes:
        names = changes["groups"] or []
        if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
            raise ValidationError("list", field="groups")
        sim.group_ids = sorted({ensure_group(backend, n).id for n in names})
    if "limit" in changes:
        sim.limit = Limit(**_merge(sim.limit, changes["limit"], "limit"))
    if "tariff" in changes:
        sim.tariff = Tariff(**_merge(sim.tariff, changes["tariff"], "tariff"))


def _merge(current: Any, partial: Any, field: str) -> dict:
    if not isinstance(partial, dict):
        raise ValidationError("object", field=field)
    merged = dict(vars(current))
    unknown = set(partial) - set(merged)
    if unknown:
        raise ValidationError("one_of", field=f"{field}.{sorted(unknown)[0]}", values=", ".join(merged))
    merged.update(partial)
    return merged
