// Autosave of long text fields (htmx). The endpoint answers 400 with its message when the value is refused:
// show that message instead of ignoring the response, as htmx does by default for errors.
document.addEventListener("htmx:beforeSwap", function (event) {
  var target = event.detail.target;
  if (event.detail.xhr.status === 400 && target && target.classList.contains("autosave-status")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
