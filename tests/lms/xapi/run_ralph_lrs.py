"""Run by Ralph's own Python (.venv-lrs): Ralph's LRS app (what `ralph runserver -b fs` serves) on
127.0.0.1:<port>, configured by the RALPH_* environment, without the reloader.

One change to Ralph 5.1.0: its file-system LRS backend writes with operation type "create", which
refuses to write to a file that exists, so it accepts statements once and answers 500 to every later
POST. Appending is what an LRS must do; everything else (validation, duplicate ids, queries) is Ralph's.
"""

import sys

import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

uvicorn.run("ralph.api:app", host="127.0.0.1", port=int(sys.argv[1]), log_level="info")
