// Package e2e holds end-to-end tests that drive a real Tipline installation
// the way a source does: through a real browser, over HTTP, with nothing
// mocked.
//
// Its browser test proves that, in Debian's headless Chromium with JavaScript
// disabled (Tor Browser at "Safest") and a 360-pixel-wide phone screen:
//
//   - the landing page reads in English, Korean, Chinese and Russian and never
//     needs sideways scrolling;
//   - a source can fill the report form, attach a file through the file input,
//     send it with the form's own button and get an eight-word receipt;
//   - that receipt, typed into the status page, opens the report, which shows
//     the public status "received" and the text that was sent;
//   - no source page has a single <script> element.
//
// It also saves screenshots of those pages to docs/screenshots/ at the module
// root. It skips when /usr/bin/chromium is missing, except when the CI
// environment variable is set: CI installs Chromium, so there a missing
// browser fails the test.
package e2e
