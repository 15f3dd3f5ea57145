"""Pulumi dynamic resources for NovaConnect IoT SIM cards.

```python
import pulumi_novaconnect as nc

meters = nc.Group("meters", name="Meters")
pump = nc.SimConfig("pump-7", iccid="8997...", groups=[meters.name],
                    limit=nc.SimLimitArgs(type="month1", value_mb=500))
fleet = nc.SimFleet("meters", sims=nc.read_inventory("inventory.csv"),
                    defaults=nc.SimSettingsArgs(groups=["Meters"]))
meters_limit = nc.GroupPolicy("meters-limit", group="Meters", profile="TC",
                              limit=nc.SimLimitArgs(type="month1", value_mb=500))
idle = nc.get_sims(group="Meters", blocked=True)
used = nc.get_usage(group="Meters")          # this month through yesterday (one-day report lag)
```

The typed API client lives in :mod:`pulumi_novaconnect.client`, the local platform
emulator in :mod:`pulumi_novaconnect.emulator`, the account export (``novaconnect-export``)
in :mod:`pulumi_novaconnect.export`.
"""

# The one place the version is written: setuptools reads it from here at build time
# (pyproject.toml, [tool.setuptools.dynamic]), so the wheel and the package agree.
__version__ = "0.1.0"

from .data_sources import (
    CompanyInfo,
    GetGroupsResult,
    GetSimsResult,
    GetUsersResult,
    GroupInfo,
    SimInfo,
    UserInfo,
    get_company,
    get_company_output,
    get_groups,
    get_groups_output,
    get_sim,
    get_sim_output,
    get_sims,
    get_sims_output,
    get_users,
    get_users_output,
)
from .inventory import InventoryError, read_inventory
from .resources.args import ConnectionArgs, SimLimitArgs, SimSettingsArgs, SimTariffArgs
from .resources.group import Group, GroupArgs
from .resources.group_policy import GroupPolicy, GroupPolicyArgs
from .resources.sim_config import SimConfig, SimConfigArgs
from .resources.sim_fleet import SimFleet, SimFleetArgs
from .resources.user import User, UserArgs
from .usage import (
    Bill,
    GetBillsResult,
    GetSessionsResult,
    GetUsageResult,
    Money,
    Session,
    SimUsage,
    UsageDay,
    get_bills,
    get_bills_output,
    get_sessions,
    get_sessions_output,
    get_usage,
    get_usage_output,
)

__all__ = [
    "__version__",
    "Group",
    "ConnectionArgs",
    "GroupArgs",
    "User",
    "UserArgs",
    "SimConfig",
    "SimConfigArgs",
    "SimLimitArgs",
    "SimTariffArgs",
    "SimFleet",
    "SimFleetArgs",
    "SimSettingsArgs",
    "GroupPolicy",
    "GroupPolicyArgs",
    "read_inventory",
    "InventoryError",
    "get_sims",
    "get_sims_output",
    "get_sim",
    "get_sim_output",
    "GetSimsResult",
    "SimInfo",
    "get_groups",
    "get_groups_output",
    "GetGroupsResult",
    "GroupInfo",
    "get_users",
    "get_users_output",
    "GetUsersResult",
    "UserInfo",
    "get_company",
    "get_company_output",
    "CompanyInfo",
    "get_usage",
    "get_usage_output",
    "get_sessions",
    "get_sessions_output",
    "get_bills",
    "get_bills_output",
    "GetUsageResult",
    "SimUsage",
    "UsageDay",
    "GetSessionsResult",
    "Session",
    "GetBillsResult",
    "Bill",
    "Money",
]
