"""The synthetic county's stories: what the prosecutor, the court, the prison and probation record
about people the police records-management sample (``acme_rms``) already arrested.

``tools/generate_vendor_samples.py`` writes every vendor's sample; this module holds the rows that
make the samples one county end to end: the prosecutor's referrals (``casebook_prosecutor``), the
state corrections extract (``keystone_doc``), and the court case and probation rows appended to the
``justiceware_courts`` and ``fieldline_supervision`` samples. Every person and number is invented.
``tests/linking/test_county.py`` asserts the chains these stories are designed to make:

* **Mary Johnson** (RMS arrest A24-000029, SID UT137301): referred with her arrest number and OTN,
  filed as CR24-00031, count 3 amended to simple assault (a second line of the count) and count 2
  dismissed by the prosecutor,
  convicted, admitted to prison, released to probation: one case from arrest to supervision.
* **Tyler Smith-Jones** (A24-000031): declined for insufficient evidence, and (A24-000035) diverted,
  then closed when the diversion was completed: both cases stop at prosecution.
* **Brandon Muñoz** (A24-000018): the referral's arrest number was typed ``A24-00018`` and he was never
  fingerprinted (no OTN): the decision and the filed charge are unlinked, with the cause; his court
  case still finds the arrest by person and date.
* **Daniel Nguyen** (A24-000028, no SID): deferred, then filed when the deferral failed: two decisions.
* **Kaylee Begay**: arrested by the Highway Patrol, whose export the county does not have.
* **Mary Nguyen** (court case CR24-00010 of the court sample, burglary, prison): admitted to prison
  under that docket number.
* **Emma Yazzie** (court case CR24-00005 of the court sample): admitted under a docket typed
  ``CR24-0005``, seven weeks after sentencing: unlinked, with the cause.
"""

from __future__ import annotations

import json
from pathlib import Path

# ---------------------------------------------------------------------------------------------
# The court (justiceware_courts): Mary Johnson's case, appended to cases.csv / dispositions.csv.
COURT_CASES = [
    ["CR24-00031", "THIRD DISTRICT", "02/05/2024", "JOHNSON", "MARY", "M", "09/01/1958", "F", "D0000931",
     "JUDGE HANSEN"],
]
#: count 1 burglary: guilty, prison 1 year then probation; count 3 (amended to simple assault): guilty.
#: Count 2 was dismissed by the prosecutor before trial: the court's export does not list it.
COURT_DISPOSITIONS = [
    ["CR24-00031", "1", "76-6-202", "BURGLARY", "F2", "Guilty", "Guilty", "05/20/2024", "Prison", "1Y", "", "36M",
     "1000"],
    ["CR24-00031", "3", "76-5-102", "Simple Assault", "MA", "Guilty", "Guilty", "05/20/2024", "Jail", "180 days",
     "180 days", "", ""],
]

# ---------------------------------------------------------------------------------------------
# Probation (fieldline_supervision): Mary Johnson's probation after release, appended.
SUPERVISION_ROWS = [
    ["00001601", "JOHNSON, MARY M", "09/01/1958", "PROBATION", "CR24-00031", "09/05/2024", "09/05/2027",
     "00/00/0000", "", "AGT31", *([""] * 15), "76-6-202", "BURGLARY", "F2", "", "", "", "", "", ""],
]


# ---------------------------------------------------------------------------------------------
# The prosecutor (casebook_prosecutor): CaseBook Prosecutor 5 referral export (JSON).
def _defendant(party: str, last: str, first: str, middle: str | None, dob: str, sex: str, sid: str | None) -> dict:
    return {"party_id": party, "last": last, "first": first, "middle": middle, "dob": dob, "sex": sex, "sid": sid}


def _count(cnt: int, line: int, status: str, statute: str, text: str, level: str, referred: str | None,
           filed: str | None = None, dismissed: str | None = None) -> dict:
    """One charge line: a count as referred, filed, amended (a new line of the same count) or dismissed."""
    return {"cnt": cnt, "line": line, "status": status, "statute": statute, "statute_text": text, "level": level,
            "referred_dt": referred, "filed_dt": filed, "dismissed_dt": dismissed}


REFERRALS: list[dict] = [
    {   # Mary Johnson: filed, amended, one count dismissed, convicted (the court), prison, probation
        "ref_no": "R24-00101", "received": "23-JAN-2024", "agency": "SLCPD", "agency_case": "A24-000029",
        "otn": "T240002917", "offense_dt": "21-JAN-2024", "screening_atty": "ADA KIMBALL",
        "defendant": _defendant("P-100233", "JOHNSON", "MARY", "MARIE", "01-SEP-1958", "F", "UT137301"),
        "decisions": [{"code": "ACPT", "date": "02-FEB-2024", "reason": None, "note": "Information filed"}],
        "court": {"case_no": "CR24-00031", "court": "3RD DIST", "filed": "05-FEB-2024", "type": "FEL"},
        "charges": [
            _count(1, 1, "FILED", "76-6-202", "BURGLARY", "F2", "23-JAN-2024", "05-FEB-2024"),
            _count(2, 1, "DISMISSED", "76-10-503", "WEAPON POSS BY RESTRICTED PERSON", "F3", "23-JAN-2024",
                   "05-FEB-2024", "15-APR-2024"),
            _count(3, 1, "AMENDED", "76-5-103", "AGGRAVATED ASSAULT", "F3", "23-JAN-2024", "05-FEB-2024"),
            _count(3, 2, "FILED", "76-5-102", "SIMPLE ASSAULT", "MA", None, "12-Mar-2024"),
        ],
    },
    {   # Brandon Muñoz: the arrest number typed with a digit missing, no OTN (cited, not fingerprinted)
        "ref_no": "R24-00140", "received": "25-MAR-2024", "agency": "SLCPD", "agency_case": "A24-00018",
        "otn": None, "offense_dt": "22-MAR-2024", "screening_atty": "ADA OKAFOR",
        "defendant": _defendant("P-100311", "MUÑOZ", "BRANDON", "RAY", "06-JAN-1968", "F", "UT562581"),
        "decisions": [{"code": "ACPT", "date": "08-APR-2024", "reason": None, "note": None}],
        "court": {"case_no": "cr24-00033 ", "court": "3RD DIST", "filed": "10-APR-2024", "type": "FEL"},
        "charges": [
            _count(1, 1, "FILED", "76-6-404", "THEFT", "F3", "25-MAR-2024", "10-APR-2024"),
        ],
    },
    {   # Tyler Smith-Jones, theft: diverted, closed when the programme was completed
        "ref_no": "R24-00170", "received": "11-APR-2024", "agency": "SLCPD-WV", "agency_case": "A24-000035",
        "otn": "T240003512", "offense_dt": "09-APR-2024", "screening_atty": "ADA KIMBALL",
        "defendant": _defendant("P-100342", "SMITH-JONES", "TYLER", "RAY", "12-SEP-1976", "U", "UT565045"),
        "decisions": [
            {"code": "DIVR", "date": "25-APR-2024", "reason": "1ST OFFENDER", "note": "Theft diversion class"},
            {"code": "DECL", "date": "30-OCT-2024", "reason": "DIV COMPLETE", "note": None},
        ],
        "court": None,
        "charges": [_count(1, 1, "REFERRED", "76-6-404", "THEFT", "MA", "11-APR-2024")],
    },
    {   # Tyler Smith-Jones, interfering with an arrest: declined
        "ref_no": "R24-00188", "received": "30-APR-2024", "agency": "SLCPD", "agency_case": "A24-000031",
        "otn": "T240003118", "offense_dt": "29-APR-2024", "screening_atty": "ADA OKAFOR",
        "defendant": _defendant("P-100342", "SMITH-JONES", "TYLER", "RAY", "12-SEP-1976", "U", "UT565045"),
        "decisions": [{"code": "DECL", "date": "14-MAY-2024", "reason": "INSUFF EVID",
                       "note": "Body camera does not show resistance"}],
        "court": None,
        "charges": [_count(1, 1, "REFERRED", "76-8-305", "INTERFERING W/ ARREST", "MB", "30-APR-2024")],
    },
    {   # Daniel Nguyen, DUI: deferred, then filed when he missed the deferral's conditions
        "ref_no": "R24-00231", "received": "03-JUN-2024", "agency": "SLCPD", "agency_case": "A24-000028",
        "otn": "T240002807", "offense_dt": "31-MAY-2024", "screening_atty": "ADA PETERSEN",
        "defendant": _defendant("P-100377", "NGUYEN", "DANIEL", "ANN", "13-DEC-1970", "M", None),
        "decisions": [
            {"code": "DEFR", "date": "17-JUN-2024", "reason": None, "note": "Deferred 90 days: treatment"},
            {"code": "ACPT", "date": "21-OCT-2024", "reason": None, "note": "Deferral conditions not met"},
        ],
        "court": {"case_no": "TR24-00034", "court": "3RD DIST", "filed": "23-OCT-2024", "type": "TRAF"},
        "charges": [
            _count(1, 1, "FILED", "41-6a-502", "DUI", "MB", "03-JUN-2024", "23-OCT-2024"),
        ],
    },
    {   # Kaylee Begay: arrested by the Highway Patrol, whose records the county's hub does not hold
        "ref_no": "R24-00250", "received": "19-JUL-2024", "agency": "UHP", "agency_case": "UHP24-11873",
        "otn": "T240118730", "offense_dt": "17-JUL-2024", "screening_atty": "ADA PETERSEN",
        "defendant": _defendant("P-100402", "BEGAY", "KAYLEE", None, "02-APR-1999", "F", "UT880412"),
        "decisions": [{"code": "ACPT", "date": "01-AUG-2024", "reason": None, "note": None}],
        "court": {"case_no": "CR24-00035", "court": "3RD DIST", "filed": "02-AUG-2024", "type": "FEL"},
        "charges": [
            _count(1, 1, "FILED", "58-37-8(2)(a)(i)", "POSSESSION OF CONTROLLED SUBSTANCE", "F3", "19-JUL-2024",
                   "02-AUG-2024"),
        ],
    },
    {   # returned to the police for more investigation, with a decision code the lookup does not know
        "ref_no": "R24-00262", "received": "02-AUG-2024", "agency": "SLCPD", "agency_case": "A24-000032",
        "otn": "T240003207", "offense_dt": "17-JUL-2024", "screening_atty": "ADA KIMBALL",
        "defendant": _defendant("P-100415", "PEÑA", "DANIEL", "ANN", "26-JAN-1979", "U", None),
        "decisions": [{"code": "PEND", "date": "09-AUG-2024", "reason": None, "note": "Awaiting lab results"}],
        "court": None,
        "charges": [_count(1, 1, "REFERRED", "58-37-8(2)(a)(i)", "POSSESSION OF CONTROLLED SUBSTANCE", "MB",
                           "02-AUG-2024")],
    },
    {   # a decision date no calendar has
        "ref_no": "R24-00270", "received": "10-SEP-2024", "agency": "SLCPD", "agency_case": "A24-000037",
        "otn": "T240003701", "offense_dt": "22-FEB-2024", "screening_atty": "ADA OKAFOR",
        "defendant": _defendant("P-100421", "JOHNSON", "DANIEL", "LEE", "20-AUG-1958", "U", "UT700105"),
        "decisions": [{"code": "DECL", "date": "31-SEP-2024", "reason": "IOJ", "note": None}],
        "court": None,
        "charges": [_count(1, 1, "REFERRED", "76-6-602", "RETAIL THEFT", "MB", "10-SEP-2024")],
    },
]


def write_prosecutor(path: Path) -> Path:
    """Write the prosecutor's referral export: one JSON document, referrals with their decisions and
    charge actions (UTF-8, Windows line endings, as the vendor's export writes it)."""
    document = {
        "export": {"product": "CaseBook Prosecutor", "version": "5.3", "office": "SALT LAKE COUNTY DISTRICT ATTORNEY",
                   "office_ori": "UT018017A", "run_at": "02-DEC-2024 06:00"},
        "referrals": REFERRALS,
    }
    text = json.dumps(document, ensure_ascii=False, indent=2)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.replace("\n", "\r\n") + "\r\n", encoding="utf-8", newline="")
    return path


# ---------------------------------------------------------------------------------------------
# The state corrections department (keystone_doc): Keystone OMS custody extract (fixed width).
#: (name, first position, last position), 1-based and inclusive, of a custody period line ('C').
CUSTODY_LAYOUT = [
    ("record_type", 1, 1), ("doc_number", 2, 7), ("period", 8, 9), ("sid", 10, 19), ("otn", 20, 29),
    ("last_name", 30, 49), ("first_name", 50, 64), ("middle_name", 65, 79), ("dob", 80, 87), ("sex", 88, 88),
    ("race", 89, 89), ("facility", 90, 93), ("admit_date", 94, 101), ("admit_type", 102, 103),
    ("release_date", 104, 111), ("release_type", 112, 113), ("projected_release", 114, 121),
    ("docket", 122, 135), ("statute", 136, 151), ("offense_level", 152, 153), ("county", 154, 155),
]


def _custody_line(values: dict[str, str]) -> str:
    parts = []
    for name, first, last in CUSTODY_LAYOUT:
        width = last - first + 1
        value = values.get(name, "")
        if len(value) > width:
            raise ValueError(f"{name}: {value!r} is wider than {width}")
        parts.append(value.ljust(width))
    return "".join(parts).rstrip()


def _period(doc: str, period: str, sid: str, otn: str, last: str, first: str, middle: str, dob: str, sex: str,
            race: str, facility: str, admitted: str, admit_type: str, released: str, release_type: str,
            projected: str, docket: str, statute: str, level: str) -> str:
    return _custody_line({
        "record_type": "C", "doc_number": doc, "period": period, "sid": sid, "otn": otn, "last_name": last,
        "first_name": first, "middle_name": middle, "dob": dob, "sex": sex, "race": race, "facility": facility,
        "admit_date": admitted, "admit_type": admit_type, "release_date": released, "release_type": release_type,
        "projected_release": projected, "docket": docket, "statute": statute, "offense_level": level, "county": "18"})


CUSTODY_PERIODS = [
    # Mary Johnson: new commitment on CR24-00031, released to probation (a split sentence)
    _period("245001", "01", "UT137301", "T240002917", "JOHNSON", "MARY", "MARIE", "19580901", "F", "W", "USPD",
            "20240603", "NC", "20240905", "PR", "20250603", "CR24-00031", "76-6-202", "F2"),
    # Mary Nguyen: new commitment on the court sample's CR24-00010 (burglary, 2Y6M), still in custody
    _period("245017", "01", "UT771204", "", "NGUYEN", "MARY", "MARIE", "19651009", "F", "W", "USPD",
            "20240812", "NC", "00000000", "", "20270212", "CR24-00010", "76-6-202", "F2"),
    # Emma Yazzie: the court sample's CR24-00005, the docket typed with a digit missing, admitted 7 weeks on
    _period("245040", "01", "", "", "YAZZIE", "EMMA", "MARIE", "19781105", "F", "I", "USPD",
            "20241220", "NC", "00000000", "", "20260320", "CR24-0005", "76-9-702", "MB"),
    # people whose court and police records are held by other counties: a transfer, a parole revocation
    _period("231877", "01", "UT300117", "T230044120", "HANSEN", "WEI", "", "19890314", "M", "A", "USPD",
            "20230109", "NC", "20240402", "TR", "20260109", "CR22-04417", "76-6-202", "F2"),
    _period("231877", "02", "UT300117", "T230044120", "HANSEN", "WEI", "", "19890314", "M", "A", "CUCF",
            "20240402", "TI", "00000000", "", "20260109", "CR22-04417", "76-6-202", "F2"),
    _period("219932", "03", "UT215530", "", "WALKER", "JORDAN", "A", "19850722", "M", "B", "CUCF",
            "20240315", "RV", "20240913", "EX", "00000000", "CR19-01182", "76-5-103", "F3"),
    _period("240219", "01", "UT590021", "T240021908", "CHRISTENSEN", "SIERRA", "", "20010527", "F", "W", "LOCC",
            "20240201", "NC", "20240730", "PA", "20241101", "CR23-11930", "58-37-8(2)(a)(i)", "F3"),
    # an admission type the lookup does not know (kept as UNKNOWN, the code kept raw)
    _period("240388", "01", "UT604477", "", "PETERSEN", "JAMES", "", "19720618", "M", "W", "USPD",
            "20240922", "ZZ", "00000000", "", "20250922", "CR24-00419", "41-6a-502", "F3"),
]


def write_corrections(path: Path) -> Path:
    """Write the corrections extract: a header line, one fixed-width line per custody period, a trailer
    with the line count (Latin-1, Windows line endings, trailing blanks stripped), and a line the
    export cut short."""
    lines = ["H20250106UTDOC0000KEYSTONE OMS CUSTODY EXTRACT", *CUSTODY_PERIODS]
    lines.insert(5, CUSTODY_PERIODS[1][:60])  # a line cut short by the export (the period is repeated whole)
    lines.append(f"T{len(lines) - 1:07d}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("latin-1"))
    return path
