"""Case-flow measures over linked events, each a function returning an Arrow table.

:func:`case_table` (one row per case with the date of each stage), :func:`attrition`,
:func:`intervals`, :func:`recidivism` and :func:`recidivism_summary`, :func:`clearance` and
:func:`clearance_summary`, :func:`person_timeline`. Their definitions, sources and limits are in
docs/caseflow-measures.md.
"""

from justice_schema.caseflow.attrition import STAGES, attrition
from justice_schema.caseflow.cases import case_table
from justice_schema.caseflow.clearance import clearance, clearance_summary
from justice_schema.caseflow.intervals import INTERVALS, intervals
from justice_schema.caseflow.recidivism import recidivism, recidivism_summary
from justice_schema.caseflow.timeline import person_timeline

__all__ = ["case_table", "attrition", "STAGES", "intervals", "INTERVALS", "recidivism", "recidivism_summary",
           "clearance", "clearance_summary", "person_timeline"]
