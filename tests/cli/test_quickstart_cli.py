"""examples/quickstart through the real CLI: the whole life of a stack."""
from __future__ import annotations

QUICKSTART_SIMS = ("89977070499962283034", "89978344978690736627")


def test_preview_up_no_changes_refresh_destroy(example_cli, novaconnect_control):
    cli = example_cli("quickstart")
    preview = cli.preview()
    assert "+ 5 to create" in preview.stdout
    cli.up()
    assert novaconnect_control.group("Quickstart") is not None
    assert novaconnect_control.sim(QUICKSTART_SIMS[0])["name"] == "pump-7"
    cli.preview(expect_no_changes=True)
    cli.refresh()
    cli.destroy()
    assert novaconnect_control.group("Quickstart") is None
