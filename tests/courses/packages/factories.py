"""SCORM packages built by the tests: a manifest and a page that talks to the runtime API."""

from __future__ import annotations

import io
import zipfile

from sqlmodel import Session

from courses.packages.models import Package
from courses.packages.selectors import package_of_lesson

# A SCORM 1.2 page: finds the API in a parent window, resumes from suspend data, and reports on a click.
PAGE_12 = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Phishing quiz</title>
<script>
var api = null;
for (var w = window; w && !api; w = w.parent === w ? null : w.parent) { api = w.API || null; }
function status(text) { document.getElementById("status").textContent = text; }
window.addEventListener("load", function () {
  api.LMSInitialize("");
  var resumed = api.LMSGetValue("cmi.suspend_data");
  document.getElementById("resumed").textContent = resumed ? "Resumed at " + resumed : "First visit";
  document.getElementById("half").addEventListener("click", function () {
    api.LMSSetValue("cmi.core.lesson_location", "page-2");
    api.LMSSetValue("cmi.suspend_data", "page-2");
    api.LMSSetValue("cmi.core.lesson_status", "incomplete");
    api.LMSSetValue("cmi.core.exit", "suspend");
    api.LMSCommit("");
    status("Saved half way");
  });
  document.getElementById("turn").addEventListener("click", function () {
    api.LMSSetValue("cmi.suspend_data", "page-3");  // no commit: only the page's beacon sends it
    status("On page 3");
  });
  document.getElementById("finish").addEventListener("click", function () {
    api.LMSSetValue("cmi.core.score.raw", "%(score)s");
    api.LMSSetValue("cmi.core.lesson_status", "%(status)s");
    api.LMSSetValue("cmi.suspend_data", "done");
    api.LMSSetValue("cmi.core.session_time", "00:01:30");
    api.LMSCommit("");
    api.LMSFinish("");
    status("Finished");
  });
});
</script></head>
<body><main><h1>Phishing quiz</h1><p id="resumed"></p><p id="status" role="status"></p>
<button id="half" type="button">Stop half way</button>
<button id="turn" type="button">Turn the page</button> <button id="finish" type="button">Finish</button></main></body></html>
"""

MANIFEST_12 = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="phishing" version="1.0"
  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org1">
    <organization identifier="org1"><title>%(title)s</title>
      <item identifier="item1" identifierref="res1"><title>Quiz</title>%(mastery)s</item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="res1" type="webcontent" adlcp:scormtype="sco" href="%(launch)s"><file href="%(launch)s"/></resource>
  </resources>
</manifest>
"""

MANIFEST_2004 = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="phishing2004" version="1"
  xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
  xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="org1">
    <organization identifier="org1"><title>Phishing 2004</title>
      <item identifier="item1" identifierref="res1"><title>Quiz</title>
        <imsss:sequencing><imsss:objectives>
          <imsss:primaryObjective objectiveID="pass" satisfiedByMeasure="true">
            <imsss:minNormalizedMeasure>0.8</imsss:minNormalizedMeasure>
          </imsss:primaryObjective>
        </imsss:objectives></imsss:sequencing>
      </item>
    </organization>
  </organizations>
  <resources><resource identifier="res1" type="webcontent" adlcp:scormType="sco" href="content/start.html"/></resources>
</manifest>
"""


def zip_of(files: dict[str, bytes | str], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def scorm12(
    *,
    title: str = "Phishing awareness",
    launch: str = "index.html",
    mastery: int | None = None,
    status: str = "completed",
    score: int = 90,
    extra: dict[str, bytes | str] | None = None,
) -> bytes:
    manifest = MANIFEST_12 % {
        "title": title,
        "launch": launch,
        "mastery": f"<adlcp:masteryscore>{mastery}</adlcp:masteryscore>" if mastery is not None else "",
    }
    return zip_of({"imsmanifest.xml": manifest, launch: PAGE_12 % {"status": status, "score": score}, **(extra or {})})


# A SCORM 2004 page: the API is API_1484_11; the score is scaled (the manifest's passing score is 0.8).
PAGE_2004 = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Phishing 2004</title>
<script>
var api = null;
for (var w = window; w && !api; w = w.parent === w ? null : w.parent) { api = w.API_1484_11 || null; }
window.addEventListener("load", function () {
  api.Initialize("");
  document.getElementById("entry").textContent = "Location: " + (api.GetValue("cmi.location") || "none");
  document.getElementById("finish").addEventListener("click", function () {
    api.SetValue("cmi.location", "summary");
    api.SetValue("cmi.score.scaled", "0.9");
    api.SetValue("cmi.completion_status", "completed");
    api.SetValue("cmi.exit", "suspend");
    api.Commit("");
    api.Terminate("");
    document.getElementById("status").textContent = "Finished";
  });
});
</script></head>
<body><main><h1>Phishing 2004</h1><p id="entry"></p><p id="status" role="status"></p>
<button id="finish" type="button">Finish</button></main></body></html>
"""


def scorm2004() -> bytes:
    return zip_of({"imsmanifest.xml": MANIFEST_2004, "content/start.html": PAGE_2004})


def upload_package(browser, course_id: int, module_id: int, data: bytes, *, name: str = "phishing.zip", **fields: str):
    return browser.post(
        f"/author/courses/{course_id}/modules/{module_id}/packages",
        data=fields,
        files={"file": (name, data, "application/zip")},
    )


def package_for(db: Session, lesson_id: int) -> Package:
    db.expire_all()
    package = package_of_lesson(db, lesson_id)
    assert package is not None
    return package
