// A web-test-runner plugin for media features that @web/test-runner-commands' emulateMedia cannot set with the
// puppeteer launcher (it passes only prefers-color-scheme and prefers-reduced-motion, and puppeteer refuses the rest):
//   import { executeServerCommand } from '@web/test-runner-commands';
//   await executeServerCommand('emulate-forced-colors', { active: true });  // forced-colors: active
//   await executeServerCommand('emulate-forced-colors', { active: false }); // back to none
// It goes through the Chrome DevTools Protocol (Emulation.setEmulatedMedia), on one session per page kept open, since
// the emulation ends with the session that set it.

export function mediaPlugin() {
  const sessions = new WeakMap();
  return {
    name: 'jivo-media-emulation',
    async executeCommand({ command, payload, session }) {
      if (command !== 'emulate-forced-colors') return undefined;
      if (session.browser.type !== 'puppeteer') throw new Error('emulate-forced-colors needs the puppeteer launcher');
      const page = session.browser.getPage(session.id);
      let cdp = sessions.get(page);
      if (!cdp) sessions.set(page, (cdp = await page.createCDPSession()));
      const value = payload?.active ? 'active' : 'none';
      await cdp.send('Emulation.setEmulatedMedia', { features: [{ name: 'forced-colors', value }] });
      return true;
    },
  };
}
