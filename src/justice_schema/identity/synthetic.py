"""A generator of justice-style person records with known truth, for tests and benchmarks.

Each generated person appears in one to six records, from the agencies a
person meets on the way through the system (police records, jail, court,
probation), each agency with its own habits: the jail nearly always records the
state id, the court only half the time. Records carry the errors clerks make:
typos, nicknames (Bill for William), suffixes typed into the family name
(``SMITH JR``), one part of a compound family name, swapped day and month,
transposed or wrong digits in the birth date, missing values, sentinel
identifiers (``000000000``, ``UNKNOWN``), accents and case.

And the traps a matcher must not fall into:

* **twins**: same family name, birth date and address, different given names
  and state ids;
* **fathers and sons**: same given and family name and address, birth dates
  20 to 40 years apart (none in the future), ``SR`` and ``JR`` on most records,
  different state ids;
* **very common names**: family names follow a steep (Zipf-like) distribution,
  so many different ``JAMES SMITH`` records exist with different birth dates.

``hard=True`` gives a harder data set, built to hold the ways real matching
misses true pairs (:func:`generate_people`): family and given names as
frequent as in the US population (``SMITH`` about 0.8 % of people), people
living in a limited set of postal codes (so common names meet), state ids
with one mistyped character, birth dates with a slipped decade digit, more
missing birth dates, and twice the twins and fathers and sons.

>>> table, truth = generate_people(200, seed=1)
>>> table.num_rows, len(truth), table.column_names[:4]
(200, 200, ['id', 'given_name', 'middle_name', 'family_name'])
>>> generate_people(50, seed=3)[0].equals(generate_people(50, seed=3)[0])
True
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

__all__ = ["generate_people", "GENERATED_COLUMNS"]

#: The columns of a generated table (the minimum set the ``match`` command reads).
GENERATED_COLUMNS: tuple[str, ...] = (
    "id", "given_name", "middle_name", "family_name", "name_suffix", "date_of_birth", "sex", "race",
    "state_id", "fbi_number", "drivers_license_number", "postal_code",
)

_MALE = ("JAMES ROBERT JOHN MICHAEL DAVID WILLIAM RICHARD JOSEPH THOMAS CHARLES CHRISTOPHER DANIEL MATTHEW "
         "ANTHONY MARK DONALD STEVEN PAUL ANDREW JOSHUA KENNETH KEVIN BRIAN GEORGE TIMOTHY RONALD EDWARD JASON "
         "JEFFREY RYAN JACOB GARY NICHOLAS ERIC JONATHAN STEPHEN LARRY JUSTIN SCOTT BRANDON BENJAMIN SAMUEL "
         "GREGORY ALEXANDER FRANK PATRICK RAYMOND JACK DENNIS JERRY TYLER AARON JOSE ADAM NATHAN HENRY DOUGLAS "
         "ZACHARY PETER KYLE ETHAN WALTER NOAH JEREMY CHRISTIAN KEITH ROGER TERRY GERALD HAROLD SEAN AUSTIN "
         "CARL ARTHUR LAWRENCE DYLAN JESSE JORDAN BRYAN BILLY JOE BRUCE GABRIEL LOGAN ALBERT WILLIE ALAN JUAN "
         "WAYNE ELIJAH RANDY ROY VINCENT RALPH EUGENE RUSSELL BOBBY MASON PHILIP LOUIS CARLOS LUIS MIGUEL").split()
_FEMALE = ("MARY PATRICIA JENNIFER LINDA ELIZABETH BARBARA SUSAN JESSICA SARAH KAREN LISA NANCY BETTY MARGARET "
           "SANDRA ASHLEY KIMBERLY EMILY DONNA MICHELLE CAROL AMANDA DOROTHY MELISSA DEBORAH STEPHANIE REBECCA "
           "SHARON LAURA CYNTHIA KATHLEEN AMY ANGELA SHIRLEY ANNA BRENDA PAMELA EMMA NICOLE HELEN SAMANTHA "
           "KATHERINE CHRISTINE DEBRA RACHEL CAROLYN JANET CATHERINE MARIA HEATHER DIANE RUTH JULIE OLIVIA "
           "JOYCE VIRGINIA VICTORIA KELLY LAUREN CHRISTINA JOAN EVELYN JUDITH MEGAN ANDREA CHERYL HANNAH "
           "JACQUELINE MARTHA GLORIA TERESA ANN SARA MADISON FRANCES KATHRYN JANICE JEAN ABIGAIL ALICE JULIA "
           "JUDY SOPHIA GRACE DENISE AMBER DORIS MARILYN DANIELLE BEVERLY ISABELLA THERESA DIANA NATALIE "
           "BRITTANY CHARLOTTE MARIE KAYLA ALEXIS LORI ROSA ANA").split()
_COMMON_FAMILY = ("SMITH JOHNSON WILLIAMS BROWN JONES GARCIA MILLER DAVIS RODRIGUEZ MARTINEZ HERNANDEZ LOPEZ "
                  "GONZALEZ WILSON ANDERSON THOMAS TAYLOR MOORE JACKSON MARTIN LEE PEREZ THOMPSON WHITE HARRIS "
                  "SANCHEZ CLARK RAMIREZ LEWIS ROBINSON WALKER YOUNG ALLEN KING WRIGHT SCOTT TORRES NGUYEN HILL "
                  "FLORES GREEN ADAMS NELSON BAKER HALL RIVERA CAMPBELL MITCHELL CARTER ROBERTS").split()
#: Shares of the commonest US family names (per 100,000 people), rounded from the US Census Bureau's 2010
#: surname file ("Frequently Occurring Surnames from the 2010 Census"); the ``hard`` generator uses them.
_CENSUS_2010_PER_100K = (828, 655, 550, 488, 477, 395, 394, 382, 351, 344, 340, 303, 289, 272, 268, 265, 255,
                         245, 241, 240, 234, 222, 220, 219, 203, 200, 180, 179, 173, 173, 166, 164, 163, 160,
                         156, 155, 153, 151, 150, 146, 146, 144, 142, 138, 137, 135, 133, 132, 131, 129)
_ACCENTED = {"JOSE": "José", "MARIA": "María", "LOPEZ": "López", "PEREZ": "Pérez", "RAMIREZ": "Ramírez",
             "GONZALEZ": "González", "HERNANDEZ": "Hernández", "SANCHEZ": "Sánchez", "MARTINEZ": "Martínez"}
_NICKNAMES = {"WILLIAM": ["BILL", "WILL", "BILLY"], "ROBERT": ["BOB", "ROB", "BOBBY"], "JAMES": ["JIM", "JIMMY"],
              "JOHN": ["JACK", "JOHNNY"], "RICHARD": ["RICK", "DICK"], "MICHAEL": ["MIKE"], "JOSEPH": ["JOE"],
              "THOMAS": ["TOM", "TOMMY"], "CHARLES": ["CHUCK", "CHARLIE"], "DANIEL": ["DAN", "DANNY"],
              "ANTHONY": ["TONY"], "MARGARET": ["PEGGY", "MAGGIE"], "ELIZABETH": ["LIZ", "BETH", "BETSY"],
              "KATHERINE": ["KATE", "KATHY"], "PATRICIA": ["PATTY", "TRISH"], "JENNIFER": ["JENNY", "JEN"],
              "SUSAN": ["SUE", "SUSIE"], "DEBORAH": ["DEBBIE", "DEB"], "REBECCA": ["BECKY"],
              "CHRISTOPHER": ["CHRIS"], "MATTHEW": ["MATT"], "STEVEN": ["STEVE"], "EDWARD": ["ED", "EDDIE"],
              "TIMOTHY": ["TIM"], "KENNETH": ["KEN", "KENNY"], "DONALD": ["DON"], "BENJAMIN": ["BEN"],
              "SAMUEL": ["SAM"], "ALEXANDER": ["ALEX"], "NICHOLAS": ["NICK"], "GREGORY": ["GREG"]}
_SYLLABLES = ("KAL MOR BEN TAR LIN DOR VAS KOV SKI SON MAN BER GER HOL WES TON FIELD BROOK STEIN HART WOOD "
              "RIC ARD ELL OTT ANS EN OVA ICH LEY BY CROFT PARK DALE MONT AGU IRRE ZAN").split()
_AGENCIES = (  # name, share of records, P(state id), P(FBI number), P(driver's licence)
    ("RMS", 0.35, 0.55, 0.08, 0.45),
    ("JAIL", 0.25, 0.92, 0.20, 0.35),
    ("COURT", 0.25, 0.50, 0.05, 0.40),
    ("PROB", 0.15, 0.80, 0.10, 0.50),
)
_LAST_BIRTH = int(np.datetime64("2006-12-31").astype(int))  # exclusive: nobody generated is born later
_RACES = np.array(["W", "B", "A", "I", "P", None], dtype=object)


def _family_pool(rng: np.random.Generator, size: int, census: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Family names and Zipf-like weights: the common real names first, then made-up ones.

    ``census``: the first fifty take their 2010 US Census shares and the rest follow the
    census curve's tail (share falling as rank^-0.9), so common names are as common as in life.
    """
    # names of two or three syllables while there are enough of them (the data sets generated so far),
    # longer names beyond that: 34 syllables make only 40,460 names of two or three, which a run of
    # more than about 1.5 million rows needs more than (the loop below never ended)
    longest = 3
    while size > sum(len(_SYLLABLES) ** k for k in range(2, longest + 1)):
        longest += 1
    made_up: set[str] = set()
    while len(made_up) < size:
        parts = rng.choice(_SYLLABLES, size=rng.integers(2, longest + 1))
        made_up.add("".join(parts))
    names = np.array(list(_COMMON_FAMILY) + sorted(made_up), dtype=object)
    if census:
        rank = np.arange(1, len(names) + 1, dtype=float)
        weights = _CENSUS_2010_PER_100K[-1] * (rank / len(_CENSUS_2010_PER_100K)) ** -0.9 / 100_000
        weights[: len(_CENSUS_2010_PER_100K)] = np.array(_CENSUS_2010_PER_100K) / 100_000
        # the tail shares the rest of the population; SMITH keeps its 0.83 %
        tail = slice(len(_CENSUS_2010_PER_100K), None)
        weights[tail] *= (1 - weights[: len(_CENSUS_2010_PER_100K)].sum()) / weights[tail].sum()
        return names, weights / weights.sum()
    zipf = 1.0 / np.arange(1, len(names) + 1) ** 0.6  # the most common name ~0.7% of people, as SMITH in the US
    return names, zipf / zipf.sum()


def _typo(rng: np.random.Generator, word: str) -> str:
    if len(word) < 3:
        return word
    i = int(rng.integers(1, len(word)))
    kind = rng.integers(0, 4)
    if kind == 0:  # substitution
        return word[:i] + chr(65 + int(rng.integers(0, 26))) + word[i + 1:]
    if kind == 1:  # deletion
        return word[:i] + word[i + 1:]
    if kind == 2 and i < len(word) - 1:  # adjacent transposition
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    return word[:i] + word[i - 1] + word[i:]  # doubled letter


def _dob_error(rng: np.random.Generator, dob: str) -> str:
    y, m, d = dob.split("-")
    kind = rng.integers(0, 3)
    if kind == 0 and int(d) <= 12 and d != m:
        return f"{y}-{d}-{m}"
    digits = list(y + m + d)
    if kind == 1:
        i = int(rng.integers(4, 7))
        digits[i], digits[i + 1] = digits[i + 1], digits[i]
    else:
        i = int(rng.integers(3, 8))
        digits[i] = str((int(digits[i]) + int(rng.integers(1, 9))) % 10)
    text = "".join(digits)
    return f"{text[:4]}-{text[4:6]}-{text[6:]}"


def _one_edit(rng: np.random.Generator, value: str) -> str:
    """``value`` with one character mistyped: a digit changed, or two neighbours swapped."""
    digits = [i for i, c in enumerate(value) if c.isdigit()]
    if not digits:
        return value
    i = digits[int(rng.integers(0, len(digits)))]
    if rng.random() < 0.5 and i + 1 < len(value) and value[i + 1] != value[i]:
        return value[:i] + value[i + 1] + value[i] + value[i + 2:]
    return value[:i] + str((int(value[i]) + int(rng.integers(1, 10))) % 10) + value[i + 1:]


def generate_people(rows: int, *, seed: int = 0, error_rate: float = 1.0,
                    hard: bool = False) -> tuple[pa.Table, list[str]]:
    """``rows`` person records and, per record, the true person's label.

    ``error_rate`` scales every error probability (0 gives clean copies).
    ``hard`` makes the harder data set of the module documentation (the
    default data set is unchanged by it: its random draws are the same).
    Deterministic for a given ``rows``, ``seed`` and ``error_rate``. Columns
    are :data:`GENERATED_COLUMNS`; empty values are None; dates are ``YYYY-MM-DD``
    text (the occasional impossible one included, as clerks type them).
    """
    rng = np.random.default_rng(seed)
    n_people = max(1, int(rows / 2.5))
    family_names, family_weights = _family_pool(rng, max(2000, n_people) if hard else max(200, n_people // 15),
                                                census=hard)
    sex = np.where(rng.random(n_people) < 0.78, "M", "F").astype(object)
    male, female = np.array(_MALE, dtype=object), np.array(_FEMALE, dtype=object)
    given = np.where(sex == "M", male[rng.integers(0, len(male), n_people)],
                     female[rng.integers(0, len(female), n_people)])
    if hard:  # given names as steep as in life: JAMES, JOHN, ROBERT several per cent of men each
        steep_m = 1.0 / np.arange(1, len(male) + 1) ** 0.55
        steep_f = 1.0 / np.arange(1, len(female) + 1) ** 0.55
        given = np.where(sex == "M", male[rng.choice(len(male), n_people, p=steep_m / steep_m.sum())],
                         female[rng.choice(len(female), n_people, p=steep_f / steep_f.sum())])
    middle = np.where(sex == "M", male[rng.integers(0, len(male), n_people)],
                      female[rng.integers(0, len(female), n_people)])
    family = family_names[rng.choice(len(family_names), n_people, p=family_weights)]
    compound = rng.random(n_people) < 0.03
    family = np.where(compound, family + "-" + family_names[rng.integers(0, 50, n_people)], family)
    born = rng.integers(np.datetime64("1945-01-01").astype(int), _LAST_BIRTH, n_people)
    suffix = np.full(n_people, None, dtype=object)
    zips = rng.integers(10000, 99999, n_people)
    if hard:  # about 300 people per postal code, as offenders of one region cluster in its towns
        zips = rng.choice(rng.integers(10000, 99999, max(20, n_people // 300)), n_people)
    race = _RACES[rng.integers(0, len(_RACES), n_people)]

    # Traps: pairs of people built from their neighbour (person i-1 for i in a trap).
    trap = rng.random(n_people)
    if hard:  # twice the twins and fathers and sons
        trap = trap / 2
    twins = np.flatnonzero(trap < 0.01)
    twins = twins[twins > 0]
    family[twins], born[twins], zips[twins] = family[twins - 1], born[twins - 1], zips[twins - 1]
    same_sex = rng.random(len(twins)) < 0.5
    sex[twins] = np.where(same_sex, sex[twins - 1], np.where(sex[twins - 1] == "M", "F", "M"))
    for i in twins.tolist():  # a different given name of the twin's sex
        pool = male if sex[i] == "M" else female
        while given[i] == given[i - 1] or given[i][0] == given[i - 1][0]:
            given[i] = pool[rng.integers(0, len(pool))]
    juniors = np.flatnonzero((trap >= 0.01) & (trap < 0.02))
    juniors = juniors[juniors > 0]
    family[juniors], given[juniors], zips[juniors] = family[juniors - 1], given[juniors - 1], zips[juniors - 1]
    sex[juniors] = sex[juniors - 1] = "M"
    given[juniors] = given[juniors - 1] = male[rng.integers(0, 30, len(juniors))]
    # the son is born 20 to 40 years after the father; when that would be after the last birth
    # date generated (a birth in the future), the new person is the father instead
    gap = rng.integers(20 * 365, 40 * 365, len(juniors))
    late = born[juniors - 1] + gap > _LAST_BIRTH
    born[juniors] = np.where(late, born[juniors - 1] - gap, born[juniors - 1] + gap)
    suffix[juniors] = np.where(late, "SR", "JR")
    suffix[juniors - 1] = np.where(late, "JR", "SR")

    sid = np.array([f"{x:08d}" for x in rng.choice(10**8 - 1, n_people, replace=False) + 1], dtype=object)
    fbi = np.array([f"{x:07d}AB{y}" for x, y in zip(rng.integers(0, 10**7, n_people).tolist(),
                                                    rng.integers(0, 10, n_people).tolist(), strict=True)],
                   dtype=object)
    dl = np.array([f"D{x:08d}" for x in rng.choice(10**8, n_people, replace=False)], dtype=object)

    # Records: every person at least once, the rest spread unevenly (repeat offenders).
    activity = rng.exponential(1.0, n_people)
    extra = (rng.choice(n_people, rows - n_people, p=activity / activity.sum()) if rows > n_people
             else np.zeros(0, dtype=np.int64))
    person = np.concatenate([np.arange(min(rows, n_people)), extra])
    person = person[rng.permutation(len(person))]
    n = len(person)
    shares = np.array([a[1] for a in _AGENCIES])
    agency = rng.choice(len(_AGENCIES), n, p=shares / shares.sum())
    p_sid = np.array([a[2] for a in _AGENCIES])[agency]
    p_fbi = np.array([a[3] for a in _AGENCIES])[agency]
    p_dl = np.array([a[4] for a in _AGENCIES])[agency]

    def chance(p: float | np.ndarray) -> np.ndarray:
        return rng.random(n) < np.asarray(p) * error_rate

    def present(p: np.ndarray) -> np.ndarray:
        return rng.random(n) < p

    r_given = given[person].copy()
    r_middle = middle[person].copy()
    r_family = family[person].copy()
    r_suffix = suffix[person].copy()
    r_sex = sex[person].copy()
    r_zip = np.array([f"{z:05d}" for z in zips[person].tolist()], dtype=object)
    r_dob = np.datetime_as_string(born[person].astype("datetime64[D]")).astype(object)

    for i in np.flatnonzero(chance(0.08)).tolist():
        options = _NICKNAMES.get(r_given[i])
        if options:
            r_given[i] = options[int(rng.integers(0, len(options)))]
    for i in np.flatnonzero(chance(0.05)).tolist():
        r_given[i] = _typo(rng, r_given[i])
    for i in np.flatnonzero(chance(0.05)).tolist():
        r_family[i] = _typo(rng, r_family[i])
    parts = np.flatnonzero(np.char.find(r_family.astype(str), "-") >= 0)
    for i in parts[rng.random(len(parts)) < 0.4 * error_rate].tolist():
        r_family[i] = r_family[i].split("-")[int(rng.integers(0, 2))]
    with_suffix = np.flatnonzero(r_suffix != None)
    typed_in = with_suffix[rng.random(len(with_suffix)) < 0.3]
    r_family[typed_in] = r_family[typed_in] + " " + r_suffix[typed_in]
    r_suffix[typed_in] = None
    dropped = with_suffix[rng.random(len(with_suffix)) < 0.15 * error_rate]
    r_suffix[dropped] = None
    for i in np.flatnonzero(chance(0.06)).tolist():
        r_dob[i] = _dob_error(rng, r_dob[i])
    r_dob[chance(0.03)] = None
    r_middle[rng.random(n) < 0.4] = None
    initials = rng.random(n) < 0.3
    r_middle[initials & (r_middle != None)] = [m[0] for m in r_middle[initials & (r_middle != None)]]
    moved = chance(0.2)
    r_zip[moved] = np.array([f"{z:05d}" for z in rng.integers(10000, 99999, int(moved.sum())).tolist()],
                            dtype=object)
    r_zip[chance(0.1)] = None
    r_sex[chance(0.005)] = None

    r_sid: np.ndarray = np.where(present(p_sid), sid[person], np.array(None))
    sentinel = chance(0.02)
    r_sid[sentinel] = np.where(rng.random(int(sentinel.sum())) < 0.5, "000000000", "UNKNOWN")
    if hard:
        # the miss classes of real data: a state id typed one character wrong, a birth date whose decade
        # digit slipped (1985 -> 1995: ten years, as far apart as a father and son), a birth date missing
        typed = np.flatnonzero((r_sid != None) & ~sentinel & chance(0.04))
        r_sid[typed] = [_one_edit(rng, v) for v in r_sid[typed].tolist()]
        decade = np.flatnonzero((r_dob != None) & chance(0.015))
        r_dob[decade] = [f"{d[:2]}{(int(d[2]) + int(rng.choice([-1, 1]))) % 10}{d[3:]}" for d in r_dob[decade].tolist()]
        r_dob[chance(0.04)] = None
    written = np.flatnonzero((r_sid != None) & ~sentinel & (rng.random(n) < 0.3))
    r_sid[written] = [f"{s[:2]}-{s[2:5]}-{s[5:]}" for s in r_sid[written].tolist()]
    r_fbi: np.ndarray = np.where(present(p_fbi), fbi[person], np.array(None))
    r_dl: np.ndarray = np.where(present(p_dl), dl[person], np.array(None))

    # Presentation: case and accents as different systems write them.
    lower = rng.random(n) < 0.3
    r_given = np.where(lower, np.char.title(r_given.astype(str)).astype(object), r_given)
    r_family = np.where(lower, np.char.title(r_family.astype(str)).astype(object), r_family)
    for column in (r_given, r_family):
        accented = np.flatnonzero(np.isin(np.char.upper(column.astype(str)), list(_ACCENTED)))
        for i in accented[rng.random(len(accented)) < 0.5].tolist():
            column[i] = _ACCENTED[column[i].upper()]

    agency_names = np.array([a[0] for a in _AGENCIES], dtype=object)[agency]
    ids = np.array([f"{a}-{i:09d}" for a, i in zip(agency_names.tolist(), rng.permutation(n).tolist(),
                                                    strict=True)], dtype=object)
    table = pa.table({
        "id": pa.array(ids.tolist(), pa.string()),
        "given_name": pa.array(r_given.tolist(), pa.string()),
        "middle_name": pa.array(r_middle.tolist(), pa.string()),
        "family_name": pa.array(r_family.tolist(), pa.string()),
        "name_suffix": pa.array(r_suffix.tolist(), pa.string()),
        "date_of_birth": pa.array(r_dob.tolist(), pa.string()),
        "sex": pa.array(r_sex.tolist(), pa.string()),
        "race": pa.array(race[person].tolist(), pa.string()),
        "state_id": pa.array(r_sid.tolist(), pa.string()),
        "fbi_number": pa.array(r_fbi.tolist(), pa.string()),
        "drivers_license_number": pa.array(r_dl.tolist(), pa.string()),
        "postal_code": pa.array(r_zip.tolist(), pa.string()),
    })
    return table, [f"person-{p}" for p in person.tolist()]
