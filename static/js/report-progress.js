// Polls a report's status while it is queued or running and updates the progress bar (no inline script: CSP).
(function () {
  "use strict";
  const box = document.getElementById("report-progress");
  if (!box) return;
  const finished = (status) => status === "done" || status === "failed";
  if (finished(box.dataset.status)) return;
  const part = (role) => box.querySelector(`[data-role="${role}"]`);
  async function poll() {
    try {
      const response = await fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) throw new Error(response.statusText);
      const data = await response.json();
      part("status").textContent = data.status_label;
      part("bar").value = data.progress;
      part("percent").textContent = String(data.progress);
      if (data.status === "failed") {
        part("error").textContent = data.error;
        part("error").classList.remove("d-none");
        window.location.reload();
        return;
      }
      if (data.status === "done") {
        part("download").href = data.download_url;
        part("download").classList.remove("d-none");
        return;
      }
    } catch (error) {
      part("status").textContent = "Connection problem; retrying…";
    }
    window.setTimeout(poll, 1500);
  }
  window.setTimeout(poll, 800);
})();
