"""Test harness: drive Pulumi dynamic providers the way the engine does, without the CLI.

- :mod:`tests.harness.provider_host` starts ``python -u -m pulumi.dynamic`` and calls it over gRPC.
- :mod:`tests.harness.program_runner` runs a whole Pulumi program under mocks and plays the
  engine's preview / up / refresh / destroy loop against that host.
"""
