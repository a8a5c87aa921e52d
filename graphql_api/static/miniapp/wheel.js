/* The wheel: drawn from prizeTable (its real odds, nothing else), spun by the server (processSpin
   draws every outcome; the animation only shows where it landed), with the draw's fairness data. */
(function () {
  "use strict";
  var bridge = window.MiniAppBridge;
  var OUTCOME = "... on OperationInfo { messages { message code } }";
  var FAIRNESS = "serverSeedHash clientSeed nonce previousServerSeed previousServerSeedHash";
  var STATE = "query($id: BigInt!) { prizeTable { label chips probability } " +
    "spinAccount(telegramId: $id) { availableSpins } user(telegramId: $id) { fairness { " + FAIRNESS + " } } }";
  var SPIN = "mutation($id: BigInt!, $count: Int) { processSpin(telegramId: $id, count: $count) { " +
    "... on SpinBatch { spins { prize chips status nonce serverSeedHash clientSeed } chipsWon spinsLeft } " +
    OUTCOME + " } }";
  var SET_SEED = "mutation($id: BigInt!, $seed: String!) { setClientSeed(telegramId: $id, clientSeed: $seed) { " +
    "... on Fairness { " + FAIRNESS + " } " + OUTCOME + " } }";
  var ROTATE = "mutation($id: BigInt!) { rotateServerSeed(telegramId: $id) { ... on Fairness { " + FAIRNESS +
    " } " + OUTCOME + " } }";
  var COLOURS = ["#e4572e", "#29335c", "#f3a712", "#669bbc", "#a8c686", "#8e5572", "#2a9d8f", "#e76f51",
    "#6a4c93", "#1982c4"];
  var TRY_AGAIN_COLOUR = "#9aa0a6";
  var TURN = 2 * Math.PI;

  // The smallest prizes are 1 in 100,000: two decimals would print them as 0.00%, as if they could
  // never be won, so small odds keep their first significant digits.
  function percent(probability) {
    var value = probability * 100;
    var digits = value >= 1 ? 2 : Math.min(6, Math.max(2, -Math.floor(Math.log10(value))));
    return value.toFixed(digits) + "%";
  }

  var $ = function (id) { return document.getElementById(id); };
  var app = $("app");
  var canvas = $("wheel");
  var context = canvas.getContext("2d");
  var segments = [];
  var rotation = 0;
  var available = 0;
  var busy = false;
  var landed = [];
  window.miniappLanded = landed;  // what the animation showed, read back from the wheel's angle

  function playerId() {
    try { return String(JSON.parse(new URLSearchParams(bridge.initData).get("user")).id); }
    catch (error) { return null; }
  }

  function api(query, variables) {
    return fetch("/graphql/", {
      method: "POST", credentials: "omit",
      headers: { "Content-Type": "application/json", "Authorization": "tma " + bridge.initData },
      body: JSON.stringify({ query: query, variables: variables })
    }).then(function (response) {
      return response.json().then(function (body) {
        if (body.errors && body.errors.length) throw new Error(body.errors[0].message);
        return body.data;
      });
    });
  }

  function refusal(payload) {
    return payload && payload.messages ? payload.messages.map(function (m) { return m.message; }).join(" ") : "";
  }

  function showError(message) {
    $("error").textContent = message || "";
    $("error").hidden = !message;
    if (message) bridge.haptic("error");
  }

  function buildSegments(prizes) {
    var start = 0;
    var colour = 0;
    segments = prizes.map(function (prize) {
      var size = prize.probability * TURN;
      var segment = { label: prize.label, chips: prize.chips, probability: prize.probability, start: start,
        end: start + size, colour: prize.chips > 0 ? COLOURS[colour++ % COLOURS.length] : TRY_AGAIN_COLOUR };
      start += size;
      return segment;
    });
    if (segments.length) segments[segments.length - 1].end = TURN;  // no gap from float rounding
  }

  function draw() {
    var size = canvas.width;
    var radius = size / 2 - 8;
    context.clearRect(0, 0, size, size);
    context.save();
    context.translate(size / 2, size / 2);
    context.rotate(rotation);
    segments.forEach(function (segment) {
      context.beginPath();
      context.moveTo(0, 0);
      context.arc(0, 0, radius, segment.start - Math.PI / 2, segment.end - Math.PI / 2);
      context.closePath();
      context.fillStyle = segment.colour;
      context.fill();
      context.strokeStyle = "#ffffff";
      context.lineWidth = 2;
      context.stroke();
      if (segment.end - segment.start > 0.2) {  // a label fits; the legend names every segment
        context.save();
        context.rotate((segment.start + segment.end) / 2 - Math.PI / 2);
        context.fillStyle = "#ffffff";
        context.font = "bold 28px system-ui, sans-serif";
        context.textAlign = "right";
        context.textBaseline = "middle";
        context.fillText(segment.label, radius - 18, 0);
        context.restore();
      }
    });
    context.restore();
    context.beginPath();
    context.arc(size / 2, size / 2, 34, 0, TURN);
    context.fillStyle = "#ffffff";
    context.fill();
  }

  function segmentUnderPointer() {
    var angle = ((-rotation % TURN) + TURN) % TURN;
    for (var i = 0; i < segments.length; i++) {
      if (angle >= segments[i].start && angle < segments[i].end) return segments[i];
    }
    return segments[segments.length - 1];
  }

  function animateTo(label, duration) {
    var segment = segments.filter(function (s) { return s.label === label; })[0];
    if (!segment) return Promise.reject(new Error("The server drew " + label + ", which the wheel does not show."));
    // Anywhere inside the segment but its edges, so the pointer is never on a border.
    var width = segment.end - segment.start;
    var target = segment.start + width * (0.2 + 0.6 * Math.random());
    var from = rotation;
    var turns = duration >= 800 ? 4 : 1;
    var to = from + ((((-target - from) % TURN) + TURN) % TURN) + turns * TURN;
    return new Promise(function (resolve) {
      var began = null;
      function frame(now) {
        if (began === null) began = now;
        var t = Math.min(1, (now - began) / duration);
        rotation = from + (to - from) * (1 - Math.pow(1 - t, 3));
        draw();
        if (t < 1) { window.requestAnimationFrame(frame); return; }
        rotation = to % TURN;
        draw();
        var shown = segmentUnderPointer().label;
        landed.push(shown);
        app.dataset.landed = String(landed.length);
        bridge.haptic(segment.chips > 0 ? "medium" : "light");
        resolve(shown);
      }
      window.requestAnimationFrame(frame);
    });
  }

  function showSpins(spins) {
    // Many spins at once: each lands in turn, faster the more there are; past 25 only the last.
    var shown = spins.length > 25 ? spins.slice(-1) : spins;
    var duration = Math.max(250, Math.min(2500, 4000 / shown.length));
    return shown.reduce(function (previous, spin) {
      return previous.then(function () { return animateTo(spin.prize, duration); });
    }, Promise.resolve());
  }

  function summarise(batch) {
    var spins = batch.spins;
    var wins = spins.filter(function (s) { return s.chips > 0; });
    var pending = wins.some(function (s) { return s.status === "PENDING"; });
    $("summary-line").textContent = spins.length + (spins.length === 1 ? " spin: " : " spins: ") +
      wins.length + (wins.length === 1 ? " win, " : " wins, ") + batch.chipsWon + " chips" +
      (pending ? " (wins wait for an admin's approval)." : ".") + " Spins left: " + batch.spinsLeft + ".";
    var counts = {};
    spins.forEach(function (s) { counts[s.prize] = (counts[s.prize] || 0) + 1; });
    var list = $("summary-prizes");
    list.textContent = "";
    segments.forEach(function (segment) {
      if (!counts[segment.label]) return;
      var item = document.createElement("li");
      item.textContent = counts[segment.label] + " × " + segment.label;
      list.appendChild(item);
    });
    $("summary").hidden = false;
    var nonces = spins.map(function (s) { return s.nonce; });
    $("last-nonces").textContent = nonces.length ? Math.min.apply(null, nonces) +
      (nonces.length > 1 ? "–" + Math.max.apply(null, nonces) : "") : "–";
  }

  function showFairness(fairness) {
    if (!fairness) return;
    $("seed-hash").textContent = fairness.serverSeedHash;
    $("client-seed").textContent = fairness.clientSeed;
    $("nonce").textContent = String(fairness.nonce);
    $("revealed").textContent = fairness.previousServerSeed
      ? fairness.previousServerSeed + " (SHA-256 " + fairness.previousServerSeedHash + ")" : "–";
  }

  function showAvailable(count) {
    available = count;
    $("available").textContent = count + (count === 1 ? " spin" : " spins") + " available";
    updateButtons();
  }

  function updateButtons() {
    Array.prototype.forEach.call(document.querySelectorAll("#buttons button"), function (button) {
      var count = button.dataset.count;
      button.disabled = busy || (count === "all" ? available < 1 : Number(count) > available);
    });
    $("reveal").disabled = busy;
  }

  function buildLegend() {
    var legend = $("legend");
    legend.textContent = "";
    segments.forEach(function (segment) {
      var item = document.createElement("li");
      var swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = segment.colour;
      var label = document.createElement("span");
      label.textContent = segment.label;
      var odds = document.createElement("span");
      odds.className = "odds";
      odds.textContent = percent(segment.probability);
      item.append(swatch, label, odds);
      legend.appendChild(item);
    });
  }

  function load() {
    return api(STATE, { id: id }).then(function (data) {
      buildSegments(data.prizeTable);
      buildLegend();
      draw();
      showAvailable(data.spinAccount ? data.spinAccount.availableSpins : 0);
      showFairness(data.user && data.user.fairness);
      app.dataset.state = "idle";
    });
  }

  function spin(count) {
    busy = true;
    updateButtons();
    showError("");
    app.dataset.state = "spinning";
    bridge.haptic("heavy");
    return api(SPIN, { id: id, count: count }).then(function (data) {
      var batch = data.processSpin;
      if (!batch.spins) throw new Error(refusal(batch) || "The spin was refused.");
      window.miniappLastBatch = batch.spins.map(function (s) { return s.prize; });
      return showSpins(batch.spins).then(function () {
        summarise(batch);
        showAvailable(batch.spinsLeft);
        if (batch.chipsWon > 0) bridge.haptic("success");
        return api(STATE, { id: id });
      }).then(function (state) { showFairness(state.user && state.user.fairness); });
    }).catch(function (error) { showError(error.message); }).then(function () {
      busy = false;
      updateButtons();
      app.dataset.state = "idle";
    });
  }

  var id = playerId();
  if (!id) {
    app.dataset.state = "error";
    showError("Open the wheel from the bot's Free Spins screen.");
    $("available").textContent = "";
    return;
  }
  document.getElementById("buttons").addEventListener("click", function (event) {
    var count = event.target.dataset && event.target.dataset.count;
    if (!count || busy) return;
    spin(count === "all" ? null : Number(count));
  });
  $("seed-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var seed = $("seed-input").value.trim();
    if (!seed) return;
    api(SET_SEED, { id: id, seed: seed }).then(function (data) {
      var result = data.setClientSeed;
      if (result.messages) throw new Error(refusal(result));
      showFairness(result);
      showError("");
    }).catch(function (error) { showError(error.message); });
  });
  $("reveal").addEventListener("click", function () {
    api(ROTATE, { id: id }).then(function (data) {
      var result = data.rotateServerSeed;
      if (result.messages) throw new Error(refusal(result));
      showFairness(result);
      showError("");
    }).catch(function (error) { showError(error.message); });
  });
  bridge.onBack(function () { bridge.close(); });
  bridge.ready();
  load().catch(function (error) { app.dataset.state = "error"; showError(error.message); });
})();
