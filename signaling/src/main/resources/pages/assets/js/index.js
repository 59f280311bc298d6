// The start page: the three pages, and in the demo everyone's one-click sign-in link.
import { $, demoUserLabel, demoUsers, el, header } from './page.js';
import { onLanguageChange, t } from './i18n.js';

header(null);
const users = await demoUsers().catch(() => null);
if (users) {
  render();
  onLanguageChange(render);
  $('demo').hidden = false;
}

function render() {
  const box = $('demo-users');
  box.replaceChildren();
  for (const role of ['advisor', 'expert', 'operator']) {
    const list = el('ul', {});
    for (const u of users[`${role}s`]) {
      list.append(el('li', {}, el('a', { href: `/${role}?demo=${encodeURIComponent(u.id)}` }, demoUserLabel(role, u))));
    }
    box.append(el('div', {}, el('h3', {}, t(`role.${role}`)), list));
  }
}
