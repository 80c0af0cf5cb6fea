// Autosave of long text fields (htmx).
// - The endpoint answers 400 with its message when the value is refused, and 409 when the text changed in the
//   meantime (a co-editor's or a later save): show that message instead of ignoring the response, as htmx does by
//   default for errors; neither is retried.
// - Any other failure (server error, database unavailable 503, network down, timeout) must not look saved: the
//   status says "Not saved — retrying…" (its text comes from the page, translated), the typed text stays in the
//   field, and the field is sent again after 2 s, 4 s, 8 s… (at most every minute) until the server says saved.
(function () {
  "use strict";
  var FIRST_DELAY = 2000;
  var MAX_DELAY = 60000;
  var retries = new WeakMap(); // field -> {delay, timer}

  function statusOf(field) {
    var target = field.getAttribute && field.getAttribute("hx-target");
    var status = target && document.querySelector(target);
    return status && status.classList.contains("autosave-status") ? status : null;
  }

  function cancelRetry(field) {
    var retry = retries.get(field);
    if (retry && retry.timer) {
      clearTimeout(retry.timer);
      retry.timer = null;
    }
  }

  function scheduleRetry(field, status) {
    var retry = retries.get(field) || {delay: FIRST_DELAY, timer: null};
    cancelRetry(field);
    var line = document.createElement("span");
    line.className = "text-danger";
    line.textContent = status.dataset.notSaved;
    status.replaceChildren(line);
    retry.timer = setTimeout(function () {
      retry.timer = null;
      htmx.trigger(field, "autosave-retry");
    }, retry.delay);
    retry.delay = Math.min(retry.delay * 2, MAX_DELAY);
    retries.set(field, retry);
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    var refused = event.detail.xhr.status === 400 || event.detail.xhr.status === 409;
    if (refused && target && target.classList.contains("autosave-status")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    if (statusOf(event.detail.elt)) {
      cancelRetry(event.detail.elt); // typing again sends now: no second request from an old timer
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var field = event.detail.elt;
    var status = statusOf(field);
    if (!status) {
      return;
    }
    if (event.detail.successful === true) {
      retries.delete(field);
    } else {
      scheduleRetry(field, status);
    }
  });
})();
