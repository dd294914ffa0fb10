/**
 * The limits the launcher applies before the rest of the widget is there: the widget id and the department
 * (attributes) and the utm tags. Part of LIMITS (`limits.ts`), which loads with the window.
 */
export const LAUNCHER_LIMITS = {
  widgetId: 64,
  department: 64,
  utm: 300,
} as const;
