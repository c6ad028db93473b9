#!/usr/bin/env python3
"""Write the sample input files of the built-in vendor translators (seeded, synthetic people only).

The invented vendor formats are made as messy as real exports: Windows
line endings, a Latin-1 file, blank strings for null, inconsistent case,
sentinel values (``00/00/0000``, ``UNK``), stray spaces, and a few rows that a
translator must reject. Every name is drawn at random from short lists of
common words; no real person's data is used.

    python tools/generate_vendor_samples.py              # rewrite src/justice_schema/vendors/*/samples/
    python tools/generate_vendor_samples.py --rms-rows 1000000 --rms-out /tmp/rms.csv

The benchmark imports :func:`write_rms` to make its large input.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
import county  # noqa: E402  (tools/county.py: the synthetic county's stories)

FAMILY = ["SMITH", "JOHNSON", "NGUYEN", "GARCIA", "BEGAY", "O'BRIEN", "MARTINEZ", "LEE", "HANSEN", "PETERSEN",
          "YAZZIE", "JENSEN", "DE LA CRUZ", "SMITH-JONES", "MUÑOZ", "PEÑA", "CHRISTENSEN", "WALKER"]
GIVEN = ["JAMES", "MARY", "JOSE", "LINDA", "WEI", "AYESHA", "TYLER", "KAYLEE", "BRANDON", "MARÍA", "DANIEL",
         "EMMA", "JORDAN", "TANNER", "SIERRA", "RENÉ"]
MIDDLE = ["A", "LEE", "MARIE", "J", "", "", "ANN", "RAY"]
SUFFIX = ["", "", "", "", "", "JR", "SR", "III"]
STREETS = ["MAIN ST", "STATE ST", "900 E", "REDWOOD RD", "CENTER ST", "HIGHLAND DR"]
CITIES = [("SALT LAKE CITY", "UT", "84101"), ("OGDEN", "UT", "84401"), ("PROVO", "UT", "84601"),
          ("West Valley City", "ut", "84119"), ("murray", "UT", "84107")]

#: (statute, level, free-text description as clerks type it)
RMS_OFFENSES = [
    ("76-6-404", "MA", "THEFT"), ("76-6-404", "F3", "Theft"), ("76-5-102", "MB", "Simple Assault"),
    ("76-5-103", "F3", "AGGRAVATED ASSAULT"), ("41-6a-502", "MB", "DUI"), ("58-37-8(2)(a)(i)", "MB",
                                                                         "possession of controlled substance"),
    ("76-6-202", "F2", "BURGLARY"), ("76-9-702", "MB", "LEWDNESS"), ("76-6-106", "MB", "criminal mischief"),
    ("76-8-305", "MB", "INTERFERING W/ ARREST"), ("76-10-503", "F3", "WEAPON POSS BY RESTRICTED PERSON"),
    ("76-6-602", "MB", "RETAIL THEFT"), ("76-9-102", "C", "DISORDERLY CONDUCT"), ("32B-4-409", "MB",
                                                                                 "Underage Drinking"),
]
SEX_WORDS = ["Male", "Female", "MALE", "female", "M", "F", "UNK", "", "Male", "Female"]
RACE_WORDS = ["White", "WHITE", "Black", "Asian", "Am Indian", "Pacific Islander", "UNK", "white", "", "White"]
ETHNICITY_WORDS = ["Hispanic", "Non-Hispanic", "NON-HISPANIC", "UNK", "", "Not Hispanic"]
ARREST_TYPE_WORDS = ["On-View", "ON VIEW", "Summoned/Cited", "Taken Into Custody", "TAKEN INTO CUSTODY", "on-view",
                     "Warrant"]


def _person(rng: random.Random, index: int) -> dict[str, str]:
    family = rng.choice(FAMILY)
    given = rng.choice(GIVEN)
    middle = rng.choice(MIDDLE)
    suffix = rng.choice(SUFFIX)
    dob = date(1955, 1, 1) + timedelta(days=rng.randrange(0, 365 * 50))
    city, state, zip_code = rng.choice(CITIES)
    return {
        "family": family, "given": given, "middle": middle, "suffix": suffix,
        "dob": dob, "sex": rng.choice(SEX_WORDS), "race": rng.choice(RACE_WORDS),
        "ethnicity": rng.choice(ETHNICITY_WORDS), "mni": f"MNI{index:08d}",
        "sid": f"UT{rng.randrange(100000, 999999)}" if rng.random() < 0.7 else "",
        "street": f"{rng.randrange(10, 9999)} {rng.choice(STREETS)}", "city": city, "state": state,
        "zip": zip_code if rng.random() < 0.8 else f"{zip_code}-{rng.randrange(1000, 9999)}",
    }


def _rms_name(p: dict[str, str], rng: random.Random) -> str:
    name = f"{p['family']}, {p['given']}"
    if p["middle"]:
        name += f" {p['middle']}"
    if p["suffix"]:
        name += f" {p['suffix']}"
    return name if rng.random() < 0.9 else f"  {name.lower()} "


RMS_HEADER = ["ORI", "Arrest No", "Arrest Date", "Arrest Time", "Arrest Type", "Arrestee Name", "DOB", "Sex", "Race",
              "Ethnicity", "SID", "MNI", "Charge Seq", "Statute", "Statute Level", "Offense Description", "Counts",
              "DV Flag", "Address", "City", "State", "Zip", "Officer Badge", "Entered By"]


def rms_rows(count: int, seed: int = 4, bad_rows: bool = True) -> list[list[str]]:
    """``count`` rows of the records-management export (one row per arrest charge)."""
    rng = random.Random(seed)
    rows: list[list[str]] = []
    arrest_no = 0
    people = [_person(rng, i) for i in range(max(10, count // 3))]
    while len(rows) < count:
        arrest_no += 1
        person = rng.choice(people)
        when = datetime(2023, 1, 1) + timedelta(minutes=rng.randrange(0, 60 * 24 * 600))
        charges = rng.choice([1, 1, 1, 2, 2, 3])
        dob = person["dob"].strftime("%m/%d/%Y") if rng.random() < 0.95 else "00/00/0000"
        time_text = when.strftime("%H:%M") if rng.random() < 0.9 else ""
        ori = "UT0180000" if rng.random() < 0.8 else "UT0180300"
        for seq in range(1, charges + 1):
            statute, level, description = rng.choice(RMS_OFFENSES)
            rows.append([
                ori, f"A{when:%y}-{arrest_no:06d}", when.strftime("%m/%d/%Y"), time_text,
                rng.choice(ARREST_TYPE_WORDS), _rms_name(person, rng), dob, person["sex"], person["race"],
                person["ethnicity"], person["sid"], person["mni"], str(seq), statute, level,
                description if rng.random() < 0.9 else f" {description.lower()}  ",
                rng.choice(["1", "1", "1", "2", ""]), rng.choice(["Y", "N", "", "n", "UNK"]),
                person["street"], person["city"], person["state"], person["zip"],
                f"B{rng.randrange(100, 999)}", rng.choice(["jdoe", "ksmith", "IMPORT"]),
            ])
            if len(rows) >= count:
                break
    if bad_rows and count >= 20:
        rows[7][2] = "13/45/2023"                    # impossible date
        rows[11][15] = "JAYWALKING WITH INTENT"       # offense text no table knows
        rows[13][7] = "X"                             # sex code with no mapping
    return rows


def write_rms(path: Path, count: int, seed: int = 4, bad_rows: bool = True) -> Path:
    """Write the records-management CSV (UTF-8, Windows line endings)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(RMS_HEADER)
    writer.writerows(rms_rows(count, seed, bad_rows))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    return path


RELEASE_WORDS = ["BONDED OUT", "Bonded Out", "TIME SERVED", "ROR", "Released OR", "CHARGES DROPPED",
                 "Transfer to USM", "Court Order", "", "UNK"]
JAIL_OFFENSES = [("58-37-8", "F3", "POSS CONTROLLED SUBSTANCE"), ("76-5-102", "MB", "SIMPLE ASSAULT"),
                 ("41-6a-502", "MB", "DUI"), ("76-6-404", "MA", "THEFT"), ("77-7-22", "", "FAIL TO APPEAR"),
                 ("76-8-306", "F2", "OBSTRUCTION OF JUSTICE")]


def write_jail(path: Path, count: int = 40, seed: int = 5) -> Path:
    """Write the jail management JSON Lines export: bookings with nested charges."""
    rng = random.Random(seed)
    lines = []
    for i in range(1, count + 1):
        p = _person(rng, 500 + i // 2)
        booked = datetime(2024, 1, 1) + timedelta(minutes=rng.randrange(0, 60 * 24 * 300))
        if i == 5:
            booked = datetime(2024, 3, 10, 2, 30)  # a local time skipped by daylight saving
        released = booked + timedelta(hours=rng.randrange(2, 400)) if rng.random() < 0.8 else None
        charges = []
        for seq in range(1, rng.choice([1, 1, 2, 3]) + 1):
            statute, level, desc = rng.choice(JAIL_OFFENSES)
            charges.append({"seq": seq, "statute": statute, "desc": desc, "level": level,
                            "bond": f"{rng.choice([0, 500, 1000, 5000])}.00"})
        record = {
            "booking_no": f"B{booked:%Y}-{i:05d}",
            "facility": {"name": "Metro Detention Center", "ori": "UT018013C"},
            "inmate": {
                "name": {"last": p["family"], "first": p["given"], "middle": p["middle"] or None},
                "dob": p["dob"].isoformat() if rng.random() < 0.95 else "",
                "gender": rng.choice(["M", "F", "m", "Male", "U"]),
                "race": rng.choice(["W", "B", "A", "I", "P", "U", "w"]),
                "so_number": f"SO{500 + i // 2:06d}", "sid": p["sid"] or None,
            },
            "booked": booked.strftime("%Y-%m-%dT%H:%M:%S"),
            "released": released.strftime("%Y-%m-%d %H:%M") if released else None,
            "release_reason": rng.choice(RELEASE_WORDS) if released else None,
            "charges": charges,
        }
        lines.append(json.dumps(record, ensure_ascii=False))
    lines.insert(17, '{"booking_no": "B2024-BROKEN", "inmate": {"name": ')  # a truncated line
    lines[23] = lines[23].replace('"booked": "2024', '"booked": "20X4')  # an unreadable date-time
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8", newline="")
    return path


PLEA_WORDS = ["Guilty", "GUILTY", "Not Guilty", "No Contest", "NOLO", "Alford", "", "UNK"]
DISPOSITION_WORDS = [("Guilty", True), ("CONVICTED", True), ("Dismissed", False), ("DISMISSED W/ PREJUDICE", False),
                     ("Not Guilty", False), ("Plea in Abeyance", False), ("Nolle Pros", False), ("", False)]
SENTENCES = ["2Y6M", "180 days", "18 months", "1 yr 3 mo", "90D", "365", "", "LIFE?"]


def write_court(folder: Path, count: int = 30, seed: int = 6) -> list[Path]:
    """Write the court case management export: cases.csv (Latin-1) and dispositions.csv, joined by case."""
    rng = random.Random(seed)
    cases = io.StringIO()
    charges = io.StringIO()
    case_writer = csv.writer(cases, lineterminator="\r\n")
    charge_writer = csv.writer(charges, lineterminator="\r\n")
    case_writer.writerow(["CASE_NUM", "COURT", "FILED_DT", "DEF_LAST", "DEF_FIRST", "DEF_MIDDLE", "DEF_DOB",
                          "DEF_SEX", "DEF_ID", "JUDGE"])
    charge_writer.writerow(["CaseNum", "ChargeNo", "Statute", "ChargeDesc", "Severity", "Plea", "Disposition",
                            "DispDate", "SentenceType", "SentenceLen", "SuspendedLen", "ProbationLen", "Fine"])
    for i in range(1, count + 1):
        p = _person(rng, 900 + i)
        case = f"{rng.choice(['CR', 'cr', 'TR'])}{24}-{i:05d}"
        filed = date(2024, 1, 1) + timedelta(days=rng.randrange(0, 250))
        case_writer.writerow([case.upper(), rng.choice(["3rd District Court", "THIRD DISTRICT", "Justice Court"]),
                              filed.strftime("%m/%d/%Y"), p["family"], p["given"], p["middle"],
                              p["dob"].strftime("%m/%d/%Y") if rng.random() < 0.9 else "00/00/0000",
                              rng.choice(["M", "F", "U", ""]), f"D{900 + i:07d}", f"JUDGE {rng.choice(FAMILY)}"])
        for n in range(1, rng.choice([1, 2, 3]) + 1):
            statute, level, desc = rng.choice(RMS_OFFENSES)
            words, convicted = rng.choice(DISPOSITION_WORDS)
            disposed = filed + timedelta(days=rng.randrange(10, 200))
            sentence_type = rng.choice(["Jail", "Prison", "Probation", "jail"]) if convicted else ""
            charge_writer.writerow([
                case if rng.random() < 0.9 else case.lower(), str(n), statute, desc, level,
                rng.choice(PLEA_WORDS) if words else "", words,
                disposed.strftime("%m/%d/%Y") if words else "",
                sentence_type, rng.choice(SENTENCES[:6]) if convicted else "",
                rng.choice(["", "", "30 days", "1Y"]) if convicted else "",
                rng.choice(["", "36M", "24 months"]) if convicted else "",
                rng.choice(["", "250.00", "1000", "75.50"]) if convicted else "",
            ])
    charge_writer.writerow(["CR24-99999", "1", "76-6-404", "THEFT", "MA", "Guilty", "Guilty", "06/01/2024", "Jail",
                            "90D", "", "", ""])  # no such case in cases.csv
    charge_writer.writerow(["CR24-00002", "9", "76-6-404", "THEFT", "MA", "Guilty", "Guilty", "06/01/2024", "Jail",
                            "LIFE?", "", "", ""])  # sentence nobody can read
    for case_row in county.COURT_CASES:  # the county's stories (tools/county.py), after the random cases
        case_writer.writerow(case_row)
    for disposition_row in county.COURT_DISPOSITIONS:
        charge_writer.writerow(disposition_row)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "cases.csv").write_bytes(cases.getvalue().encode("latin-1"))
    (folder / "dispositions.csv").write_text(charges.getvalue(), encoding="utf-8", newline="")
    return [folder / "cases.csv", folder / "dispositions.csv"]


VIOLATION_WORDS = ["TECH", "Technical", "NEW CRIME", "New Offense", "ABSC", "Absconded", "UNK"]
RESPONSE_WORDS = ["Warning", "VERBAL WARNING", "Jail Sanction", "Revoked", "REVOKED", "Continued", "", "UNK"]
SUP_TYPES = ["PROBATION", "Probation", "PAROLE", "Parole", "Pretrial", "PROB", "UNK"]
END_WORDS = ["Successful", "EXPIRED", "Revoked", "Absconded", "Early Discharge", "Transferred", "Deceased", ""]


def write_probation(path: Path, count: int = 30, seed: int = 7) -> Path:
    """Write the probation/parole export: pipe-delimited, one row per supervision period,
    up to three violations and three offenses of conviction in repeating columns."""
    rng = random.Random(seed)
    header = ["OFFENDER_NO", "NAME", "DOB", "SUP_TYPE", "CASE_NO", "START_DT", "EXP_END_DT", "END_DT", "END_REASON",
              "AGENT"]
    for v in range(1, 4):
        header += [f"VIOL{v}_DT", f"VIOL{v}_TYPE", f"VIOL{v}_DESC", f"VIOL{v}_RESP", f"VIOL{v}_RESP_DT"]
    for c in range(1, 4):
        header += [f"OFF{c}_STATUTE", f"OFF{c}_DESC", f"OFF{c}_LEVEL"]
    lines = ["|".join(header)]
    for i in range(1, count + 1):
        p = _person(rng, 1500 + i)
        start = date(2021, 1, 1) + timedelta(days=rng.randrange(0, 900))
        ended = rng.random() < 0.5
        row = [f"{1500 + i:08d}", f"{p['family']}, {p['given']} {p['middle']}".strip(),
               p["dob"].strftime("%m/%d/%Y"), rng.choice(SUP_TYPES), f"CR{start:%y}-{i:05d}",
               start.strftime("%m/%d/%Y"), (start + timedelta(days=730)).strftime("%m/%d/%Y"),
               (start + timedelta(days=rng.randrange(100, 700))).strftime("%m/%d/%Y") if ended else "00/00/0000",
               rng.choice(END_WORDS) if ended else "", f"AGT{rng.randrange(10, 99)}"]
        for v in range(1, 4):
            if v <= rng.choice([0, 0, 1, 2, 3]):
                when = start + timedelta(days=rng.randrange(10, 500))
                row += [when.strftime("%m/%d/%Y"), rng.choice(VIOLATION_WORDS), rng.choice(["Positive UA",
                        "Missed appt", "New arrest", "", "Left state w/o permission"]), rng.choice(RESPONSE_WORDS),
                        (when + timedelta(days=7)).strftime("%m/%d/%Y")]
            else:
                row += ["", "", "", "", ""]
        for c in range(1, 4):
            if c <= rng.choice([1, 1, 2, 3]):
                statute, level, desc = rng.choice(RMS_OFFENSES)
                row += [statute, desc, level]
            else:
                row += ["", "", ""]
        lines.append("|".join(row))
    fields = lines[9].split("|")
    fields[3] = "HOUSE ARREST"  # a supervision type the map does not know
    lines[9] = "|".join(fields)
    lines[12] = "|".join(lines[12].split("|")[:5])  # a row cut short by the export
    lines.extend("|".join(row) for row in county.SUPERVISION_ROWS)  # the county's stories (tools/county.py)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("latin-1"))
    return path


def main() -> None:
    """Rewrite every vendor's samples (or write a large RMS file for the benchmark)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rms-rows", type=int, default=None, help="write only an RMS file of this many rows")
    parser.add_argument("--rms-out", type=Path, default=Path("rms.csv"))
    args = parser.parse_args()
    if args.rms_rows:
        write_rms(args.rms_out, args.rms_rows)
        print(f"wrote {args.rms_out}")
        return
    vendors = ROOT / "src" / "justice_schema" / "vendors"
    written = [
        write_rms(vendors / "acme_rms" / "samples" / "arrests.csv", 60),
        write_jail(vendors / "cellblock_jms" / "samples" / "bookings.jsonl"),
        *write_court(vendors / "justiceware_courts" / "samples"),
        write_probation(vendors / "fieldline_supervision" / "samples" / "supervision.txt"),
        county.write_prosecutor(vendors / "casebook_prosecutor" / "samples" / "referrals.json"),
        county.write_corrections(vendors / "keystone_doc" / "samples" / "custody_extract.txt"),
    ]
    for path in written:
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
