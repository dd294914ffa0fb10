import { expect } from '@open-wc/testing';
import { en } from '../../src/i18n/en.js';
import { format, resolveLocale, unreadPhrase } from '../../src/i18n/index.js';
import { ru } from '../../src/i18n/ru.js';

describe('i18n', () => {
  it('resolves the attribute, then the page language, then English', () => {
    expect(resolveLocale('ru', 'en')).to.equal('ru');
    expect(resolveLocale('RU-ru')).to.equal('ru');
    expect(resolveLocale('xx', 'ru-RU')).to.equal('ru');
    expect(resolveLocale('', null, undefined)).to.equal('en');
    expect(resolveLocale('de', 'fr')).to.equal('en');
  });

  it('has every string in every locale', () => {
    expect(Object.keys(ru).sort()).to.deep.equal(Object.keys(en).sort());
    for (const [key, value] of Object.entries(ru)) expect(value, key).to.not.be.empty;
  });

  it('formats placeholders and leaves unknown ones', () => {
    expect(format('{a} and {b}', { a: 1 })).to.equal('1 and {b}');
  });

  it('uses the plural forms of each language', () => {
    expect(unreadPhrase('en', 0)).to.equal('');
    expect(unreadPhrase('en', 1)).to.equal(', 1 unread message');
    expect(unreadPhrase('en', 2)).to.equal(', 2 unread messages');
    expect(unreadPhrase('ru', 1)).to.equal(', 1 непрочитанное сообщение');
    expect(unreadPhrase('ru', 3)).to.equal(', 3 непрочитанных сообщения');
    expect(unreadPhrase('ru', 5)).to.equal(', 5 непрочитанных сообщений');
    expect(unreadPhrase('ru', 21)).to.equal(', 21 непрочитанное сообщение');
  });
});
