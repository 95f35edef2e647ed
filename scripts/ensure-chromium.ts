/**
 * Makes sure the browser tests have a Chromium: `CHROMIUM_PATH`, then `/usr/bin/chromium`. When
 * neither exists and we run as root with apt, installs Debian's `chromium`; otherwise exits 1
 * with how to get one. Never downloads a browser build of its own, never skips silently.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].filter((p): p is string => !!p);
const found = candidates.find((p) => existsSync(p));
if (found) {
  console.log(`chromium: ${found}`);
} else if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
  console.log("chromium: not found; installing Debian's chromium with apt-get");
  execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-q', 'chromium'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (!existsSync('/usr/bin/chromium')) {
    console.error('chromium: apt-get finished but /usr/bin/chromium is missing');
    process.exit(1);
  }
} else {
  console.error(
    "chromium: none found. Install Debian's package as root (`apt-get install -y chromium`) or point CHROMIUM_PATH at a Chromium binary; the browser tests cannot run without one.",
  );
  process.exit(1);
}
