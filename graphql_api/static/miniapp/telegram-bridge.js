/* The few calls of Telegram's Mini App bridge this page uses, written defensively instead of
   vendoring telegram-web-app.js: if Telegram's own script is present its WebApp object is used,
   else the launch parameters are read from the URL fragment (where Telegram puts them) and events
   are posted the way Telegram's clients expect. In a plain browser every call is a no-op, and a
   test passes init data in the fragment (#tgWebAppData=...). */
(function () {
  "use strict";
  var official = window.Telegram && window.Telegram.WebApp && window.Telegram.WebApp.initData
    ? window.Telegram.WebApp : null;
  var launch = new URLSearchParams(window.location.hash.slice(1));
  var KEY = "miniapp-launch";
  // Telegram's fragment is gone after the page changes its own hash or reloads from history.
  try {
    if (launch.get("tgWebAppData")) sessionStorage.setItem(KEY, window.location.hash.slice(1));
    else if (sessionStorage.getItem(KEY)) launch = new URLSearchParams(sessionStorage.getItem(KEY));
  } catch (error) { /* storage may be off: the fragment alone then */ }

  function parseJson(text) {
    try { return text ? JSON.parse(text) : {}; } catch (error) { return {}; }
  }

  var listeners = {};
  function dispatch(eventType, eventData) {
    (listeners[eventType] || []).forEach(function (callback) { callback(eventData || {}); });
  }
  // Telegram's mobile and desktop clients call this; the web client posts messages.
  window.Telegram = window.Telegram || {};
  if (!window.Telegram.WebView) {
    window.Telegram.WebView = { receiveEvent: dispatch };
  }
  window.addEventListener("message", function (event) {
    if (event.source !== window.parent || window.parent === window) return;
    var message = typeof event.data === "string" ? parseJson(event.data) : event.data;
    if (message && message.eventType) dispatch(message.eventType, message.eventData);
  });

  function postEvent(eventType, eventData) {
    var data = JSON.stringify(eventData || {});
    try {
      if (window.TelegramWebviewProxy && window.TelegramWebviewProxy.postEvent) {
        window.TelegramWebviewProxy.postEvent(eventType, data);
      } else if (window.external && "notify" in window.external) {
        window.external.notify(JSON.stringify({ eventType: eventType, eventData: eventData || {} }));
      } else if (window.parent !== window) {
        window.parent.postMessage(JSON.stringify({ eventType: eventType, eventData: eventData || {} }),
          "https://web.telegram.org");
      }
    } catch (error) { /* not inside Telegram */ }
  }

  function applyTheme(params) {
    Object.keys(params || {}).forEach(function (name) {
      if (/^[a-z_]+$/.test(name) && /^#[0-9a-fA-F]{3,8}$/.test(params[name])) {
        document.documentElement.style.setProperty("--tg-theme-" + name.replace(/_/g, "-"), params[name]);
      }
    });
  }

  var bridge = {
    initData: official ? official.initData : (launch.get("tgWebAppData") || ""),
    ready: function () {
      if (official) { official.ready(); official.expand(); return; }
      postEvent("web_app_ready");
      postEvent("web_app_expand");
    },
    onBack: function (callback) {
      if (official) { official.BackButton.onClick(callback); official.BackButton.show(); return; }
      (listeners.back_button_pressed = listeners.back_button_pressed || []).push(callback);
      postEvent("web_app_setup_back_button", { is_visible: true });
    },
    close: function () {
      if (official) official.close(); else postEvent("web_app_close");
    },
    haptic: function (kind) {
      // kind: "light" | "medium" | "heavy" (an impact) or "success" | "warning" | "error".
      var notice = kind === "success" || kind === "warning" || kind === "error";
      if (official && official.HapticFeedback) {
        if (notice) official.HapticFeedback.notificationOccurred(kind);
        else official.HapticFeedback.impactOccurred(kind);
        return;
      }
      postEvent("web_app_trigger_haptic_feedback", notice ? { type: "notification", notification_type: kind }
        : { type: "impact", impact_style: kind });
    }
  };
  applyTheme(official ? official.themeParams : parseJson(launch.get("tgWebAppThemeParams")));
  (listeners.theme_changed = listeners.theme_changed || []).push(function (data) { applyTheme(data.theme_params); });
  window.MiniAppBridge = bridge;
})();
