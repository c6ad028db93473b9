"""Bad input to ``justice-schema hub build|site``: bad configurations, missing exports, no or broken database.

Each case runs the command as a user would: exit 2, one error line naming the file and the key,
no traceback, inputs unchanged, and nothing written (no database, no site) when it fails.
"""

from __future__ import annotations

import pytest

from tests.bad_input.harness import Sandbox

pytest.importorskip("duckdb", reason="the hub needs the [hub] extra (make test installs it)")

EXPORT = '[[export]]\nname = "pd"\ntranslator = "acme_rms"\nfiles = ["arrests.csv"]\n'


@pytest.mark.parametrize(("config", "mentions"), [
    ('[hub]\noutput = "out"\n', ("hub.toml", "export", "name at least one export")),
    ('[hub]\n' + EXPORT, ("hub.toml", "hub.output", "is required")),
    ('[hub]\noutput = "out"\nspeed = "fast"\n' + EXPORT, ("hub.toml", "hub.speed", "unknown key")),
    ('[hub]\noutput = "out"\n[[export]]\nname = "pd"\ntranslator = "acme"\nfiles = ["arrests.csv"]\n',
     ("hub.toml", "export[1].translator", "no translator 'acme'")),
    ('[hub]\noutput = "out"\n[[export]]\nname = "pd"\ntranslator = "acme_rms"\nfiles = ["june/*.csv"]\n',
     ("hub.toml", "export[1].files", "'june/*.csv' names no file")),
    ('[hub]\noutput = "out"\n' + EXPORT + EXPORT, ("hub.toml", "export[2].name", "used twice")),
    ('[hub]\noutput = "out"\nas_of = "last week"\n' + EXPORT, ("hub.toml", "hub.as_of", "must be a date")),
    ('[hub]\noutput = "out"\nidentity_rules = "rules.toml"\n' + EXPORT,
     ("hub.toml", "hub.identity_rules", "no such rules file")),
    ('[hub]\noutput = "out"\nlink_rules = "links.toml"\n' + EXPORT,
     ("hub.toml", "hub.link_rules", "no such rules file")),
    ('[hub]\noutput = "out"\nprofile = "open-data"\n' + EXPORT, ("hub.toml", "hub.profile", "no such profile")),
    ('[hub]\noutput = "out"\nprofile = ""\n' + EXPORT, ("hub.toml", "hub.profile", "must be a non-empty string")),
    ("[hub\n", ("hub.toml", "not valid TOML")),
])
def test_a_bad_configuration_is_one_line_naming_file_and_key(sandbox: Sandbox, config: str,
                                                             mentions: tuple[str, ...]) -> None:
    sandbox.write("arrests.csv", "MNI,Arrest No\n1,2\n")
    path = sandbox.write("hub.toml", config)
    sandbox.cli("hub", "build", path).fails(2, *mentions)
    sandbox.assert_unchanged()
    sandbox.assert_written_only([])


def test_a_site_before_any_build_says_to_build_first(sandbox: Sandbox) -> None:
    sandbox.write("arrests.csv", "MNI,Arrest No\n1,2\n")
    path = sandbox.write("hub.toml", '[hub]\noutput = "out"\n' + EXPORT)
    sandbox.cli("hub", "site", path).fails(2, "hub.duckdb", "run `justice-schema hub build hub.toml` first")
    sandbox.assert_written_only([])


def test_a_database_that_is_not_one_is_named(sandbox: Sandbox) -> None:
    sandbox.write("arrests.csv", "MNI,Arrest No\n1,2\n")
    sandbox.write("out/hub.duckdb", "not a database\n")
    path = sandbox.write("hub.toml", '[hub]\noutput = "out"\n' + EXPORT)
    sandbox.cli("hub", "build", path).fails(2, "hub.duckdb", "cannot open the hub database")
    sandbox.cli("hub", "site", path).fails(2, "hub.duckdb", "cannot open the hub database")
    sandbox.assert_unchanged()


def test_a_verb_is_required(sandbox: Sandbox) -> None:
    sandbox.cli("hub").fails(2, "name a verb: build or site")
