// The dashboard's two charts, from the figures the page carries in #dashboard-data (json_script).
(function () {
  "use strict";

  function colour(name, fallback) {
    const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }

  function draw() {
    const data = JSON.parse(document.getElementById("dashboard-data").textContent);
    // Days as "02 Dec": the year and the weekday would crowd 30 labels.
    const labels = data.days.map((day) => {
      const moment = new Date(day + "T00:00:00Z");
      return moment.toLocaleDateString("en-GB", { day: "2-digit", month: "short", timeZone: "UTC" });
    });
    const text = colour("--body-fg", "#333");
    const grid = colour("--hairline-color", "#e8e8e8");
    Chart.defaults.color = text;
    Chart.defaults.borderColor = grid;
    Chart.defaults.maintainAspectRatio = false;
    // Figures, not a show: drawn at once (and a screenshot never catches a bar half grown).
    Chart.defaults.animation = false;
    const mvr = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

    new Chart(document.getElementById("money-chart"), {
      type: "bar",
      data: {
        labels: labels,
        datasets: [
          { label: "Deposits", data: data.deposits, backgroundColor: "#4a9d5b" },
          { label: "Withdrawals", data: data.withdrawals, backgroundColor: "#d1793a" },
          { label: "Net", data: data.net, type: "line", borderColor: "#417690", backgroundColor: "#417690",
            pointRadius: 3 },
        ],
      },
      options: {
        interaction: { mode: "index", intersect: false },
        plugins: { tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${mvr.format(item.parsed.y)} MVR` } } },
        scales: { y: { grace: "5%", ticks: { callback: (value) => mvr.format(value) } } },
      },
    });

    new Chart(document.getElementById("activity-chart"), {
      type: "bar",
      data: {
        labels: labels,
        datasets: [
          { label: "Spins used", data: data.spins_used, backgroundColor: "#79aec8", yAxisID: "spins" },
          { label: "Chips approved", data: data.chips_approved, type: "line", borderColor: "#ba2121",
            backgroundColor: "#ba2121", pointRadius: 3, yAxisID: "chips" },
        ],
      },
      options: {
        interaction: { mode: "index", intersect: false },
        scales: {
          spins: { position: "left", beginAtZero: true, grace: "5%", ticks: { precision: 0 }, title: { display: true, text: "Spins" } },
          chips: { position: "right", beginAtZero: true, grace: "5%", ticks: { precision: 0 }, grid: { drawOnChartArea: false },
                   title: { display: true, text: "Chips" } },
        },
      },
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
