/**
 * While the window fills a small screen, its root follows the visual viewport, which shrinks when the on-screen
 * keyboard opens: the viewport's height and top go to `--jivo-_viewport-height` and `--jivo-_viewport-top` (through
 * the CSSOM, which a strict Content-Security-Policy allows). Returns what stops it and removes them.
 */
export function followViewport(root: HTMLElement): () => void {
  const viewport = window.visualViewport;
  const onChange = (): void => {
    if (!viewport) return;
    root.style.setProperty('--jivo-_viewport-height', `${viewport.height}px`);
    root.style.setProperty('--jivo-_viewport-top', `${viewport.offsetTop}px`);
  };
  viewport?.addEventListener('resize', onChange);
  viewport?.addEventListener('scroll', onChange);
  onChange();
  return () => {
    viewport?.removeEventListener('resize', onChange);
    viewport?.removeEventListener('scroll', onChange);
    root.style.removeProperty('--jivo-_viewport-height');
    root.style.removeProperty('--jivo-_viewport-top');
  };
}
