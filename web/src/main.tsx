import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { loadLanguage, storedLang } from './i18n';
import './styles.css';

// The longest the server's page stays on screen while the app starts beside it.
const SWAP_AFTER_MS = 8000;

function renderInto(container: HTMLElement) {
  createRoot(container).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}

// The server sends the portal's public pages already drawn in #root (src/portal/ on the
// server). The app starts beside them, hidden, and takes their place once its page has what it
// waited for (no loading indicator left), so that the procedure list never gives way to a
// spinner on a slow line. Other pages arrive with an empty #root and render at once.
function render() {
  const server = document.getElementById('root')!;
  if (!server.firstElementChild) {
    renderInto(server);
    return;
  }
  const app = document.createElement('div');
  app.hidden = true;
  server.after(app);
  let swapped = false;
  const swap = () => {
    if (swapped) return;
    swapped = true;
    observer.disconnect();
    window.clearTimeout(timer);
    server.remove();
    app.id = 'root';
    app.hidden = false;
  };
  const settled = () => app.querySelector('main') !== null && app.querySelector('.loading') === null;
  const observer = new MutationObserver(() => {
    if (settled()) swap();
  });
  observer.observe(app, { childList: true, subtree: true });
  const timer = window.setTimeout(swap, SWAP_AFTER_MS);
  renderInto(app);
}

// The English dictionary is a separate chunk: fetch it first when English was chosen before,
// so the first paint is already in English (on failure the page starts in Vietnamese).
loadLanguage(storedLang()).then(render, render);
