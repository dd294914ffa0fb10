export { JivoEvent } from './jivo-event.js';
export { JivoLoadEvent } from './load-event.js';
export { JivoOpenEvent } from './open-event.js';
export { JivoCloseEvent } from './close-event.js';
export { JivoChangeStateEvent } from './change-state-event.js';
export { JivoResizeEvent } from './resize-event.js';
export { JivoWidgetDestroyEvent } from './widget-destroy-event.js';
