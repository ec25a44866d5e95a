"""Importing users from CSV: the whole file is checked first and rejected whole if any line is bad.

Columns: ``email, name, org_unit, manager_email, roles`` and optionally ``job_profile`` (an existing
profile's name, any case). Each line states a user's full record: an empty ``org_unit``,
``manager_email`` or ``job_profile`` clears it, and ``roles`` replaces the user's grants; without a
``job_profile`` column people keep their profiles. Re-importing updates users by
email, so importing the same file twice changes nothing the second time. Imported users get no
password; they choose one through an invitation link (lms.auth.invitations). The caller commits.
"""

from lms.people.csv_import.parse import MAX_BYTES, OPTIONAL_COLUMNS, REQUIRED_COLUMNS
from lms.people.csv_import.result import ImportLineError, ImportResult
from lms.people.csv_import.service import users_import
from lms.people.csv_import.units import org_unit_id_by_path

__all__ = [
    "MAX_BYTES",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "ImportLineError",
    "ImportResult",
    "org_unit_id_by_path",
    "users_import",
]
