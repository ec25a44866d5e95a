"""Who the browser tests sign in as."""

DEMO_PASSWORD = "proficio-demo-2026"
ADMIN, TRAINER, MANAGER, EMPLOYEE, LEAD = (f"{role}@example.gov" for role in ("admin", "trainer", "manager", "employee", "lead"))

# A dedicated account for tests that change their own user, so the demo accounts stay as shipped.
# The live server creates it with `lms users create --password-stdin`.
CHANGER_EMAIL = "pat.changer@example.gov"
CHANGER_NAME = "Pat Changer"
CHANGER_PASSWORD = "amber kettle violin 58 meadow"
