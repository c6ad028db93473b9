"""Reading ahead keeps the order, passes errors on at their place, and stops when the reader stops."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from justice_schema.errors import InputError
from justice_schema.translation.readahead import read_ahead


@given(items=st.lists(st.integers()), depth=st.integers(1, 5))
def test_items_come_in_order(items: list[int], depth: int) -> None:
    assert list(read_ahead(iter(items), depth)) == items


def test_an_error_is_raised_where_its_item_would_have_come() -> None:
    def source() -> Iterator[int]:
        yield 1
        yield 2
        raise InputError("bad row", path="in.csv", row=3)

    seen = []
    with pytest.raises(InputError, match="bad row"):
        for item in read_ahead(source(), depth=4):
            seen.append(item)
    assert seen == [1, 2]


def test_stopping_early_stops_the_reader() -> None:
    produced = []

    def source() -> Iterator[int]:
        for i in range(1000):
            produced.append(i)
            yield i

    items = read_ahead(source(), depth=2)
    assert next(items) == 0
    items.close()
    time.sleep(0.3)
    count = len(produced)
    time.sleep(0.2)
    assert len(produced) == count < 10  # no further reading once the consumer stopped
    assert not any(t.name == "justice-schema-read-ahead" and t.is_alive() for t in threading.enumerate())


def test_a_run_abandoned_mid_file_lets_the_interpreter_exit(tmp_path: Path) -> None:
    """Leaving a translation half read must not hang or abort the interpreter at exit.

    (Reader threads that run Python code, such as Arrow reading a Python file object,
    once aborted the interpreter here: ``Fatal Python error: PyGILState_Release``.)
    """
    rows = "".join(f"UT0180000,A{i:06d},06/01/2023,19:40,On-View,\"DOE, JOHN\",01/02/1980,M,W,N,UT{i},"
                   f"MNI{i:08d},1,76-6-404,F3,Theft,1,N,1 MAIN ST,SALT LAKE CITY,UT,84101,B1,X\n" for i in range(20_000))
    header = ("ORI,Arrest No,Arrest Date,Arrest Time,Arrest Type,Arrestee Name,DOB,Sex,Race,Ethnicity,SID,MNI,"
              "Charge Seq,Statute,Statute Level,Offense Description,Counts,DV Flag,Address,City,State,Zip,"
              "Officer Badge,Entered By")
    data = tmp_path / "rms.csv"
    data.write_text(header + "\n" + rows, encoding="utf-8")
    script = (
        "import sys\n"
        "from justice_schema.translation import Translator, builtin_spec_path, load_spec_text\n"
        "text = builtin_spec_path('acme_rms').read_text().replace('header = true', 'header = true\\nblock_size = 65536')\n"
        "run = Translator(load_spec_text(text, 'small'), threads=2).stream([sys.argv[1]])\n"
        "it = iter(run); next(it); next(it)\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(data)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
