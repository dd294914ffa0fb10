/**
 * Defines a custom element unless the tag is taken. A page may load the widget twice (a CMS plugin and a theme, or
 * the module and the classic build); the second `customElements.define` must not throw, so it is skipped with a warning
 * when another class already owns the tag.
 */
export function define(tag: string, ctor: CustomElementConstructor): void {
  const existing = customElements.get(tag);
  if (!existing) {
    customElements.define(tag, ctor);
  } else if (existing !== ctor) {
    console.warn(
      `jivo-widget: <${tag}> is already defined (the script was loaded twice); keeping the first definition.`,
    );
  }
}
