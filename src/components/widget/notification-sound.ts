/**
 * The new-message chime, made with Web Audio (no sound file to fetch, nothing for a CSP to block), played by one tab
 * only: every tab of the site receives the agent's message, and the first to take a short Web Lock named after the
 * message plays it. Browsers without Web Locks play it in the visible tab only.
 */

/** How long the winning tab holds the message's lock, so that tabs receiving the message later stay quiet. */
const HOLD_MS = 10_000;

let context: AudioContext | undefined;

function chime(): void {
  const Ctor =
    window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!Ctor) return;
  try {
    context ??= new Ctor();
    // Autoplay policy: until the visitor has interacted with the page the context stays suspended and this is silent.
    void context.resume?.();
    const now = context.currentTime;
    const gain = context.createGain();
    gain.gain.setValueAtTime(0.0001, now);
    gain.gain.exponentialRampToValueAtTime(0.2, now + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, now + 0.45);
    gain.connect(context.destination);
    for (const [frequency, start] of [
      [880, 0],
      [1318.5, 0.12],
    ]) {
      const tone = context.createOscillator();
      tone.frequency.value = frequency;
      tone.connect(gain);
      tone.start(now + start);
      tone.stop(now + 0.45);
    }
  } catch (error) {
    console.warn('jivo-widget: could not play the notification sound', error);
  }
}

/** Plays the chime for message `messageId` of the chat `namespace`, unless another tab already did. */
export function playNotification(namespace: string, messageId: string): void {
  const locks = navigator.locks;
  if (!locks) {
    if (document.visibilityState === 'visible') chime();
    return;
  }
  void locks
    .request(`jivo-widget:${namespace}:chime:${messageId}`, { ifAvailable: true }, async (lock) => {
      if (!lock) return;
      chime();
      await new Promise((resolve) => setTimeout(resolve, HOLD_MS));
    })
    .catch(() => undefined);
}
