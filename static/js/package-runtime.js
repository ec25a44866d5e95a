/* The SCORM runtime on a package lesson's page (courses/packages).
 *
 * A package looks for its API in a parent window (window.API for SCORM 1.2, window.API_1484_11 for
 * 2004), so the API lives here, in the lesson page, and the package plays in a same-origin sandboxed
 * iframe below it. The API itself is scorm-again (static/vendor/scorm-again); this file loads the
 * learner's saved data into it before the package starts, and sends what the package reports to
 * Proficio: with fetch on every commit and finish, and with sendBeacon when the page goes away.
 */
(function () {
  "use strict";

  var player = document.getElementById("package-player");
  if (!player || !window.Scorm12API) {
    return;
  }
  var frame = player.querySelector("iframe");
  var message = player.querySelector("[data-package-message]");
  var is2004 = player.dataset.scorm === "2004";
  var sessionKey = randomKey();
  var api = null;
  var completedShown = false;

  function randomKey() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function say(text) {
    message.textContent = text;
  }

  function payload(opened) {
    var body = { session: sessionKey, opened: opened };
    if (!opened && api) {
      body.cmi = api.renderCMIToJSONObject().cmi;
    }
    return JSON.stringify(body);
  }

  function refreshProgress() {
    // The page's progress block says "Lesson completed" from the server's own record.
    if (window.htmx && document.getElementById("lesson-progress")) {
      window.htmx.ajax("POST", player.dataset.progress, { target: "#lesson-progress", swap: "outerHTML" });
    }
  }

  function send(opened) {
    return fetch(player.dataset.runtime, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": player.dataset.csrf },
      body: payload(opened)
    }).then(function (response) {
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      return response.json();
    }).then(function (answer) {
      if (answer.completed && !completedShown) {
        completedShown = true;
        refreshProgress();
      }
    }).catch(function () {
      say(player.dataset.saveError || "Your progress could not be saved. Check your connection; it is sent again at the next step.");
    });
  }

  function beacon() {
    if (!api || !navigator.sendBeacon) {
      return;
    }
    // sendBeacon cannot set headers, so the CSRF token travels in the form body, where the app's
    // CSRF check reads it as it does for any form (csrf_token field).
    var form = new URLSearchParams();
    form.set("csrf_token", player.dataset.csrf);
    form.set("payload", payload(false));
    navigator.sendBeacon(player.dataset.runtime, form);
  }

  function start(saved) {
    var settings = { autocommit: false, logLevel: 5, lmsCommitUrl: false };
    if (is2004) {
      api = new window.Scorm2004API(settings);
      window.API_1484_11 = api;
    } else {
      api = new window.Scorm12API(settings);
      window.API = api;
    }
    if (saved && saved.cmi) {
      api.loadFromJSON(saved.cmi);
    }
    var events = is2004 ? ["Commit", "Terminate"] : ["LMSCommit", "LMSFinish"];
    events.forEach(function (name) {
      api.on(name, function () { send(false); });
    });
    window.addEventListener("pagehide", beacon);
    frame.hidden = false;
    frame.src = player.dataset.src;
    say("");
    send(true);
  }

  say(player.dataset.loading || "Loading the package…");
  fetch(player.dataset.runtime, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) {
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      return response.json();
    })
    .then(start)
    .catch(function () {
      say(player.dataset.loadError || "The package could not be started. Reload the page to try again.");
    });
})();
