// Package e2e holds end-to-end tests that drive a real Tipline installation
// the way its users do: through a real browser, over HTTP, or by killing the
// real server, with nothing mocked.
//
// The source's browser test proves that, in Debian's headless Chromium with
// JavaScript disabled (Tor Browser at "Safest") and a 360-pixel-wide phone
// screen:
//
//   - the landing page reads in English, Korean, Chinese and Russian and never
//     needs sideways scrolling;
//   - a source can fill the report form, attach a file through the file input,
//     send it with the form's own button and get an eight-word receipt;
//   - that receipt, typed into the status page, opens the report, which shows
//     the public status "received" and the text that was sent;
//   - no source page has a single <script> element.
//
// The desk's browser test logs an analyst in with password and TOTP, opens
// the queue and the report, changes its status and replies through the real
// forms (the source then sees the reply and only the public state), and shows
// that an admin is refused the report.
//
// The crash test kills the server with SIGKILL during concurrent submissions
// and checks, after a restart, that every receipt a client was shown opens
// its report and that every stored report opens whole.
//
// The browser tests save screenshots to docs/screenshots/ at the module root.
// They skip when /usr/bin/chromium is missing, except when the CI environment
// variable is set: CI installs Chromium, so there a missing browser fails.
package e2e
