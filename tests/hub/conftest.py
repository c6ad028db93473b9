"""A small hub built once per test session: five bundled vendor formats, fixed as_of."""

from __future__ import annotations

from pathlib import Path

import pytest

from justice_schema.translation import find_translator

pytest.importorskip("duckdb", reason="the hub tests need the [hub] extra (make test installs it)")

#: (export name, translator, agency) of the small test hub: the county's police, jail, court, prosecutor
#: (schema 1.2 records beside the others' 1.0) and prison.
EXPORTS = [("slc-pd", "acme_rms", "Salt Lake City PD"), ("county-jail", "cellblock_jms", "County Jail"),
           ("district-court", "justiceware_courts", "Third District Court"),
           ("county-attorney", "casebook_prosecutor", "District Attorney"),
           ("state-prison", "keystone_doc", "Department of Corrections")]


def write_config(folder: Path, exports: list[tuple[str, str, str]], output: str = "out") -> Path:
    """A hub.toml in ``folder`` naming the bundled samples of ``exports``."""
    lines = [f'[hub]\noutput = "{output}"\nas_of = "2027-01-01"\n']
    for name, translator, agency in exports:
        samples = find_translator(translator).spec_path.parent / "samples"
        lines.append(f'[[export]]\nname = "{name}"\ntranslator = "{translator}"\nagency = "{agency}"\n'
                     f'files = ["{samples.as_posix()}/*"]\n')
    path = folder / "hub.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def built_hub(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The path of hub.toml of a built hub with its site (``out/site``)."""
    from justice_schema.hub import build_hub
    from justice_schema.hub.site import build_site

    folder = tmp_path_factory.mktemp("hub")
    config = write_config(folder, EXPORTS)
    build_hub(config, quiet=True)
    build_site(folder / "out" / "hub.duckdb", folder / "out" / "site")
    return config


@pytest.fixture(scope="session")
def restricted_hub(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """hub.toml of the test hub plus a NIBRS flat file (incidents, so clearance and incident-to-arrest days),
    built with ``[hub] profile = "restricted"``, with its site."""
    from justice_schema.hub import build_hub
    from justice_schema.hub.site import build_site

    folder = tmp_path_factory.mktemp("hub-restricted")
    config = write_config(folder, [*EXPORTS, ("nibrs", "nibrs_flatfile", "NIBRS submitter")])
    config.write_text(config.read_text(encoding="utf-8").replace("[hub]\n", '[hub]\nprofile = "restricted"\n', 1),
                      encoding="utf-8")
    build_hub(config, quiet=True)
    build_site(folder / "out" / "hub.duckdb", folder / "out" / "site")
    return config
