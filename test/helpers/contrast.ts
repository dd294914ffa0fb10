// WCAG contrast arithmetic on computed colours, for tests that measure what is drawn.

export type Rgb = [number, number, number];

/** Every `rgb()`/`rgba()` colour in a computed value, in order (a gradient's stops, or one colour). */
export function colorsIn(value: string): Rgb[] {
  return [...value.matchAll(/rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)/g)].map((m) => [+m[1], +m[2], +m[3]]);
}

export function luminance([r, g, b]: Rgb): number {
  const c = (v: number) => ((v /= 255) <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
  return 0.2126 * c(r) + 0.7152 * c(g) + 0.0722 * c(b);
}

/** The contrast ratio of two colours, 1 to 21. */
export function ratio(a: Rgb, b: Rgb): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

/** The colours an element is painted with: its gradient's stops, or its background colour. */
export function backgroundsOf(element: Element): Rgb[] {
  const style = getComputedStyle(element);
  const stops = colorsIn(style.backgroundImage);
  return stops.length ? stops : colorsIn(style.backgroundColor);
}

/** The contrast of a field's border against its own background and the background behind it. */
export function borderContrast(field: Element, behind: Element): number {
  const [border] = colorsIn(getComputedStyle(field).borderTopColor);
  return Math.min(...[...backgroundsOf(field), ...backgroundsOf(behind)].map((bg) => ratio(border, bg)));
}
