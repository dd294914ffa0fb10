// Debian's Chromium, run headless; as root it needs --no-sandbox. The other flags keep it off the network. Shared by
// the test runner (web-test-runner.config.mjs) and the bench (bench/lib/browser.mjs).
export const CHROME_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
