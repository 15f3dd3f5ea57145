"""Pulumi dynamic resources for NovaConnect IoT SIM cards.

The resources and data sources are re-exported here as they land; the typed API client
lives in :mod:`pulumi_novaconnect.client`, the local platform emulator in
:mod:`pulumi_novaconnect.emulator`.
"""
