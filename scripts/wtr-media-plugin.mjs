// A web-test-runner plugin for what tests cannot reach from the page: the browser's accessibility tree, and media
// features that @web/test-runner-commands' emulateMedia cannot set with the puppeteer launcher (it passes only
// prefers-color-scheme and prefers-reduced-motion, and puppeteer refuses the rest):
//   import { executeServerCommand } from '@web/test-runner-commands';
//   await executeServerCommand('emulate-forced-colors', { active: true });  // forced-colors: active
//   await executeServerCommand('emulate-forced-colors', { active: false }); // back to none
//   const roles = await executeServerCommand('ax-roles'); // every role in the page's accessibility tree, in order
//   await executeServerCommand('grant-notifications');      // the page's origin may show desktop notifications
//   await executeServerCommand('hold-requests', { url: 'https://photos.example/*' }); // such requests never answer
//   await executeServerCommand('release-requests');         // the held requests fail, and new ones go out again
// Both go through the Chrome DevTools Protocol, on one session per page kept open, since an emulation ends with the
// session that set it.

export function mediaPlugin() {
  const sessions = new WeakMap();
  /** Per CDP session, the requests held by hold-requests. */
  const held = new WeakMap();
  return {
    name: 'jivo-media-emulation',
    async executeCommand({ command, payload, session }) {
      const commands = [
        'emulate-forced-colors',
        'ax-roles',
        'grant-notifications',
        'hold-requests',
        'release-requests',
      ];
      if (!commands.includes(command)) return undefined;
      if (session.browser.type !== 'puppeteer') throw new Error(`${command} needs the puppeteer launcher`);
      const page = session.browser.getPage(session.id);
      let cdp = sessions.get(page);
      if (!cdp) sessions.set(page, (cdp = await page.createCDPSession()));
      if (command === 'grant-notifications') {
        // What a visitor's "Allow" gives; headless Chromium cannot show the prompt itself.
        await page.browserContext().overridePermissions(new URL(page.url()).origin, ['notifications']);
        return true;
      }
      if (command === 'hold-requests') {
        // A remote server that never answers, without the network: the request waits in the browser until released.
        held.set(cdp, held.get(cdp) ?? []);
        cdp.on('Fetch.requestPaused', ({ requestId }) => held.get(cdp)?.push(requestId));
        await cdp.send('Fetch.enable', { patterns: [{ urlPattern: payload.url }] });
        return true;
      }
      if (command === 'release-requests') {
        for (const requestId of held.get(cdp) ?? [])
          await cdp.send('Fetch.failRequest', { requestId, errorReason: 'ConnectionRefused' }).catch(() => {});
        held.delete(cdp);
        cdp.removeAllListeners('Fetch.requestPaused');
        await cdp.send('Fetch.disable');
        return true;
      }
      if (command === 'ax-roles') {
        const { nodes } = await cdp.send('Accessibility.getFullAXTree');
        return nodes.filter((node) => !node.ignored).map((node) => node.role?.value ?? '');
      }
      const value = payload?.active ? 'active' : 'none';
      await cdp.send('Emulation.setEmulatedMedia', { features: [{ name: 'forced-colors', value }] });
      return true;
    },
  };
}
