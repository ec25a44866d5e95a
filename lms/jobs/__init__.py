"""Background jobs: a queue in the database and the `lms worker` process that drains it."""
