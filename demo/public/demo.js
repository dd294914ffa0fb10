// The demo page's own script: JivoChat-style callbacks and buttons that call window.jivo_api.

const log = (text) => {
  const item = document.createElement('li');
  item.textContent = `${new Date().toLocaleTimeString()}  ${text}`;
  const list = document.getElementById('log');
  list.append(item);
  list.scrollTop = list.scrollHeight;
};
const show = (value) => JSON.stringify(value);

window.jivo_onLoadCallback = () => log('jivo_onLoadCallback()');
window.jivo_onOpen = () => log('jivo_onOpen()');
window.jivo_onClose = () => log('jivo_onClose()');
window.jivo_onChangeState = (state) => log(`jivo_onChangeState(${show(state)})`);
window.jivo_onResizeCallback = () => log('jivo_onResizeCallback()');
window.jivo_onWidgetDestroy = () => log('jivo_onWidgetDestroy()');
window.jivo_onCallStart = () => log('jivo_onCallStart()');
window.jivo_onCallEnd = (res) => log(`jivo_onCallEnd(${show(res)})`);
window.jivo_onMessageSent = () => log('jivo_onMessageSent()');
window.jivo_onClientStartChat = () => log('jivo_onClientStartChat()');
window.jivo_onAccept = () => log('jivo_onAccept()');
window.jivo_onMessageReceived = () => log('jivo_onMessageReceived()');
window.jivo_onIntroduction = () =>
  log(`jivo_onIntroduction() — getContactInfo() is ${show(jivo_api.getContactInfo())}`);

const widget = () => document.querySelector('jivo-widget');

const actions = {
  open: () => jivo_api.open(),
  'open-menu': () => jivo_api.open({ start: 'menu' }),
  'open-call': () => jivo_api.open({ start: 'call' }),
  close: () => jivo_api.close(),
  destroy: () => jivo_destroy(),
  init: () => jivo_init(),
  mode: () => String(jivo_api.chatMode()),
  unread: () => jivo_api.getUnreadMessagesCount(),
  clear: () => jivo_api.clearHistory(),
  contact: () => jivo_api.setContactInfo({ name: 'Ann Lee', email: 'ann@example.com', description: 'Wholesale buyer' }),
  'get-contact': () => jivo_api.getContactInfo(),
  'custom-data': () =>
    jivo_api.setCustomData([
      { key: 'Cart', content: '3 items, $129', link: 'https://shop.example/cart' },
      { title: 'Plan', content: 'Gold <b>since 2024</b>' },
    ]),
  attributes: () => jivo_api.setClientAttributes({ plan: 'gold', orders: 12, vip: true }),
  utm: () => jivo_api.getUtm(),
  number: () => {
    jivo_api.getVisitorNumber((error, number) => log(`getVisitorNumber → callback(${show(error)}, ${show(number)})`));
    return 'asked';
  },
  'callback-enabled': () => {
    jivo_api.isCallbackEnabled((result) => log(`isCallbackEnabled → callback(${show(result)})`));
    return 'asked';
  },
};

document.addEventListener('click', (event) => {
  const button = event.target.closest('[data-api]');
  if (!button) return;
  const name = button.dataset.api;
  log(`${button.textContent.trim()} → ${show(actions[name]())}`);
});

document.getElementById('invite').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = document.getElementById('invite-text').value;
  log(`showProactiveInvitation(${show(text)}) → ${show(jivo_api.showProactiveInvitation(text))}`);
});

document.getElementById('call').addEventListener('submit', (event) => {
  event.preventDefault();
  const phone = document.getElementById('call-phone').value;
  log(`startCall(${show(phone)}) → ${show(jivo_api.startCall(phone))}`);
});

document.getElementById('colors').addEventListener('submit', (event) => {
  event.preventDefault();
  const color = document.getElementById('color').value;
  const color2 = document.getElementById('gradient').checked ? document.getElementById('color2').value : undefined;
  log(`setWidgetColor(${show(color)}, ${show(color2)}) → ${show(jivo_api.setWidgetColor(color, color2))}`);
});

document.getElementById('rules').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = document.getElementById('rules-json').value;
  log(`setRules(…) → ${show(jivo_api.setRules(text))}`);
});

for (const name of ['position', 'lang', 'contacts-form']) {
  document.getElementById(name).addEventListener('change', (event) => {
    const value = event.target.value;
    if (value) widget()?.setAttribute(name, value);
    else widget()?.removeAttribute(name);
    log(`<jivo-widget ${name}=${show(value)}>`);
  });
}
