// The tests run in a real headless Chromium. Use CHROME_PATH, else Debian's /usr/bin/chromium; when it is missing and
// we are root on a Debian-like machine, install it with apt (what a fresh CI machine needs). Otherwise say what to do.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const path = process.env.CHROME_PATH ?? '/usr/bin/chromium';
if (existsSync(path)) process.exit(0);

const canApt = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get') && !process.env.CHROME_PATH;
if (!canApt) {
  console.error(`Chromium not found at ${path}. Install it (Debian: apt-get install chromium) or set CHROME_PATH.`);
  process.exit(1);
}
console.log("Chromium is missing: installing Debian's chromium package…");
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execSync('apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium', { stdio: 'inherit', env });
if (!existsSync(path)) {
  console.error(`apt installed chromium, but ${path} is still missing.`);
  process.exit(1);
}
