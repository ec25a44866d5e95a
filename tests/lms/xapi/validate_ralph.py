"""Run by Ralph's own Python (.venv-lrs), not ours: reads a JSON list of statements on stdin and
prints, as JSON, one line per statement that Ralph's xAPI 1.0.3 base model refuses."""

import json
import sys

from pydantic import ValidationError
from ralph.models.xapi.base.statements import BaseXapiStatement

problems = []
for statement in json.load(sys.stdin):
    try:
        BaseXapiStatement.model_validate(statement)
    except ValidationError as exc:
        problems.append(f"{statement.get('id')} ({statement.get('verb', {}).get('id')}): {exc}")
json.dump(problems, sys.stdout)
