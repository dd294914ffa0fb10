/** Loads `src/parts.ts` once, and gives it synchronously once it is there. */
export type Parts = typeof import('../../parts.js');

let parts: Parts | undefined;
let loading: Promise<Parts> | undefined;

/** The parts, if they have loaded. */
export const loadedParts = (): Parts | undefined => parts;

/** Loads the parts (once; a failed load is tried again on the next call). */
export function loadParts(): Promise<Parts> {
  loading ??= import('../../parts.js').then(
    (module) => (parts = module),
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}
