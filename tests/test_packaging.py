"""What `pip install pulumi-novaconnect` gives a user: metadata without deprecation warnings,
a provider that runs without the emulator's web framework, the emulator behind its extra."""
from __future__ import annotations

import email
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Imports everything a program and the provider host load, with flask made unimportable
# (a None entry in sys.modules makes `import flask` raise ImportError).
WITHOUT_FLASK = textwrap.dedent(
    """
    import sys
    sys.modules["flask"] = None
    sys.modules["werkzeug"] = None
    import pulumi_novaconnect
    import pulumi_novaconnect.client
    import pulumi_novaconnect.provider.registry
    from pulumi_novaconnect.resources import group, sim_config, sim_fleet, user
    from pulumi_novaconnect.testing import program_runner, provider_host
    print(sorted(m for m in sys.modules if m.startswith("pulumi_novaconnect.emulator")))
    """
)


def test_the_package_and_the_provider_import_without_flask():
    done = subprocess.run([sys.executable, "-c", WITHOUT_FLASK], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_the_wheel_builds_without_warnings_and_keeps_flask_in_the_emulator_extra(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(tmp_path), str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    # pip's own notes about this machine's package index are not the package's.
    output = [line for line in (done.stdout + done.stderr).splitlines() if "Location 'file://" not in line]
    assert not [line for line in output if "warn" in line.lower() or "deprecat" in line.lower()], "\n".join(output)

    [wheel] = tmp_path.glob("pulumi_novaconnect-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = email.message_from_bytes(archive.read(name))
    assert metadata["License-Expression"] == "Apache-2.0"
    requires = metadata.get_all("Requires-Dist")
    base = [r for r in requires if "extra ==" not in r]
    assert not any(r.lower().startswith(("flask", "werkzeug")) for r in base)
    assert any(r.lower().startswith("flask") and 'extra == "emulator"' in r for r in requires)
