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

function contrast(a: number, b: number): number {
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
