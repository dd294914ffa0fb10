const HEX = /^#(?:[0-9a-f]{3}|[0-9a-f]{4}|[0-9a-f]{6}|[0-9a-f]{8})$/i;

/** True for `#rgb`, `#rgba`, `#rrggbb` and `#rrggbbaa`, the forms `setWidgetColor` documents ("hexadecimal colour code"). */
export function isHexColor(value: unknown): value is string {
  return typeof value === 'string' && HEX.test(value.trim());
}

/** The colour normalised to lowercase `#rrggbb` (alpha dropped), or null when it is not a hex colour. */
export function normalizeHex(value: unknown): string | null {
  if (!isHexColor(value)) return null;
  let hex = value.trim().slice(1).toLowerCase();
  if (hex.length <= 4) hex = [...hex].map((c) => c + c).join('');
  return `#${hex.slice(0, 6)}`;
}

function channel(hex: string, index: number): number {
  const c = parseInt(hex.slice(1 + index * 2, 3 + index * 2), 16) / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** WCAG relative luminance of a normalised `#rrggbb` colour. */
export function luminance(hex: string): number {
  return 0.2126 * channel(hex, 0) + 0.7152 * channel(hex, 1) + 0.0722 * channel(hex, 2);
}

/** The WCAG contrast ratio of two relative luminances. */
export function contrast(a: number, b: number): number {
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}

/**
 * Black or white, whichever reads better on every given background (the two ends of a gradient):
 * the one whose worst contrast ratio is higher.
 */
export function readableTextOn(...backgrounds: string[]): '#000000' | '#ffffff' {
  const lums = backgrounds.map(luminance);
  const worst = (text: number) => Math.min(...lums.map((l) => contrast(l, text)));
  return worst(0) > worst(1) ? '#000000' : '#ffffff';
}

/**
 * The background as close to `bg` as possible on which `text` (black or white) reaches 4.5:1 (WCAG 1.4.3): `bg` itself
 * when it does, else `bg` mixed in linear light with the opposite of the text, to the luminance that just passes.
 */
export function readableBackground(bg: string, text: string): string {
  const l = luminance(bg);
  // Black text needs a luminance of at least 0.175, white text at most 0.1833; each channel is rounded away from the
  // text's colour, so the result never falls short.
  const t = text < '#f' ? Math.max(0, (0.1751 - l) / (1 - l)) : Math.max(0, 1 - 0.1832 / l);
  const toward = text < '#f' ? 1 : 0;
  return t
    ? '#' +
        [0, 1, 2]
          .map((i) => {
            const v = channel(bg, i) * (1 - t) + toward * t;
            const c = v <= 0.0031308 ? 12.92 * v : 1.055 * v ** (1 / 2.4) - 0.055;
            return (256 + Math[toward ? 'ceil' : 'floor'](c * 255)).toString(16).slice(1);
          })
          .join('')
    : bg;
}
