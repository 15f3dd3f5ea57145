"""A local emulator of the NovaConnect IoT SIM platform (see docs/emulator.md).

    from pulumi_novaconnect.emulator import Emulator
    with Emulator(sims=50, seed=1) as emu:
        requests.post(f"{emu.url}/sim/list", json={}, headers={"Authorization": "Bearer admin-token"})
"""
from .server import Emulator

__all__ = ["Emulator"]
