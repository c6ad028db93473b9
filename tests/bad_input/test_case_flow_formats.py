"""Bad input to the prosecutor (casebook_prosecutor) and corrections (keystone_doc) translators:
one error line naming the file when the export cannot be read, rejects with the line otherwise."""

from __future__ import annotations

import pyarrow.parquet as pq


def test_prosecutor_export_without_referrals(sandbox):
    data = sandbox.write("export.json", '{"export": {"office": "DA"}, "cases": []}')
    sandbox.cli("translate", data, "--vendor", "casebook_prosecutor", "--out", sandbox.path("out"), "--quiet").fails(
        2, "export.json", "no records at 'referrals'")
    sandbox.assert_written_only([])


def test_prosecutor_decisions_that_are_not_a_list(sandbox):
    data = sandbox.write("export.json", '{"referrals": [{"ref_no": "R1", "decisions": "ACPT"}]}')
    sandbox.cli("translate", data, "--vendor", "casebook_prosecutor", "--out", sandbox.path("out"), "--quiet").fails(
        2, "export.json", "row 1", "'decisions'", "not an array of objects")
    sandbox.assert_written_only([])


def test_prosecutor_export_that_is_not_json(sandbox):
    data = sandbox.write("export.json", "REF_NO,RECEIVED\nR1,01-JAN-2024\n")
    sandbox.cli("translate", data, "--vendor", "casebook_prosecutor", "--out", sandbox.path("out"), "--quiet").fails(
        2, "export.json")
    sandbox.assert_written_only([])


def test_corrections_lines_of_unknown_type_or_cut_short_are_rejected_with_their_line(sandbox):
    data = sandbox.write("extract.txt", "H20250106UTDOC0000X\r\nX123\r\nC245001\r\nT0000002\r\n", encoding="latin-1")
    out = sandbox.path("out")
    sandbox.cli("translate", data, "--vendor", "keystone_doc", "--out", out, "--quiet").exits(1, "2 rejected")
    rejects = pq.read_table(out / "rejects.parquet").to_pylist()
    reasons = {r["source_line"]: " ".join(r["reasons"]) for r in rejects}
    assert "unknown record type 'X'" in reasons[2] and "truncated line" in reasons[3]


def test_corrections_facility_the_code_book_does_not_know(sandbox):
    line = ("C24500101UT137301  T240002917JOHNSON             MARY           MARIE          19580901FWXXXX"
            "20240603NC20240905PR20250603CR24-00031    76-6-202        F218")
    data = sandbox.write("extract.txt", line + "\r\n", encoding="latin-1")
    out = sandbox.path("out")
    sandbox.cli("translate", data, "--vendor", "keystone_doc", "--out", out, "--quiet").exits(1)
    [reject] = pq.read_table(out / "rejects.parquet").to_pylist()
    assert "'XXXX' has no mapping" in " ".join(reject["reasons"])
