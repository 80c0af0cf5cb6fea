// Leaving a section with unsaved changes: a link inside the page opens a dialog that offers to save first (the
// server then goes on to the link), to leave without saving, or to stay; closing or reloading the tab gets the
// browser's own warning. A field counts as unsaved while its value differs from the one last saved (the page's,
// or the autosave's after it succeeded).
(function () {
  var form = document.getElementById("section-form");
  var dialog = document.getElementById("unsaved-dialog");
  if (!form || !dialog) return;
  var submitting = false;
  var pendingHref = null;

  function isUnsaved(element) {
    if (!element.name || element.type === "hidden" || element.type === "submit" || element.disabled) return false;
    if (element.type === "checkbox" || element.type === "radio") return element.checked !== element.defaultChecked;
    if (element.tagName === "SELECT") {
      return Array.prototype.some.call(element.options, function (option) {
        return option.selected !== option.defaultSelected;
      });
    }
    return element.value !== element.defaultValue;
  }

  function hasUnsavedChanges() {
    return Array.prototype.some.call(form.elements, isUnsaved);
  }

  // An autosaved field is saved once its autosave succeeded.
  document.body.addEventListener("htmx:afterRequest", function (event) {
    var element = event.detail.elt;
    if (event.detail.successful && element && element.form === form && "defaultValue" in element) {
      element.defaultValue = element.value;
    }
  });

  form.addEventListener("submit", function () { submitting = true; });

  window.addEventListener("beforeunload", function (event) {
    if (!submitting && pendingHref === null && hasUnsavedChanges()) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[href]");
    if (!link || event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (link.target === "_blank" || link.origin !== window.location.origin || link.getAttribute("href").charAt(0) === "#") return;
    if (!hasUnsavedChanges()) return;
    event.preventDefault();
    pendingHref = link.href;
    dialog.showModal();
  });

  dialog.addEventListener("close", function () {
    var choice = dialog.returnValue;
    var href = pendingHref;
    if (choice === "save") {
      form.querySelector("input[name=next]").value = href;
      form.requestSubmit(form.querySelector("button[name=save]"));
    } else if (choice === "leave") {
      window.location.href = href;
    } else {
      pendingHref = null;
    }
  });
})();
