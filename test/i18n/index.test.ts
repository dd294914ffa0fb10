import { expect } from '@open-wc/testing';
import { format, plural, resolveLocale } from '../../src/i18n/languages.js';
import { en } from '../../src/i18n/launcher/en.js';
import { ru } from '../../src/i18n/launcher/ru.js';

describe('i18n', () => {
  it('resolves the attribute, then the page language, then English', () => {
    expect(resolveLocale('ru', 'en')).to.equal('ru');
    expect(resolveLocale('RU-ru')).to.equal('ru');
    expect(resolveLocale('xx', 'ru-RU')).to.equal('ru');
    expect(resolveLocale('', null, undefined)).to.equal('en');
    expect(resolveLocale('zz', 'xx-YY')).to.equal('en');
    expect(resolveLocale('pt-BR')).to.equal('pt');
  });

  it('formats placeholders and leaves unknown ones', () => {
    expect(format('{a} and {b}', { a: 1 })).to.equal('1 and {b}');
  });

  it('uses the plural forms of each language', () => {
    expect(plural('en', en.unread, 1)).to.equal(', 1 unread message');
    expect(plural('en', en.unread, 2)).to.equal(', 2 unread messages');
    expect(plural('ru', ru.unread, 1)).to.equal(', 1 непрочитанное сообщение');
    expect(plural('ru', ru.unread, 3)).to.equal(', 3 непрочитанных сообщения');
    expect(plural('ru', ru.unread, 5)).to.equal(', 5 непрочитанных сообщений');
    expect(plural('ru', ru.unread, 21)).to.equal(', 21 непрочитанное сообщение');
  });
});
