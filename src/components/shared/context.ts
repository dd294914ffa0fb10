import { createContext } from '@lit/context';
import type { WidgetStore } from '../../state/store.js';

/**
 * Carries one widget's store from `<jivo-widget>` to its subcomponents. The store object never changes identity
 * during an element's life, so consumers subscribe to its selectors rather than to the context.
 */
export const storeContext = createContext<WidgetStore | undefined>(Symbol('jivo-widget-store'));
