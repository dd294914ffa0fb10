/**
 * The script bundles' guard around Lit's Trusted Types policy. Lit creates its policy, `lit-html`, while its module is
 * evaluated. On a page whose Content-Security-Policy refuses that name (`trusted-types 'none'`, or a list without
 * `lit-html`), or that already has a `lit-html` policy (another Lit app) without `'allow-duplicates'`, the call throws,
 * and with it the whole bundle: no element, no `jivo_api`, and an uncaught error in the page. The bundles carry their
 * own copy of Lit, and the build (scripts/build.mjs) routes that one call through `createLitPolicy`, which keeps the
 * failure here instead; the entry (`script.ts`) then installs a `jivo_api` that says why the widget did not start.
 * An app that bundles the package shares its own Lit with the widget, and this module plays no part there.
 */

/** Set when the page's policy refused Lit's: what the browser threw. The widget cannot render on such a page. */
export let litPolicyRefusal: { error: unknown } | undefined;

/** What every `jivo_api` call answers on such a page. */
export const TRUSTED_TYPES_REFUSED = "The widget could not start under this page's Trusted Types policy";

/** `factory.createPolicy(name, rules)`, or undefined (and `litPolicyRefusal` set) when the page's policy refuses it. */
export function createLitPolicy(
  factory: { createPolicy(name: string, rules: object): unknown },
  name: string,
  rules: object,
): unknown {
  try {
    return factory.createPolicy(name, rules);
  } catch (error) {
    litPolicyRefusal = { error };
    return undefined;
  }
}
