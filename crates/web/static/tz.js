// Tells the portal the browser's time zone, for people who have not chosen one in their profile
// (I18N-1): kept in a cookie that every request carries, and put into forms that ask for it.
(function () {
  "use strict";
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (e) {
    return;
  }
  if (!zone || !/^[A-Za-z0-9_+\-\/]{1,64}$/.test(zone)) {
    return;
  }
  if (document.cookie.indexOf("supportal_tz=" + zone) < 0) {
    document.cookie = "supportal_tz=" + zone + "; path=/; max-age=31536000; SameSite=Lax";
  }
  var fields = document.querySelectorAll("input[name=browser_time_zone]");
  for (var i = 0; i < fields.length; i++) {
    fields[i].value = zone;
  }
})();
