// Autosave of a draft review (reviews/admin/workflow.py ReviewAdmin.response_change): the whole admin form is posted in the
// background a moment after the last keystroke; the server answers JSON when it saved, the page otherwise.
(function () {
  "use strict";
  function start() {
    var form = document.getElementById("review_form");
    var status = document.querySelector(".reviews-autosave");
    if (!form || !status) return;
    var timer = null;
    var pending = null;
    function save() {
      var data = new FormData(form);
      data.append("_continue", "1");
      var headers = {};
      headers[status.dataset.autosaveHeader] = "1";
      pending = fetch(form.action || window.location.href, {
        method: "POST", body: data, headers: headers, credentials: "same-origin"
      }).then(function (response) {
        var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
        var time = new Date().toLocaleTimeString([], {hour: "2-digit", minute: "2-digit", second: "2-digit"});
        status.textContent = response.ok && json ? status.dataset.saved + " " + time : status.dataset.failed;
        status.dataset.state = response.ok && json ? "saved" : "failed";
      }).catch(function () {
        status.textContent = status.dataset.failed;
        status.dataset.state = "failed";
      });
    }
    function schedule() {
      status.dataset.state = "pending";
      clearTimeout(timer);
      timer = setTimeout(save, 800);
    }
    form.addEventListener("input", schedule);
    form.addEventListener("change", schedule);
    form.addEventListener("submit", function () { clearTimeout(timer); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
